import type { RetentionSummary, SummaryMeasure } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import type { Doc } from '@pruefpfad/read-store';
import type { ProjectionDefinition } from '../../projection.js';
import { teamFiguresProjection } from '../dashboards/team-figures.projection.js';
import {
  reviewFactId,
  type DefectFact,
  type MeasureFactDoc,
  type ReviewFactDoc,
} from '../dashboards/team-figures.doc.js';
import { trendReviewsProjection } from '../trends/trend-reviews.projection.js';
import { trendMeasuresProjection } from '../trends/trend-measures.projection.js';
import { trendMeasureId, trendReviewId, type TrendMeasureDoc, type TrendReviewDoc } from '../trends/trend.docs.js';

/**
 * The anonymous summary of a review about to be purged, folded from its events and its measures' events
 * through the very projections whose figures it must keep (team-figures for dashboards and quarterly
 * reports, trend-reviews and trend-measures for trends). So a summary stands for exactly the facts those
 * read models held, and `applySummary…` below (summary-documents.ts) turn it back into the same documents: the figures are
 * unchanged by the purge and by a rebuild after it (test: retention-summary.unit.spec.ts).
 */
export function summariseReview(
  tenant: string,
  reviewId: string,
  reviewEvents: readonly RecordedEvent[],
  measureEvents: readonly RecordedEvent[],
): RetentionSummary | null {
  const figures = fold(teamFiguresProjection, [...reviewEvents, ...measureEvents]);
  const trends = fold(trendReviewsProjection, [...reviewEvents, ...measureEvents]);
  const trendMeasures = fold(trendMeasuresProjection, measureEvents);
  const review = figures.get(reviewFactId(tenant, reviewId)) as ReviewFactDoc | undefined;
  const trend = trends.get(trendReviewId(tenant, reviewId)) as TrendReviewDoc | undefined;
  // A stream without its opening event has nothing to summarise (nothing of it counts anywhere).
  if (review === undefined || trend === undefined) return null;
  const measures: SummaryMeasure[] = [];
  for (const [id, doc] of figures) {
    if (doc.kind !== 'measure') continue;
    const measure = doc as MeasureFactDoc;
    const measureId = id.slice(`${tenant}:measure:`.length);
    measures.push({
      measureId,
      areaId: measure.areaId,
      teamId: measure.teamId,
      kind: measure.measureKind,
      scope: measure.scope,
      status: measure.status,
      agreedOn: measure.agreedOn,
      dueDate: measure.dueDate,
      closedOn: measure.closedOn,
    });
    // The trend view of the measure must agree: it is rebuilt from the same fields.
    const trendMeasure = trendMeasures.get(trendMeasureId(tenant, measureId)) as TrendMeasureDoc | undefined;
    if (trendMeasure !== undefined && trendMeasure.reviewId !== reviewId)
      throw new Error(`measure ${measureId} belongs to review ${String(trendMeasure.reviewId)}, not ${reviewId}`);
  }
  measures.sort((a, b) => a.measureId.localeCompare(b.measureId));
  return {
    reviewId,
    tenant,
    areaId: review.areaId,
    teamId: review.teamId,
    month: review.month,
    programmeId: review.programmeId,
    questionnaireId: trend.questionnaireId,
    questionnaireVersion: trend.questionnaireVersion,
    deadline: review.deadline,
    status: review.status,
    outcome: review.outcome,
    completedOn: review.completedOn,
    defects: review.defects.map((defect: DefectFact) => ({
      defectId: defect.defectId,
      category: defect.category,
      severity: defect.severity,
      legalNorm: defect.legalNorm,
      financialLoss: defect.financialLoss,
      withdrawn: defect.withdrawn,
    })),
    talks: review.talks,
    teamDiscussions: review.teamDiscussions,
    measuresAgreed: trend.measuresAgreed,
    measures,
  };
}

function fold(definition: ProjectionDefinition, events: readonly RecordedEvent[]): Map<string, Doc> {
  const docs = new Map<string, Doc>();
  const handled = new Set(definition.eventTypes);
  const ordered = [...events].sort((a, b) => a.position - b.position);
  for (const event of ordered) {
    if (!handled.has(event.type)) continue;
    for (const id of definition.documentIds(event)) {
      const next = definition.evolve(docs.get(id) ?? null, event, id);
      if (next === null) docs.delete(id);
      else docs.set(id, next);
    }
  }
  return docs;
}
