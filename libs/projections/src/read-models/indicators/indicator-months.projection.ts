import { indicatorMonthId, type IndicatorMonthEvent, INDICATOR_MONTH_EVENT_SCHEMAS } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import type { ProjectionDefinition } from '../../projection.js';
import { INDICATOR_MONTHS, type IndicatorMonthDoc } from './indicator-month.doc.js';

const asEvent = (recorded: RecordedEvent): IndicatorMonthEvent =>
  ({ type: recorded.type, data: recorded.data }) as IndicatorMonthEvent;

/**
 * Folds a team month's stream into its document. Events before the import (none are possible: the
 * decider refuses them) would find no document and are ignored.
 */
export const indicatorMonthsProjection: ProjectionDefinition<IndicatorMonthDoc> = {
  name: INDICATOR_MONTHS,
  version: 1,
  // An area's teams in a month; a tenant's months (deadlines).
  indexes: [{ fields: { tenant: 1, areaId: 1, month: 1 } }],
  eventTypes: Object.keys(INDICATOR_MONTH_EVENT_SCHEMAS),
  documentIds: (recorded) => {
    const { data } = asEvent(recorded);
    return [indicatorMonthId(recorded.metadata.tenant, data.teamId, data.month)];
  },
  evolve: (doc, recorded, id) => {
    const event = asEvent(recorded);
    const at = recorded.metadata.occurredAt;
    switch (event.type) {
      case 'IndicatorDataImported': {
        const d = event.data;
        return {
          _id: id,
          tenant: d.tenant,
          areaId: d.areaId,
          teamId: d.teamId,
          month: d.month,
          referenceDate: d.referenceDate,
          importNumber: d.importNumber,
          source: d.source,
          rowCount: d.rowCount,
          fingerprint: d.fingerprint,
          settings: d.settings,
          figures: d.figures,
          importedAt: at,
          importedByRole: d.importedByRole,
          ratings: doc?.ratings ?? {},
          riskProposal: doc?.riskProposal ?? null,
          teamRisk: doc?.teamRisk ?? null,
          streamRevision: recorded.revision,
        };
      }
      case 'IndicatorRated': {
        if (doc === null) return null;
        const d = event.data;
        return {
          ...doc,
          ratings: {
            ...doc.ratings,
            [d.indicator]: {
              rating: d.rating,
              importNumber: d.importNumber,
              comment: d.comment,
              measureIds: d.measureIds,
              ratedAt: at,
              ratedByRole: d.ratedByRole,
            },
          },
          streamRevision: recorded.revision,
        };
      }
      case 'TeamRiskProposed':
        return doc === null
          ? null
          : {
              ...doc,
              riskProposal: {
                placement: event.data.placement,
                reason: event.data.reason,
                proposedByRole: event.data.proposedByRole,
                proposedAt: at,
              },
              streamRevision: recorded.revision,
            };
      case 'TeamRiskRated':
        return doc === null
          ? null
          : {
              ...doc,
              riskProposal: null,
              teamRisk: {
                placement: event.data.placement,
                proposedByRole: event.data.proposedByRole,
                confirmedByRole: event.data.confirmedByRole,
                ratedAt: at,
              },
              streamRevision: recorded.revision,
            };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
};
