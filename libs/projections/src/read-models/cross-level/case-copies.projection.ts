import type { AnswerValue, MeasureAgreed, ReviewEvent } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import type { ProjectionDefinition } from '../../projection.js';
import {
  CROSS_LEVEL_CASE_COPIES,
  caseCopyId,
  type CaseCopyDoc,
  type ClosedAnswer,
  type CopiedDefect,
} from './cross-level.docs.js';
import { correctDefects, withDefect, withdrawDefect } from '../defect-list.js';

const REVIEW_TYPES = [
  'CaseSampled',
  'AnswersRecorded',
  'DefectRecorded',
  'DefectWithdrawn',
  'ReviewCompleted',
  'ReviewCorrected',
  'TalkHeld',
  'TeamDiscussionHeld',
  'ReviewWithdrawn',
] as const satisfies readonly ReviewEvent['type'][];

/**
 * The retention purge's record (libs/domain/src/retention/retention.events.ts): the copy goes with the
 * review. Only the two fields needed here are read, by the event's stable type name.
 */
interface ReviewPurged {
  readonly type: 'ReviewPurged';
  readonly data: { readonly reviewId: string; readonly tenant: string };
}

type Folded = Extract<ReviewEvent, { type: (typeof REVIEW_TYPES)[number] }> | MeasureAgreed | ReviewPurged;

const asEvent = (recorded: RecordedEvent): Folded => ({ type: recorded.type, data: recorded.data }) as Folded;

/** A closed answer's value; free text and dates (sealed) are never copied. */
const closed = (answer: AnswerValue): ClosedAnswer | null => (answer.kind === 'sealed' ? null : answer.value);

function withAnswers(
  answers: Readonly<Record<string, ClosedAnswer>>,
  given: readonly { readonly questionId: string; readonly answer: AnswerValue }[],
): Record<string, ClosedAnswer> {
  const next = { ...answers };
  for (const { questionId, answer } of given) {
    const value = closed(answer);
    if (value === null) delete next[questionId];
    else next[questionId] = value;
  }
  return next;
}

function evolve(doc: CaseCopyDoc | null, event: Folded, id: string, tenant: string): CaseCopyDoc | null {
  if (event.type === 'CaseSampled') {
    if (doc !== null) return doc;
    const data = event.data;
    // Deliberately not copied: caseRef (sealed), casePseudonym (joinable with the Jobcenter's own data),
    // team, area, sample, customer group, deadline.
    return {
      _id: id,
      tenant,
      reviewId: data.reviewId,
      month: data.month,
      programmeId: data.programmeId,
      questionnaireId: data.questionnaireId,
      questionnaireVersion: data.questionnaireVersion,
      status: 'open',
      outcome: null,
      answers: {},
      defects: [],
      talks: 0,
      teamDiscussions: 0,
      measuresAgreed: 0,
    };
  }
  if (event.type === 'ReviewPurged' || doc === null) return null;
  switch (event.type) {
    case 'AnswersRecorded':
      return { ...doc, answers: withAnswers(doc.answers, event.data.answers) };
    case 'DefectRecorded':
      return {
        ...doc,
        defects: withDefect(doc.defects, {
          defectId: event.data.defectId,
          questionId: event.data.questionId,
          category: event.data.category,
          severity: event.data.severity,
          legalNorm: event.data.legalNorm,
          financialLoss: event.data.financialLoss,
          withdrawn: false,
        }),
      };
    case 'DefectWithdrawn':
      return { ...doc, defects: withdrawDefect(doc.defects, event.data.defectId) };
    case 'ReviewCompleted':
      return { ...doc, status: 'completed', outcome: event.data.outcome };
    case 'ReviewCorrected': {
      const defects = correctDefects<CopiedDefect>(doc.defects, event.data.defects, (change, known) => ({
        defectId: change.defectId,
        questionId: known?.questionId ?? '',
        category: change.category,
        severity: change.severity,
        legalNorm: known?.legalNorm ?? null,
        financialLoss: known?.financialLoss ?? false,
        withdrawn: change.withdrawn,
      }));
      return {
        ...doc,
        outcome: event.data.outcome ?? doc.outcome,
        answers: withAnswers(doc.answers, event.data.answers),
        defects,
      };
    }
    case 'TalkHeld':
      // Counted only: who talked to whom stays sealed in the review's own stream.
      return { ...doc, talks: doc.talks + 1 };
    case 'TeamDiscussionHeld':
      return { ...doc, teamDiscussions: doc.teamDiscussions + 1 };
    case 'ReviewWithdrawn':
      return { ...doc, status: 'withdrawn' };
    case 'MeasureAgreed':
      return { ...doc, measuresAgreed: doc.measuresAgreed + 1 };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

/** Read model `cross-level-case-copies`: one closed-answer copy per review (see `CaseCopyDoc`). */
export const caseCopiesProjection: ProjectionDefinition<CaseCopyDoc> = {
  name: CROSS_LEVEL_CASE_COPIES,
  version: 1,
  // A cross-level review's copies: a tenant's completed reviews in a month range.
  indexes: [{ fields: { tenant: 1, status: 1, month: 1 } }],
  eventTypes: [...REVIEW_TYPES, 'MeasureAgreed', 'ReviewPurged'],
  documentIds: (recorded) => {
    const event = asEvent(recorded);
    if (event.type === 'MeasureAgreed')
      return event.data.reviewId === null ? [] : [caseCopyId(recorded.metadata.tenant, event.data.reviewId)];
    if (event.type === 'ReviewPurged') return [caseCopyId(event.data.tenant, event.data.reviewId)];
    return [caseCopyId(recorded.metadata.tenant, event.data.reviewId)];
  },
  evolve: (doc, recorded, id) => evolve(doc, asEvent(recorded), id, recorded.metadata.tenant),
};
