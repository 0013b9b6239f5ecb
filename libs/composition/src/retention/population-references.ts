import { type Clock, type IdGenerator, readStreamState } from '@pruefpfad/application';
import {
  populationDecider,
  populationReferencesKeptUntil,
  populationStreamId,
  SAMPLING_EVENT_SCHEMAS,
  samplingStreamId,
} from '@pruefpfad/domain';
import { type EventStore, WrongExpectedRevisionError } from '@pruefpfad/event-store';
import { type KeyStore, populationKeyId } from '@pruefpfad/privacy';
import { type PopulationDoc, POPULATIONS, reactorCheckpointName } from '@pruefpfad/projections';
import type { CheckpointStore, DocumentStore } from '@pruefpfad/read-store';
import { OPEN_REVIEWS_REACTOR } from '../reactors/open-reviews.reactor.js';
import type { PurgeLedger } from '../operations/purge-ledger.port.js';
import { populationReferencesLedgerEntry } from './purge-ledger-entries.js';
import { RETENTION_ACTOR } from './purge-reactor.js';
import { populationAggregate } from '../sampling-aggregates.js';

/** A population whose clear references are past their window (listed by a dry run, destroyed otherwise). */
export interface PopulationReferencesEntry {
  readonly tenant: string;
  readonly populationId: string;
  readonly programmeId: string;
  readonly month: string;
  readonly keptUntil: string;
}

export interface PopulationReferencesDependencies {
  readonly eventStore: EventStore;
  readonly documents: DocumentStore;
  readonly keyStore: KeyStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly rulesVersion: string;
  /** Days after the end of a population's month that its references are kept (configuration). */
  readonly referenceDays: number;
  /** Where the open-reviews reactor keeps its checkpoint: no key goes while it still needs it. */
  readonly checkpoints: CheckpointStore;
  /** The purge ledger: the destruction is recorded in it before the key goes. */
  readonly purgeLedger: PurgeLedger;
}

/**
 * Populations whose reference window ended before `today` and whose references still exist. A draw,
 * supplementary draw or replacement is refused from the day after `keptUntil` on, so nothing still needs
 * them; a review already opened keeps its own copy under its own key.
 */
export async function planPopulationReferences(
  documents: DocumentStore,
  today: string,
  referenceDays: number,
): Promise<PopulationReferencesEntry[]> {
  const docs = (await documents.find(POPULATIONS, { referencesDestroyed: null })) as PopulationDoc[];
  return docs
    .map((doc) => ({
      tenant: doc.tenant,
      populationId: doc._id,
      programmeId: doc.programmeId,
      month: doc.month,
      keptUntil: populationReferencesKeptUntil(doc.month, referenceDays),
    }))
    .filter((entry) => entry.keptUntil < today)
    .sort((a, b) => a.month.localeCompare(b.month) || a.populationId.localeCompare(b.populationId));
}

/**
 * Records the destruction in the purge ledger, destroys the population's data key (its sealed case
 * references and its token key go with it, backups of the event store included), then records `PopulationReferencesDestroyed` on its stream. Key first: a
 * crash in between leaves the record missing, and the next run records it (destroying is idempotent);
 * the other order could leave a record claiming a key gone that still exists.
 *
 * Not while the open-reviews reactor still has a sampling event of the month to handle (a draw accepted
 * on the window's last day, the reactor behind): it needs the key to open those cases. Such a population
 * is `deferred` to the next run. `recorded` when this call recorded the destruction, `already` when the
 * stream had the record (or no longer exists).
 */
export async function destroyPopulationReferences(
  deps: PopulationReferencesDependencies,
  entry: PopulationReferencesEntry,
): Promise<'recorded' | 'already' | 'deferred'> {
  const sampling = await deps.eventStore.readStream(samplingStreamId(entry.programmeId, entry.month));
  const lastSampling = sampling.at(-1)?.position ?? 0;
  const handled = (await deps.checkpoints.load(reactorCheckpointName(OPEN_REVIEWS_REACTOR)))?.position ?? 0;
  if (handled < lastSampling) return 'deferred';
  await deps.purgeLedger.record(populationReferencesLedgerEntry(entry, deps.clock.now()));
  await deps.keyStore.destroy(populationKeyId(entry.populationId));
  return recordReferencesDestroyed(deps, entry);
}

/**
 * Records `PopulationReferencesDestroyed` on the population's stream once its key is gone (the purge, or
 * a restore re-applying the ledger): `already` when the stream had it or no longer exists.
 */
export async function recordReferencesDestroyed(
  deps: Pick<PopulationReferencesDependencies, 'eventStore' | 'clock' | 'ids' | 'rulesVersion'>,
  entry: Pick<PopulationReferencesEntry, 'tenant' | 'populationId' | 'keptUntil'>,
): Promise<'recorded' | 'already'> {
  for (;;) {
    const loaded = await readStreamState(deps.eventStore, populationAggregate, entry.populationId);
    if (loaded === null || loaded.tenant !== entry.tenant) return 'already';
    const events = populationDecider.decide(
      { type: 'RecordReferencesDestroyed', populationId: entry.populationId, keptUntil: entry.keptUntil },
      loaded.state,
      { now: deps.clock.now().toISOString(), today: entry.keptUntil, actor: RETENTION_ACTOR, tenant: entry.tenant },
    );
    if (events.length === 0) return 'already';
    try {
      await deps.eventStore.append(
        populationStreamId(entry.populationId),
        events.map((event) => ({
          id: deps.ids.next(),
          type: event.type,
          schemaVersion: SAMPLING_EVENT_SCHEMAS[event.type],
          data: event.data,
          metadata: {
            occurredAt: deps.clock.now().toISOString(),
            actor: RETENTION_ACTOR,
            tenant: entry.tenant,
            correlationId: deps.ids.next(),
            causationId: null,
            rulesVersion: deps.rulesVersion,
          },
        })),
        { expectedRevision: loaded.revision },
      );
      return 'recorded';
    } catch (error) {
      // Another run recorded it meanwhile: read again (the decider then finds nothing to do).
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
    }
  }
}
