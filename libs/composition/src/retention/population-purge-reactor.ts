import type { Clock, IdGenerator } from '@pruefpfad/application';
import {
  POPULATION_PURGE_EVENT_SCHEMAS,
  type PopulationPurged,
  type PopulationPurgeStarted,
  populationPurgeStreamId,
  populationStreamId,
  type SampleDrawn,
  samplingStreamId,
} from '@pruefpfad/domain';
import { type EventStore, type RecordedEvent, WrongExpectedRevisionError } from '@pruefpfad/event-store';
import { type KeyStore, populationKeyId, samplingKeyId } from '@pruefpfad/privacy';
import type { ReactorDefinition } from '@pruefpfad/projections';
import type { PurgeLedger } from '../operations/purge-ledger.port.js';
import { populationPurgeLedgerEntry } from './purge-ledger-entries.js';
import { RETENTION_ACTOR } from './purge-reactor.js';

export const POPULATION_PURGE_REACTOR = 'retention-population-purge';

export interface PopulationPurgeReactorDependencies {
  readonly eventStore: EventStore;
  readonly keyStore: KeyStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly rulesVersion: string;
  /** The purge ledger: the purge is recorded in it before its first key or stream goes. */
  readonly purgeLedger: PurgeLedger;
}

/**
 * Carries out a started population purge: records it in the purge ledger, destroys the population's key (already gone, as a rule: the
 * references' window ended long before) and, with the month's sampling stream, the month's sampling key
 * (the procedure's reasons), deletes its stream (every row's token and sealed case reference) and the sampling stream of its month when every draw in it came from
 * this population (seed, fingerprint and drawn tokens: nothing is left to verify once the population is
 * gone), then records `PopulationPurged`. Every step is idempotent; a crash half-way redoes the rest.
 */
export function populationPurgeReactor(deps: PopulationPurgeReactorDependencies): ReactorDefinition {
  const { eventStore, keyStore, clock, ids } = deps;
  return {
    name: POPULATION_PURGE_REACTOR,
    filter: { eventTypes: ['PopulationPurgeStarted'] },
    async handle(event: RecordedEvent) {
      const started = event.data as PopulationPurgeStarted['data'];
      const streams = [populationStreamId(started.populationId)];
      const sampling = samplingStreamId(started.programmeId, started.month);
      const draws = (await eventStore.readStream(sampling)).filter((candidate) => candidate.type === 'SampleDrawn');
      // A month drawn again after a void can hold draws from two populations: its sampling stream goes with
      // the last of them, once no other one it drew from still exists.
      const others = new Set(
        draws
          .map((draw) => (draw.data as SampleDrawn['data']).populationId)
          .filter((populationId) => populationId !== started.populationId),
      );
      let othersGone = true;
      for (const populationId of others)
        if ((await eventStore.streamInfo(populationStreamId(populationId))).revision !== null) othersGone = false;
      const keys = [populationKeyId(started.populationId)];
      if (othersGone) {
        streams.push(sampling);
        // The procedure's reasons (supplementary draws, back-dated draw, void) go with their stream.
        keys.push(samplingKeyId(started.programmeId, started.month));
      }
      // A redelivery may name the sampling stream a first delivery kept (its other population went meanwhile):
      // the ledger merges both.
      await deps.purgeLedger.record(populationPurgeLedgerEntry(started, keys, streams, clock.now()));
      for (const keyId of keys) await keyStore.destroy(keyId);
      for (const streamId of streams) await eventStore.deleteStream(streamId);
      const purged: PopulationPurged = {
        type: 'PopulationPurged',
        data: {
          populationId: started.populationId,
          tenant: started.tenant,
          sampleIds: started.sampleIds,
          streamsDeleted: streams,
          keysDestroyed: keys.length,
          purgedAt: clock.now().toISOString(),
        },
      };
      try {
        await eventStore.append(
          populationPurgeStreamId(started.populationId),
          [
            {
              id: ids.next(),
              type: purged.type,
              schemaVersion: POPULATION_PURGE_EVENT_SCHEMAS[purged.type],
              data: purged.data,
              metadata: {
                occurredAt: clock.now().toISOString(),
                actor: RETENTION_ACTOR,
                tenant: started.tenant,
                correlationId: event.metadata.correlationId,
                causationId: event.id,
                rulesVersion: deps.rulesVersion,
              },
            },
          ],
          { expectedRevision: 0 },
        );
      } catch (error) {
        // An earlier delivery recorded it already.
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
      }
    },
  };
}
