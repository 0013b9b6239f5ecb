import type { RetentionSummary, SummaryMeasure } from '@pruefpfad/domain';
import {
  measureFactId,
  reviewFactId,
  type DefectFact,
  type MeasureFactDoc,
  type ReviewFactDoc,
} from '../dashboards/team-figures.doc.js';
import { trendMeasureId, trendReviewId, type TrendMeasureDoc, type TrendReviewDoc } from '../trends/trend.docs.js';

/**
 * The documents an anonymous retention summary stands for, in the shapes of the read models that keep
 * figures (team-figures, trend-reviews, trend-measures): a purged review's live documents are replaced by
 * these, under the same ids, so no figure moves. The inverse is `summariseReview` (retention-summary.ts).
 */
export const RETENTION_SUMMARY_TYPE = 'RetentionSummaryRecorded';

/** `team-figures` documents a summary stands for (the caller computes `counted` under its rules). */
export function reviewFactFromSummary(
  summary: RetentionSummary,
  counted: (defect: Pick<DefectFact, 'severity' | 'legalNorm' | 'financialLoss'>) => DefectFact['counted'],
): ReviewFactDoc {
  return {
    _id: reviewFactId(summary.tenant, summary.reviewId),
    kind: 'review',
    tenant: summary.tenant,
    areaId: summary.areaId,
    teamId: summary.teamId,
    programmeId: summary.programmeId,
    month: summary.month,
    deadline: summary.deadline,
    status: summary.status,
    outcome: summary.outcome,
    completedOn: summary.completedOn,
    defects: summary.defects.map((defect) => ({ ...defect, counted: counted(defect) })),
    talks: summary.talks,
    teamDiscussions: summary.teamDiscussions,
  };
}

export function measureFactFromSummary(summary: RetentionSummary, measure: SummaryMeasure): MeasureFactDoc {
  return {
    _id: measureFactId(summary.tenant, measure.measureId),
    kind: 'measure',
    tenant: summary.tenant,
    areaId: measure.areaId,
    teamId: measure.teamId,
    measureKind: measure.kind,
    scope: measure.scope,
    status: measure.status,
    dueDate: measure.dueDate,
    agreedOn: measure.agreedOn,
    closedOn: measure.closedOn,
  };
}

export function trendReviewFromSummary(summary: RetentionSummary): TrendReviewDoc {
  return {
    _id: trendReviewId(summary.tenant, summary.reviewId),
    source: 'summary',
    tenant: summary.tenant,
    areaId: summary.areaId,
    teamId: summary.teamId,
    month: summary.month,
    programmeId: summary.programmeId,
    questionnaireId: summary.questionnaireId,
    questionnaireVersion: summary.questionnaireVersion,
    status: summary.status,
    outcome: summary.outcome,
    defects: summary.defects.map((defect) => ({
      defectId: defect.defectId,
      category: defect.category,
      severity: defect.severity,
      withdrawn: defect.withdrawn,
    })),
    talks: summary.talks,
    teamDiscussions: summary.teamDiscussions,
    measuresAgreed: summary.measuresAgreed,
  };
}

export function trendMeasureFromSummary(summary: RetentionSummary, measure: SummaryMeasure): TrendMeasureDoc {
  return {
    _id: trendMeasureId(summary.tenant, measure.measureId),
    tenant: summary.tenant,
    areaId: measure.areaId,
    teamId: measure.teamId,
    reviewId: summary.reviewId,
    status: measure.status,
    agreedOn: measure.agreedOn,
    dueDate: measure.dueDate,
    closedOn: measure.closedOn,
  };
}
