import type { Clock, IdGenerator } from '@pruefpfad/application';
import {
  measureStreamId,
  POPULATION_PURGE_EVENT_SCHEMAS,
  type PopulationPurged,
  type PopulationPurgeStarted,
  populationPurgeStreamId,
  PURGE_EVENT_SCHEMAS,
  purgeStreamId,
  RETENTION_SUMMARY_SCHEMA,
  retentionStreamId,
  type ReviewPurged,
  type ReviewPurgeStarted,
  reviewStreamId,
} from '@pruefpfad/domain';
import type { EventMetadata, EventStore, NewEvent } from '@pruefpfad/event-store';
import type { KeyStore } from '@pruefpfad/privacy';
import { summariseReview } from '@pruefpfad/projections';
import type { PurgeLedgerEntry } from '../operations/purge-ledger.port.js';
import { recordReferencesDestroyed } from './population-references.js';
import { RETENTION_ACTOR } from './purge-reactor.js';

export interface ReapplyDependencies {
  readonly eventStore: EventStore;
  readonly keyStore: KeyStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly rulesVersion: string;
}

/** What re-applying one ledger entry changed (all zero/false: the restored stores had it already). */
export interface ReapplyOutcome {
  readonly entry: PurgeLedgerEntry;
  /** Keys that were still there (restored from a key backup older than the purge) and are destroyed now. */
  readonly keysDestroyed: number;
  /** Streams that held events (restored from an event backup older than the purge) and are deleted now. */
  readonly streamsDeleted: number;
  /** Whether the purge record was missing from the restored event store and was written again. */
  readonly recorded: boolean;
}

/**
 * Re-applies one purge of the ledger to stores restored from a backup: every key it names is destroyed
 * and every stream deleted (both idempotent), and the event store gets the purge's record back if the
 * backup predates it, so that the chain verification accounts for the deleted (and sealed) streams and
 * a rebuild's read models leave the purged review out. Unlike the purge reactor it does not consult the
 * legal hold: the hold was checked and closed when the purge happened, and a backup may show a hold that
 * was lifted afterwards.
 *
 * Order: the anonymous summary is taken first (from the review's restored events, while they exist), then
 * keys and streams go, then the purge record is appended in one append. A crash anywhere leaves a state
 * the next run completes: a summary appended twice is folded by review id; without the review's events
 * on the next run the summary of the first is what stands.
 */
export async function reapplyPurge(deps: ReapplyDependencies, entry: PurgeLedgerEntry): Promise<ReapplyOutcome> {
  switch (entry.kind) {
    case 'review-purge':
      return reapplyReviewPurge(deps, entry);
    case 'population-purge':
      return reapplyPopulationPurge(deps, entry);
    case 'population-references': {
      const keysDestroyed = await destroyKeys(deps.keyStore, entry.keys);
      const record = entry.record as { tenant: string; populationId: string; keptUntil: string };
      const recorded = (await recordReferencesDestroyed(deps, record)) === 'recorded';
      return { entry, keysDestroyed, streamsDeleted: 0, recorded };
    }
    default: {
      const unknown: never = entry.kind;
      throw new Error(`Unbekannter Eintrag im Löschprotokoll / unknown purge ledger entry kind: ${String(unknown)}`);
    }
  }
}

async function reapplyReviewPurge(deps: ReapplyDependencies, entry: PurgeLedgerEntry): Promise<ReapplyOutcome> {
  const started = entry.record as unknown as ReviewPurgeStarted['data'];
  const { reviewId, tenant } = started;
  const history = await deps.eventStore.readStream(purgeStreamId(reviewId));
  const lastStart = history.findLastIndex((event) => event.type === 'ReviewPurgeStarted');
  const since = lastStart === -1 ? [] : history.slice(lastStart + 1).map((event) => event.type);
  const alreadyRecorded = since.includes('ReviewPurged');
  const metadata = metadataFor(deps, tenant);
  const toAppend: NewEvent[] = [];
  if (!alreadyRecorded) {
    // A start the restored store lacks, or one that a hold had ended before the backup, is written again.
    if (lastStart === -1 || since.includes('ReviewPurgeHeld'))
      toAppend.push(event(deps, 'ReviewPurgeStarted', PURGE_EVENT_SCHEMAS.ReviewPurgeStarted, started, metadata));
    if (!since.includes('ReviewSummarised') || toAppend.length > 0) {
      const summaryPosition = await summarise(deps, started, metadata);
      toAppend.push(
        event(
          deps,
          'ReviewSummarised',
          PURGE_EVENT_SCHEMAS.ReviewSummarised,
          { reviewId, tenant, summaryPosition },
          metadata,
        ),
      );
    }
  }
  const keysDestroyed = await destroyKeys(deps.keyStore, entry.keys);
  const streamsDeleted = await deleteStreams(deps.eventStore, entry.streams);
  if (!alreadyRecorded) {
    const purged: ReviewPurged['data'] = {
      reviewId,
      tenant,
      measureIds: [...started.measureIds],
      streamsDeleted: [...entry.streams],
      keysDestroyed: entry.keys.length,
      retentionEndedOn: started.retentionEndedOn,
      purgedAt: entry.recordedAt,
    };
    toAppend.push(event(deps, 'ReviewPurged', PURGE_EVENT_SCHEMAS.ReviewPurged, purged, metadata));
    await deps.eventStore.append(purgeStreamId(reviewId), toAppend, {
      expectedRevision: history.at(-1)?.revision ?? 'no_stream',
    });
  }
  return { entry, keysDestroyed, streamsDeleted, recorded: !alreadyRecorded };
}

