import { type LegalQuotaEvent, legalQuotaTotalsOf } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import type { ProjectionDefinition } from '../../projection.js';
import { LEGAL_QUOTA, type LegalQuotaDoc } from './legal-quota.doc.js';

const asEvent = (recorded: RecordedEvent): LegalQuotaEvent =>
  ({ type: recorded.type, data: recorded.data }) as LegalQuotaEvent;

export const legalQuotaProjection: ProjectionDefinition<LegalQuotaDoc> = {
  name: LEGAL_QUOTA,
  version: 1,
  // A tenant's months in a range.
  indexes: [{ fields: { tenant: 1, month: 1 } }],
  eventTypes: ['LegalQuotaFiguresRecorded', 'LegalQuotaFiguresCorrected'] satisfies LegalQuotaEvent['type'][],
  documentIds: (recorded) => [asEvent(recorded).data.quotaId],
  evolve: (doc, recorded, id) => {
    const event = asEvent(recorded);
    const common = {
      _id: id,
      tenant: recorded.metadata.tenant,
      month: event.data.month,
      year: Number(event.data.month.slice(0, 4)),
      rows: event.data.rows,
      totals: legalQuotaTotalsOf(event.data.rows),
      streamRevision: recorded.revision,
    };
    switch (event.type) {
      case 'LegalQuotaFiguresRecorded':
        return {
          ...common,
          recordedAt: event.data.recordedAt,
          changedAt: event.data.recordedAt,
          corrections: 0,
        };
      case 'LegalQuotaFiguresCorrected':
        return {
          ...common,
          recordedAt: doc?.recordedAt ?? event.data.correctedAt,
          changedAt: event.data.correctedAt,
          corrections: (doc?.corrections ?? 0) + 1,
        };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
};
