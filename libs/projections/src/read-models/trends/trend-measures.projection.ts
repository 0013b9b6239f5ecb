import type { MeasureEvent, RetentionSummaryRecorded } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import type { ProjectionDefinition } from '../../projection.js';
import { RETENTION_SUMMARY_TYPE, trendMeasureFromSummary } from '../retention/summary-documents.js';
import { TREND_MEASURES, trendMeasureId, type TrendMeasureDoc } from './trend.docs.js';

const MEASURE_TYPES = [
  'MeasureAgreed',
  'MeasureCompleted',
  'MeasureCancelled',
] as const satisfies readonly MeasureEvent['type'][];

type Folded = Extract<MeasureEvent, { type: (typeof MEASURE_TYPES)[number] }>;

const asEvent = (recorded: RecordedEvent): Folded => ({ type: recorded.type, data: recorded.data }) as Folded;

/** Read model `trend-measures`: agreed, closed and due dates of each measure; owner and text stay out. */
export const trendMeasuresProjection: ProjectionDefinition<TrendMeasureDoc> = {
  name: TREND_MEASURES,
  // 2: a purged review's retention summary replaces its measures' documents under the same ids.
  version: 2,
  // Measures of a tenant's teams agreed by a date.
  indexes: [{ fields: { tenant: 1, teamId: 1, agreedOn: 1 } }, { fields: { tenant: 1, agreedOn: 1 } }],
  eventTypes: [...MEASURE_TYPES, RETENTION_SUMMARY_TYPE],
  documentIds: (recorded) => {
    if (recorded.type === RETENTION_SUMMARY_TYPE) {
      const summary = (recorded as unknown as RetentionSummaryRecorded).data;
      return summary.measures.map((measure) => trendMeasureId(summary.tenant, measure.measureId));
    }
    return [trendMeasureId(recorded.metadata.tenant, asEvent(recorded).data.measureId)];
  },
  evolve: (doc, recorded, id) => {
    if (recorded.type === RETENTION_SUMMARY_TYPE) {
      const summary = (recorded as unknown as RetentionSummaryRecorded).data;
      const measure = summary.measures.find((candidate) => trendMeasureId(summary.tenant, candidate.measureId) === id);
      return measure === undefined ? doc : trendMeasureFromSummary(summary, measure);
    }
    const event = asEvent(recorded);
    switch (event.type) {
      case 'MeasureAgreed':
        if (doc !== null) return doc;
        return {
          _id: id,
          tenant: recorded.metadata.tenant,
          areaId: event.data.areaId,
          teamId: event.data.teamId,
          reviewId: event.data.reviewId,
          status: 'open',
          agreedOn: event.data.agreedOn,
          dueDate: event.data.dueDate,
          closedOn: null,
        };
      case 'MeasureCompleted':
        return doc === null ? null : { ...doc, status: 'completed', closedOn: event.data.date };
      case 'MeasureCancelled':
        return doc === null ? null : { ...doc, status: 'cancelled', closedOn: event.data.date };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
};
