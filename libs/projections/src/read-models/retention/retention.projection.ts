import type { LegalHoldEvent, PopulationPurgeEvent, PurgeEvent } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import type { ProjectionDefinition } from '../../projection.js';
import { legalHoldId, populationPurgeId, purgeRecordId, RETENTION, type RetentionDoc } from './retention.doc.js';

type Handled = LegalHoldEvent | PurgeEvent | PopulationPurgeEvent;

const asEvent = (recorded: RecordedEvent): Handled => ({ type: recorded.type, data: recorded.data }) as Handled;

/** Read model `retention` (retention.doc.ts): legal holds and purge records, one document each per review. */
export const retentionProjection: ProjectionDefinition<RetentionDoc> = {
  name: RETENTION,
  version: 1,
  // A tenant's purge records newest first; the purge record of a measure (410 for a purged measure).
  indexes: [{ fields: { tenant: 1, kind: 1, startedAt: -1 } }, { fields: { measureIds: 1 } }],
  eventTypes: [
    'LegalHoldPlaced',
    'LegalHoldLifted',
    'ReviewPurgeStarted',
    'ReviewPurgeHeld',
    'ReviewSummarised',
    'ReviewPurged',
    'PopulationPurgeStarted',
    'PopulationPurged',
  ] satisfies Handled['type'][],
  documentIds: (recorded) => {
    const event = asEvent(recorded);
    if (event.type === 'PopulationPurgeStarted' || event.type === 'PopulationPurged')
      return [populationPurgeId(event.data.tenant, event.data.populationId)];
    const { tenant, reviewId } = event.data;
    switch (event.type) {
      case 'LegalHoldPlaced':
      case 'LegalHoldLifted':
      case 'LegalHoldClosedForPurge':
        return [legalHoldId(tenant, reviewId)];
      case 'ReviewPurged':
        // The hold's history (its sealed reasons) goes with the review.
        return [purgeRecordId(tenant, reviewId), legalHoldId(tenant, reviewId)];
      case 'ReviewPurgeStarted':
      case 'ReviewPurgeHeld':
      case 'ReviewSummarised':
        return [purgeRecordId(tenant, reviewId)];
    }
  },
  evolve: (doc, recorded, id) => {
    const event = asEvent(recorded);
    switch (event.type) {
      case 'LegalHoldPlaced':
        return {
          _id: id,
          kind: 'hold',
          tenant: event.data.tenant,
          reviewId: event.data.reviewId,
          held: true,
          placedOn: event.data.placedOn,
          reason: event.data.reason,
          liftedOn: null,
          liftReason: null,
        };
      case 'LegalHoldLifted':
        return doc?.kind === 'hold'
          ? { ...doc, held: false, liftedOn: event.data.liftedOn, liftReason: event.data.reason }
          : doc;
      case 'ReviewPurgeStarted':
        return {
          _id: id,
          kind: 'purge',
          tenant: event.data.tenant,
          reviewId: event.data.reviewId,
          state: 'started',
          trigger: event.data.trigger,
          retentionEndedOn: event.data.retentionEndedOn,
          startedAt: recorded.metadata.occurredAt,
          purgedAt: null,
          streamsDeleted: 0,
          keysDestroyed: 0,
          measureIds: event.data.measureIds,
        };
      case 'ReviewPurgeHeld':
        return doc?.kind === 'purge' ? { ...doc, state: 'held' } : doc;
      case 'LegalHoldClosedForPurge':
        return doc;
      case 'ReviewSummarised':
        return doc;
      case 'ReviewPurged':
        if (id === legalHoldId(event.data.tenant, event.data.reviewId)) return null;
        return {
          _id: id,
          kind: 'purge',
          tenant: event.data.tenant,
          reviewId: event.data.reviewId,
          state: 'purged',
          trigger: doc?.kind === 'purge' ? doc.trigger : 'daily-job',
          retentionEndedOn: event.data.retentionEndedOn,
          startedAt: doc?.kind === 'purge' ? doc.startedAt : event.data.purgedAt,
          purgedAt: event.data.purgedAt,
          streamsDeleted: event.data.streamsDeleted.length,
          keysDestroyed: event.data.keysDestroyed,
          measureIds: event.data.measureIds,
        };
      case 'PopulationPurgeStarted':
        return {
          _id: id,
          kind: 'population-purge',
          tenant: event.data.tenant,
          populationId: event.data.populationId,
          programmeId: event.data.programmeId,
          month: event.data.month,
          state: 'started',
          startedAt: recorded.metadata.occurredAt,
          purgedAt: null,
        };
      case 'PopulationPurged':
        return doc?.kind === 'population-purge' ? { ...doc, state: 'purged', purgedAt: event.data.purgedAt } : doc;
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
};
