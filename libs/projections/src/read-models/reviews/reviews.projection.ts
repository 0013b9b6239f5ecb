import { berlinDate } from '@pruefpfad/application';
import { REVIEW_DEFAULTS, type ReviewEvent, type ReviewPurged } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import type { ProjectionDefinition } from '../../projection.js';
import { REVIEWS, type ReviewDoc } from './review.doc.js';

const REVIEW_EVENT_TYPES = [
  'CaseSampled',
  'AnswersRecorded',
  'LookBackExtended',
  'DefectRecorded',
  'DefectWithdrawn',
  'ReviewCompleted',
  'ReviewCorrected',
  'TalkHeld',
  'TeamDiscussionHeld',
  'ReviewWithdrawn',
] as const satisfies readonly ReviewEvent['type'][];

/** Retention (000:92): a purged review's document goes; its figures live on in its anonymous summary. */
const PURGED = 'ReviewPurged' satisfies ReviewPurged['type'];

/** The fields every event changes: the revision the next `If-Match` names, and deputy work. */
function touched(doc: ReviewDoc, event: RecordedEvent, asDeputy: boolean | undefined): ReviewDoc {
  return {
    ...doc,
    streamRevision: event.revision,
    updatedAt: event.metadata.occurredAt,
    deputyWork: doc.deputyWork || asDeputy === true,
  };
}

/**
 * Read model `reviews` (shape: review.doc.ts): one document per review, the source of worklists,
 * review details and per-team figures. Personal fields stay sealed; queries open them after authorisation.
 */
export const reviewsProjection: ProjectionDefinition<ReviewDoc> = {
  name: REVIEWS,
  version: 1,
  // A team's worklist and quarter exports (team or area by month); open or completed reviews per tenant
  // (inbox); reviews whose retention may be due (planner, across tenants).
  indexes: [
    { fields: { tenant: 1, teamId: 1, month: 1 } },
    { fields: { tenant: 1, areaId: 1, month: 1 } },
    { fields: { tenant: 1, status: 1 } },
    { fields: { status: 1, completedOn: 1 } },
  ],
  eventTypes: [...REVIEW_EVENT_TYPES, PURGED],
  documentIds: (event) => [(event.data as ReviewEvent['data'] | ReviewPurged['data']).reviewId],
  evolve: (doc, recorded) => {
    if (recorded.type === PURGED) return null;
    const event = { type: recorded.type, data: recorded.data } as ReviewEvent;
    if (event.type === 'CaseSampled') {
      if (doc !== null) return doc;
      const data = event.data;
      return {
        _id: data.reviewId,
        tenant: recorded.metadata.tenant,
        programmeId: data.programmeId,
        sampleId: data.sampleId,
        areaId: data.areaId,
        teamId: data.teamId,
        month: data.month,
        casePseudonym: data.casePseudonym,
        caseRef: data.caseRef,
        customerGroup: data.customerGroup,
        questionnaireId: data.questionnaireId,
        questionnaireVersion: data.questionnaireVersion,
        deadline: data.deadline,
        status: 'open',
        outcome: null,
        completedOn: null,
        answers: {},
        defects: [],
        talks: [],
        teamDiscussions: [],
        summary: null,
        lookBackMonths: REVIEW_DEFAULTS.standardLookBackMonths,
        lookBackReason: null,
        deputyWork: false,
        streamRevision: recorded.revision,
        origin: data.origin,
        openedAt: recorded.metadata.occurredAt,
        updatedAt: recorded.metadata.occurredAt,
        completedAt: null,
        corrections: [],
        withdrawal: null,
      };
    }
    // Events of a review whose opening this projection never saw (e.g. purged) have nothing to attach to.
    if (doc === null) return null;
    switch (event.type) {
      case 'AnswersRecorded': {
        const answers = { ...doc.answers };
        for (const entry of event.data.answers) answers[entry.questionId] = entry.answer;
        return { ...touched(doc, recorded, event.data.asDeputy), answers };
      }
      case 'LookBackExtended':
        return {
          ...touched(doc, recorded, event.data.asDeputy),
          lookBackMonths: event.data.months,
          lookBackReason: event.data.reason,
        };
      case 'DefectRecorded': {
        const data = event.data;
        return {
          ...touched(doc, recorded, data.asDeputy),
          defects: [
            ...doc.defects.filter((defect) => defect.defectId !== data.defectId),
            {
              defectId: data.defectId,
              questionId: data.questionId,
              category: data.category,
              severity: data.severity,
              legalNorm: data.legalNorm,
              financialLoss: data.financialLoss,
              description: data.description,
              withdrawn: false,
              withdrawalReason: null,
              recordedAt: recorded.metadata.occurredAt,
              asDeputy: data.asDeputy,
            },
          ],
        };
      }
      case 'DefectWithdrawn': {
        const data = event.data;
        return {
          ...touched(doc, recorded, data.asDeputy),
          defects: doc.defects.map((defect) =>
            defect.defectId === data.defectId ? { ...defect, withdrawn: true, withdrawalReason: data.reason } : defect,
          ),
        };
      }
      case 'ReviewCompleted': {
        const data = event.data;
        return {
          ...touched(doc, recorded, data.asDeputy),
          status: 'completed',
          outcome: data.outcome,
          summary: data.summary,
          completedAt: data.completedAt,
          completedOn: data.completedOn ?? berlinDate(new Date(data.completedAt)),
        };
      }
      case 'ReviewCorrected': {
        const data = event.data;
        const answers = { ...doc.answers };
        for (const entry of data.answers) answers[entry.questionId] = entry.answer;
        const changes = new Map(data.defects.map((change) => [change.defectId, change]));
        return {
          ...touched(doc, recorded, data.asDeputy),
          answers,
          outcome: data.outcome ?? doc.outcome,
          defects: doc.defects.map((defect) => {
            const change = changes.get(defect.defectId);
            return change
              ? { ...defect, severity: change.severity, category: change.category, withdrawn: change.withdrawn }
              : defect;
          }),
          corrections: [
            ...doc.corrections,
            { at: recorded.metadata.occurredAt, reason: data.reason, asDeputy: data.asDeputy === true },
          ],
        };
      }
      case 'TalkHeld': {
        const data = event.data;
        return {
          ...touched(doc, recorded, data.asDeputy),
          talks: [
            ...doc.talks,
            { date: data.date, employee: data.employee, outcome: data.outcome, asDeputy: data.asDeputy },
          ],
        };
      }
      case 'TeamDiscussionHeld': {
        const data = event.data;
        return {
          ...touched(doc, recorded, data.asDeputy),
          teamDiscussions: [
            ...doc.teamDiscussions,
            { date: data.date, notes: data.notes, asDeputy: data.asDeputy === true },
          ],
        };
      }
      case 'ReviewWithdrawn':
        return {
          ...touched(doc, recorded, false),
          status: 'withdrawn',
          withdrawal: {
            reason: event.data.reason,
            replacedBy: event.data.replacedBy,
            at: recorded.metadata.occurredAt,
          },
        };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
};
