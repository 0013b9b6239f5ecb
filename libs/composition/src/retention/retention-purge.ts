import { berlinDate, type Clock, type IdGenerator } from '@pruefpfad/application';
import {
  POPULATION_PURGE_EVENT_SCHEMAS,
  type PopulationPurgeStarted,
  populationPurgeStreamId,
  PURGE_EVENT_SCHEMAS,
  purgeStreamId,
  type PurgeTrigger,
  type ReviewPurgeStarted,
} from '@pruefpfad/domain';
import { type EventStore, WrongExpectedRevisionError } from '@pruefpfad/event-store';
import type { KeyStore } from '@pruefpfad/privacy';
import type { CheckpointStore, DocumentStore } from '@pruefpfad/read-store';
import type { PurgeLedger } from '../operations/purge-ledger.port.js';
import {
  planPopulationPurges,
  planPurges,
  type PopulationPurgePlanEntry,
  type PurgePlanEntry,
} from './retention-planner.js';
import { RETENTION_ACTOR } from './purge-reactor.js';
import {
  destroyPopulationReferences,
  planPopulationReferences,
  type PopulationReferencesEntry,
} from './population-references.js';

export interface RetentionPurgeDependencies {
  readonly eventStore: EventStore;
  readonly documents: DocumentStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly rulesVersion: string;
  /**
   * Resolves once the read models the plan is made of reflect every event stored so far, rejects when
   * they do not in time. The plan decides what is destroyed for good: it must not miss a measure agreed
   * on a review a moment ago (it would outlive the review) nor an extended retention period.
   */
  readonly readModelsCurrent: () => Promise<void>;
  /** Destroys populations' data keys when their reference window ends. */
  readonly keyStore: KeyStore;
  /** Days after a population's month that its clear references are kept (configuration). */
  readonly populationReferenceDays: number;
  /** The open-reviews reactor's checkpoint: a population key goes only once it has opened every case. */
  readonly checkpoints: CheckpointStore;
  /** The purge ledger: each destruction of population references is recorded in it first. */
  readonly purgeLedger: PurgeLedger;
}

export interface PurgeRun {
  readonly today: string;
  readonly dryRun: boolean;
  /** Reviews due today (all of them in a dry run; those whose purge this run started otherwise). */
  readonly due: readonly PurgePlanEntry[];
  /** Not due, with the reason (legal hold, not yet, under way). */
  readonly kept: readonly PurgePlanEntry[];
  /** Purges this run started (0 in a dry run); the purge reactor carries them out. */
  readonly started: number;
  /**
   * Populations whose every drawn review is purged (purged with them: pseudonyms, sealed case references,
   * the month's draw). Listed in a dry run; started otherwise.
   */
  readonly populations: readonly PopulationPurgePlanEntry[];
  readonly populationsStarted: number;
  /**
   * Populations whose clear case references passed their window (a set number of days after the month):
   * their data key is destroyed, so no case of them can be identified any more except through its own
   * review. Listed in a dry run; destroyed otherwise, whatever holds other reviews of the month are under.
   */
  readonly populationReferences: readonly PopulationReferencesEntry[];
  readonly populationReferencesDestroyed: number;
  /** Position of the last start, to wait for the reactor and the projections. */
  readonly position: number;
}

/**
 * The retention purge as the daily job, the CLI and the operator endpoint run it: plan from the read
 * models, then (unless a dry run) start one purge per due review by opening `purge-<reviewId>`. Starting
 * is idempotent (`no_stream`, or the revision of a purge that a lifted legal hold had stopped), so two
 * runs at once, or a run after a crash, start each purge once.
 */
