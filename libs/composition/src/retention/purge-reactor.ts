import type { Clock, IdGenerator } from '@pruefpfad/application';
import {
  fold,
  LEGAL_HOLD_EVENT_SCHEMAS,
  legalHoldDecider,
  type LegalHoldEvent,
  legalHoldStreamId,
  measureKeyId,
  measureStreamId,
  PURGE_EVENT_SCHEMAS,
  type PurgeEvent,
  purgeStreamId,
  RETENTION_SUMMARY_SCHEMA,
  retentionStreamId,
  reviewKeyId,
  type ReviewPurgeStarted,
  reviewStreamId,
} from '@pruefpfad/domain';
import {
  type EventMetadata,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from '@pruefpfad/event-store';
import type { KeyStore } from '@pruefpfad/privacy';
import { type ReactorDefinition, summariseReview } from '@pruefpfad/projections';
import type { PurgeLedger } from '../operations/purge-ledger.port.js';
import { reviewPurgeLedgerEntry } from './purge-ledger-entries.js';

export const RETENTION_PURGE_REACTOR = 'retention-purge';

/** How often the hold check is repeated when a hold changed while the purge was closing it. */
const HOLD_CHECK_ATTEMPTS = 5;

/** The actor of the purge's own events: no person, the retention rule itself. */
export const RETENTION_ACTOR = { userId: 'system:retention', role: 'system' } as const;

export interface PurgeReactorDependencies {
  readonly eventStore: EventStore;
  readonly keyStore: KeyStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly rulesVersion: string;
  /**
   * The purge ledger (apart from the events): each purge is recorded in it before its first key or
   * stream goes, so a restore of an older backup re-applies it. See `PurgeLedger` for the ordering.
   */
  readonly purgeLedger: PurgeLedger;
}

/**
 * Carries out a purge started on `purge-<reviewId>` (`ReviewPurgeStarted`), step by step, each step
 * recorded or idempotent, so a crash half-way resumes where it stopped (the reactor re-delivers the event):
 * 1. the legal hold is checked on its stream and, unless one stands, closed for good
 *    (`LegalHoldClosedForPurge`, see `closeLegalHold`); a hold ends the purge `ReviewPurgeHeld`;
 * 2. the anonymous summary goes to `retention-<tenant>`, then `ReviewSummarised` to the purge stream (a
 *    crash between the two repeats the summary; consumers fold it by review id, so that is harmless);
 * 3. the purge is recorded in the purge ledger (apart from the events; once past the hold check it can no
 *    longer stop, so recording it now cannot name a purge that does not happen), then the review's and its
 *    measures' data keys are destroyed (crypto-shredding: every copy, backups and read models included,
 *    is blinded);
 * 4. the review, measure and legal-hold streams are deleted (embedded: secure delete, WAL truncated);
 * 5. `ReviewPurged` records what went, without content; the projections drop the review's documents.
 */
export function purgeReactor(deps: PurgeReactorDependencies): ReactorDefinition {
  const { eventStore, keyStore, clock, ids } = deps;

  const metadata = (cause: RecordedEvent): EventMetadata => ({
    occurredAt: clock.now().toISOString(),
    actor: RETENTION_ACTOR,
    tenant: cause.metadata.tenant,
    correlationId: cause.metadata.correlationId,
    causationId: cause.id,
    rulesVersion: deps.rulesVersion,
  });

  const purgeEvent = <E extends PurgeEvent>(cause: RecordedEvent, event: E): NewEvent => ({
    id: ids.next(),
    type: event.type,
    schemaVersion: PURGE_EVENT_SCHEMAS[event.type],
    data: event.data,
    metadata: metadata(cause),
  });

  /** Appends to the purge stream after `revision`; false when another delivery got there first. */
  async function record(event: NewEvent, revision: number): Promise<boolean> {
    try {
      await eventStore.append(purgeStreamId((event.data as { reviewId: string }).reviewId), [event], {
        expectedRevision: revision,
      });
      return true;
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return false;
      throw error;
    }
  }

  /**
   * The legal-hold check, made binding: unless a hold stands, `LegalHoldClosedForPurge` is appended at the
   * revision just checked, so a hold placed meanwhile makes the append conflict (and is seen on the next
   * look) and a hold placed afterwards is refused by the decider. A redelivery finds the stream closed.
   */
  async function closeLegalHold(cause: RecordedEvent, reviewId: string, tenant: string): Promise<'held' | 'closed'> {
    for (let attempt = 1; ; attempt += 1) {
      const events = await eventStore.readStream(legalHoldStreamId(reviewId));
      const hold = fold(legalHoldDecider, events as unknown as LegalHoldEvent[]);
      if (hold.held) return 'held';
      if (hold.closed) return 'closed';
      try {
        await eventStore.append(
          legalHoldStreamId(reviewId),
          [
            {
              id: ids.next(),
              type: 'LegalHoldClosedForPurge',
              schemaVersion: LEGAL_HOLD_EVENT_SCHEMAS.LegalHoldClosedForPurge,
              data: { reviewId, tenant },
              metadata: metadata(cause),
            },
          ],
          { expectedRevision: events.at(-1)?.revision ?? 'no_stream' },
        );
        return 'closed';
      } catch (error) {
        // Someone placed or lifted a hold at this moment: look again (a few times at most).
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= HOLD_CHECK_ATTEMPTS) throw error;
      }
    }
  }

  return {
    name: RETENTION_PURGE_REACTOR,
    filter: { eventTypes: ['ReviewPurgeStarted'] },
    async handle(event) {
      const started = (event as RecordedEvent<ReviewPurgeStarted['data']>).data;
      const { reviewId, tenant } = started;
      const history = await eventStore.readStream(purgeStreamId(reviewId));
      const at = history.findIndex((candidate) => candidate.id === event.id);
      // Only the newest start is carried out; one that was held, or finished, is history.
      if (at === -1 || history.slice(at + 1).some((later) => later.type !== 'ReviewSummarised')) return;
      let revision = history[history.length - 1]!.revision;
      const summarised = history.length - 1 > at;

      if ((await closeLegalHold(event, reviewId, tenant)) === 'held') {
        await record(purgeEvent(event, { type: 'ReviewPurgeHeld', data: { reviewId, tenant } }), revision);
        return;
      }

      const measureIds = [...started.measureIds];
      if (!summarised) {
        const reviewEvents = await eventStore.readStream(reviewStreamId(reviewId));
        const measureEvents = (
          await Promise.all(measureIds.map((measureId) => eventStore.readStream(measureStreamId(measureId))))
        ).flat();
        const summary = summariseReview(tenant, reviewId, reviewEvents, measureEvents);
        let summaryPosition: number | null = null;
        if (summary !== null) {
          const appended = await eventStore.append(
            retentionStreamId(tenant),
            [
              {
                id: ids.next(),
                type: 'RetentionSummaryRecorded',
                schemaVersion: RETENTION_SUMMARY_SCHEMA,
                data: summary,
                metadata: metadata(event),
              },
            ],
            { expectedRevision: 'any' },
          );
          summaryPosition = appended.position;
        }
        const done = await record(
          purgeEvent(event, { type: 'ReviewSummarised', data: { reviewId, tenant, summaryPosition } }),
          revision,
        );
        if (!done) return;
        revision += 1;
      }

      const keys = [reviewKeyId(reviewId), ...measureIds.map(measureKeyId)];
      const streams = [reviewStreamId(reviewId), ...measureIds.map(measureStreamId), legalHoldStreamId(reviewId)];
      await deps.purgeLedger.record(reviewPurgeLedgerEntry(started, keys, streams, clock.now()));
      for (const keyId of keys) await keyStore.destroy(keyId);
      for (const streamId of streams) await eventStore.deleteStream(streamId);

      const purged = purgeEvent(event, {
        type: 'ReviewPurged',
        data: {
          reviewId,
          tenant,
          measureIds,
          streamsDeleted: streams,
          keysDestroyed: keys.length,
          retentionEndedOn: started.retentionEndedOn,
          purgedAt: clock.now().toISOString(),
        },
      });
      await record(purged, revision);
    },
  };
}
