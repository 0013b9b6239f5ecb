import { berlinDate } from '../../../application/src/berlin-time.js';
import type { Clock, IdGenerator } from '../../../application/src/clock.js';
import {
  POPULATION_PURGE_EVENT_SCHEMAS,
  populationPurgeStreamId,
  PURGE_EVENT_SCHEMAS,
  purgeStreamId,
  type PopulationPurgeStarted,
  type PurgeTrigger,
  type ReviewPurgeStarted,
} from '../../../domain/src/retention/retention.events.js';
import { WrongExpectedRevisionError } from '../../../event-store/src/errors.js';
import type { EventStore } from '../../../event-store/src/event-store.port.js';
import type { DocumentStore } from '../../../read-store/src/read-store.port.js';
import {
  planPopulationPurges,
  planPurges,
  type PopulationPurgePlanEntry,
  type PurgePlanEntry,
} from './retention-planner.js';
import { RETENTION_ACTOR } from './purge-reactor.js';

export interface RetentionPurgeDependencies {
  readonly eventStore: EventStore;
  readonly documents: DocumentStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly rulesVersion: string;
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
  const plan = (await planPurges(deps.documents, today)).filter(
    (entry) => options.tenant === undefined || entry.tenant === options.tenant,
  );
  const due = plan.filter((entry) => entry.verdict.due);
  const kept = plan.filter((entry) => !entry.verdict.due);
  const populations = (await planPopulationPurges(deps.documents)).filter(
    (entry) => options.tenant === undefined || entry.tenant === options.tenant,
  );
  if (options.dryRun)
    return { today, dryRun: true, due, kept, started: 0, populations, populationsStarted: 0, position: 0 };
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
    try {
      const appended = await deps.eventStore.append(
        streamId,
        [
          {
            id: deps.ids.next(),
            type: event.type,
            schemaVersion: PURGE_EVENT_SCHEMAS[event.type],
            data: event.data,
            metadata: {
              occurredAt: deps.clock.now().toISOString(),
              actor: RETENTION_ACTOR,
              tenant: entry.tenant,
              correlationId: deps.ids.next(),
              causationId: null,
              rulesVersion: deps.rulesVersion,
            },
          },
        ],
        { expectedRevision },
      );
      started += 1;
      position = Math.max(position, appended.position);
      startedEntries.push(entry);
    } catch (error) {
      // Another run started (or finished) this purge in the meantime: nothing to do.
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
    }
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
    try {
      const appended = await deps.eventStore.append(
        populationPurgeStreamId(entry.populationId),
        [
          {
            id: deps.ids.next(),
            type: event.type,
            schemaVersion: POPULATION_PURGE_EVENT_SCHEMAS[event.type],
            data: event.data,
            metadata: {
              occurredAt: deps.clock.now().toISOString(),
              actor: RETENTION_ACTOR,
              tenant: entry.tenant,
              correlationId: deps.ids.next(),
              causationId: null,
              rulesVersion: deps.rulesVersion,
            },
          },
        ],
        { expectedRevision: 'no_stream' },
      );
      populationsStarted += 1;
      position = Math.max(position, appended.position);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
    }
  }
  return { today, dryRun: false, due: startedEntries, kept, started, populations, populationsStarted, position };
}