async function reapplyPopulationPurge(deps: ReapplyDependencies, entry: PurgeLedgerEntry): Promise<ReapplyOutcome> {
  const started = entry.record as unknown as PopulationPurgeStarted['data'];
  const streamId = populationPurgeStreamId(started.populationId);
  const history = await deps.eventStore.readStream(streamId);
  const alreadyRecorded = history.some((candidate) => candidate.type === 'PopulationPurged');
  const keysDestroyed = await destroyKeys(deps.keyStore, entry.keys);
  const streamsDeleted = await deleteStreams(deps.eventStore, entry.streams);
  if (!alreadyRecorded) {
    const metadata = metadataFor(deps, started.tenant);
    const purged: PopulationPurged['data'] = {
      populationId: started.populationId,
      tenant: started.tenant,
      sampleIds: [...started.sampleIds],
      streamsDeleted: [...entry.streams],
      keysDestroyed: entry.keys.length,
      purgedAt: entry.recordedAt,
    };
    const events = [
      ...(history.length === 0
        ? [
            event(
              deps,
              'PopulationPurgeStarted',
              POPULATION_PURGE_EVENT_SCHEMAS.PopulationPurgeStarted,
              started,
              metadata,
            ),
          ]
        : []),
      event(deps, 'PopulationPurged', POPULATION_PURGE_EVENT_SCHEMAS.PopulationPurged, purged, metadata),
    ];
    await deps.eventStore.append(streamId, events, { expectedRevision: history.at(-1)?.revision ?? 'no_stream' });
  }
  return { entry, keysDestroyed, streamsDeleted, recorded: !alreadyRecorded };
}

/** The anonymous summary from the review's restored events; null when they are gone already. */
async function summarise(
  deps: ReapplyDependencies,
  started: ReviewPurgeStarted['data'],
  metadata: EventMetadata,
): Promise<number | null> {
  const reviewEvents = await deps.eventStore.readStream(reviewStreamId(started.reviewId));
  if (reviewEvents.length === 0) return null;
  const measureEvents = (
    await Promise.all(started.measureIds.map((measureId) => deps.eventStore.readStream(measureStreamId(measureId))))
  ).flat();
  const summary = summariseReview(started.tenant, started.reviewId, reviewEvents, measureEvents);
  if (summary === null) return null;
  const appended = await deps.eventStore.append(
    retentionStreamId(started.tenant),
    [event(deps, 'RetentionSummaryRecorded', RETENTION_SUMMARY_SCHEMA, summary, metadata)],
    { expectedRevision: 'any' },
  );
  return appended.position;
}

async function destroyKeys(keyStore: KeyStore, keys: readonly string[]): Promise<number> {
  let destroyed = 0;
  for (const keyId of keys) {
    if ((await keyStore.get(keyId)) !== null) destroyed += 1;
    await keyStore.destroy(keyId);
  }
  return destroyed;
}

async function deleteStreams(eventStore: EventStore, streams: readonly string[]): Promise<number> {
  let deleted = 0;
  for (const streamId of streams) {
    if ((await eventStore.streamInfo(streamId)).revision !== null) deleted += 1;
    await eventStore.deleteStream(streamId);
  }
  return deleted;
}

function metadataFor(deps: ReapplyDependencies, tenant: string): EventMetadata {
  const correlationId = deps.ids.next();
  return {
    occurredAt: deps.clock.now().toISOString(),
    actor: RETENTION_ACTOR,
    tenant,
    correlationId,
    causationId: null,
    rulesVersion: deps.rulesVersion,
  };
}

function event(
  deps: ReapplyDependencies,
  type: string,
  schemaVersion: number,
  data: unknown,
  metadata: EventMetadata,
): NewEvent {
  return { id: deps.ids.next(), type, schemaVersion, data, metadata };
}