export async function runRetentionPurge(
  deps: RetentionPurgeDependencies,
  options: { readonly dryRun: boolean; readonly trigger: PurgeTrigger; readonly tenant?: string },
): Promise<PurgeRun> {
  const today = berlinDate(deps.clock.now());
  await deps.readModelsCurrent();
  const plan = (await planPurges(deps.documents, today)).filter(
    (entry) => options.tenant === undefined || entry.tenant === options.tenant,
  );
  const due = plan.filter((entry) => entry.verdict.due);
  const kept = plan.filter((entry) => !entry.verdict.due);
  const populations = (await planPopulationPurges(deps.documents)).filter(
    (entry) => options.tenant === undefined || entry.tenant === options.tenant,
  );
  const populationReferences = (
    await planPopulationReferences(deps.documents, today, deps.populationReferenceDays)
  ).filter((entry) => options.tenant === undefined || entry.tenant === options.tenant);
  if (options.dryRun)
    return {
      today,
      dryRun: true,
      due,
      kept,
      started: 0,
      populations,
      populationsStarted: 0,
      populationReferences,
      populationReferencesDestroyed: 0,
      position: 0,
    };
  // References first: they are the oldest personal data of all, and no purge below depends on them.
  let populationReferencesDestroyed = 0;
  for (const entry of populationReferences)
    // Counted only when destroyed now: not when deferred (draws to open first) nor already destroyed.
    if (
      (await destroyPopulationReferences({ ...deps, referenceDays: deps.populationReferenceDays }, entry)) ===
      'recorded'
    )
      populationReferencesDestroyed += 1;
  let started = 0;
  let position = 0;
  const startedEntries: PurgePlanEntry[] = [];
  for (const entry of due) {
    if (!entry.verdict.due) continue;
    const event: ReviewPurgeStarted = {
      type: 'ReviewPurgeStarted',
      data: {
        reviewId: entry.reviewId,
        tenant: entry.tenant,
        retentionEndedOn: entry.verdict.endsOn,
        retentionMonths: entry.retentionMonths,
        measureIds: entry.measureIds,
        trigger: options.trigger,
      },
    };
    const streamId = purgeStreamId(entry.reviewId);
    const expectedRevision =
      entry.purge === 'none'
        ? ('no_stream' as const)
        : ((await deps.eventStore.streamInfo(streamId)).revision ?? 'no_stream');
    const appended = await start(deps, streamId, event, PURGE_EVENT_SCHEMAS[event.type], expectedRevision);
    if (appended === null) continue;
    started += 1;
    position = Math.max(position, appended);
    startedEntries.push(entry);
  }
  let populationsStarted = 0;
  for (const entry of populations) {
    const event: PopulationPurgeStarted = {
      type: 'PopulationPurgeStarted',
      data: {
        populationId: entry.populationId,
        tenant: entry.tenant,
        programmeId: entry.programmeId,
        month: entry.month,
        sampleIds: entry.sampleIds,
        reviewsPurged: entry.reviewsPurged,
        trigger: options.trigger,
      },
    };
    const streamId = populationPurgeStreamId(entry.populationId);
    const appended = await start(deps, streamId, event, POPULATION_PURGE_EVENT_SCHEMAS[event.type], 'no_stream');
    if (appended === null) continue;
    populationsStarted += 1;
    position = Math.max(position, appended);
  }
  return {
    today,
    dryRun: false,
    due: startedEntries,
    kept,
    started,
    populations,
    populationsStarted,
    populationReferences,
    populationReferencesDestroyed,
    position: Math.max(position, populationReferencesDestroyed > 0 ? await deps.eventStore.headPosition() : 0),
  };
}

/**
 * Opens (or, after a lifted hold, continues) a purge stream with its start event; the position, or null
 * when another run started or finished this purge meanwhile (nothing to do).
 */
async function start(
  deps: RetentionPurgeDependencies,
  streamId: string,
  event: ReviewPurgeStarted | PopulationPurgeStarted,
  schemaVersion: number,
  expectedRevision: number | 'no_stream',
): Promise<number | null> {
  try {
    const appended = await deps.eventStore.append(
      streamId,
      [
        {
          id: deps.ids.next(),
          type: event.type,
          schemaVersion,
          data: event.data,
          metadata: {
            occurredAt: deps.clock.now().toISOString(),
            actor: RETENTION_ACTOR,
            tenant: event.data.tenant,
            correlationId: deps.ids.next(),
            causationId: null,
            rulesVersion: deps.rulesVersion,
          },
        },
      ],
      { expectedRevision },
    );
    return appended.position;
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) return null;
    throw error;
  }
}
