import type { MeasureAgreed, RetentionSummaryRecorded, ReviewEvent } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import type { ProjectionDefinition } from '../../projection.js';
import { correctDefects, withDefect, withdrawDefect } from '../defect-list.js';
import { RETENTION_SUMMARY_TYPE, trendReviewFromSummary } from '../retention/summary-documents.js';
import type { DefectFacts } from './review-facts.js';
import { TREND_REVIEWS, trendReviewId, type TrendReviewDoc } from './trend.docs.js';

const REVIEW_TYPES = [
  'CaseSampled',
  'DefectRecorded',
  'DefectWithdrawn',
  'ReviewCompleted',
  'ReviewCorrected',
  'TalkHeld',
  'TeamDiscussionHeld',
  'ReviewWithdrawn',
] as const satisfies readonly ReviewEvent['type'][];

/** Answers, look-back extensions, follow-ups move no trend figure: not subscribed. */
type Folded = Extract<ReviewEvent, { type: (typeof REVIEW_TYPES)[number] }> | MeasureAgreed;

const unreachable = (event: never): never => {
  throw new Error(`unhandled event ${JSON.stringify(event)}`);
};

const asEvent = (recorded: RecordedEvent): Folded => ({ type: recorded.type, data: recorded.data }) as Folded;

function evolve(doc: TrendReviewDoc | null, event: Folded, id: string, tenant: string): TrendReviewDoc | null {
  if (event.type === 'CaseSampled') {
    // A replayed or duplicated CaseSampled must not reset a review under way.
    if (doc !== null) return doc;
    const data = event.data;
    return {
      _id: id,
      source: 'live',
      tenant,
      areaId: data.areaId,
      teamId: data.teamId,
      month: data.month,
      programmeId: data.programmeId,
      questionnaireId: data.questionnaireId,
      questionnaireVersion: data.questionnaireVersion,
      status: 'open',
      outcome: null,
      defects: [],
      talks: 0,
      teamDiscussions: 0,
      measuresAgreed: 0,
    };
  }
  // Events of a review sampled before this read model's history began, or of one a summary replaced.
  if (doc === null || doc.source === 'summary') return doc;
  switch (event.type) {
    case 'DefectRecorded':
      return {
        ...doc,
        defects: withDefect(doc.defects, {
          defectId: event.data.defectId,
          category: event.data.category,
          severity: event.data.severity,
          withdrawn: false,
        }),
      };
    case 'DefectWithdrawn':
      return {
        ...doc,
        defects: withdrawDefect(doc.defects, event.data.defectId),
      };
    case 'ReviewCompleted':
      return { ...doc, status: 'completed', outcome: event.data.outcome };
    case 'ReviewCorrected': {
      const defects = correctDefects<DefectFacts>(doc.defects, event.data.defects, (change) => ({
        defectId: change.defectId,
        category: change.category,
        severity: change.severity,
        withdrawn: change.withdrawn,
      }));
      return { ...doc, outcome: event.data.outcome ?? doc.outcome, defects };
    }
    case 'TalkHeld':
      // Counted, never attributed: the employee stays sealed in the review's own stream.
      return { ...doc, talks: doc.talks + 1 };
    case 'TeamDiscussionHeld':
      return { ...doc, teamDiscussions: doc.teamDiscussions + 1 };
    case 'ReviewWithdrawn':
      return { ...doc, status: 'withdrawn' };
    case 'MeasureAgreed':
      return { ...doc, measuresAgreed: doc.measuresAgreed + 1 };
    default:
      return unreachable(event);
  }
}

/** Read model `trend-reviews`: one anonymous `ReviewFacts` document per review. */
export const trendReviewsProjection: ProjectionDefinition<TrendReviewDoc> = {
  name: TREND_REVIEWS,
  // 2: a purged review's retention summary replaces its live facts under the same id.
  version: 2,
  // A tenant's (or its teams') reviews in a month range.
  indexes: [{ fields: { tenant: 1, month: 1 } }, { fields: { tenant: 1, teamId: 1, month: 1 } }],
  eventTypes: [...REVIEW_TYPES, 'MeasureAgreed', RETENTION_SUMMARY_TYPE],
  documentIds: (recorded) => {
    if (recorded.type === RETENTION_SUMMARY_TYPE) {
      const summary = (recorded as unknown as RetentionSummaryRecorded).data;
      return [trendReviewId(summary.tenant, summary.reviewId)];
    }
    const event = asEvent(recorded);
    if (event.type === 'MeasureAgreed')
      return event.data.reviewId === null ? [] : [trendReviewId(recorded.metadata.tenant, event.data.reviewId)];
    return [trendReviewId(recorded.metadata.tenant, event.data.reviewId)];
  },
  evolve: (doc, recorded, id) =>
    recorded.type === RETENTION_SUMMARY_TYPE
      ? trendReviewFromSummary((recorded as unknown as RetentionSummaryRecorded).data)
      : evolve(doc, asEvent(recorded), id, recorded.metadata.tenant),
};
