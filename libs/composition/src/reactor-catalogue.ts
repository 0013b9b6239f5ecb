import type { LoggerService } from '@nestjs/common';
import type { AppConfig, Clock, CommandPipeline, IdGenerator } from '@pruefpfad/application';
import { type ReactorDefinition, ReactorRunner, type ReactorStatus } from '@pruefpfad/projections';
import type { Infrastructure } from './infrastructure.js';
import { openReviewsReactor } from './reactors/open-reviews.reactor.js';
import { populationPurgeReactor } from './retention/population-purge-reactor.js';
import { purgeReactor } from './retention/purge-reactor.js';

/** What reactors may use: they act only through commands on the pipeline (idempotent by design). */
export interface ReactorDependencies {
  readonly config: AppConfig;
  readonly infrastructure: Infrastructure;
  readonly pipeline: CommandPipeline;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** The one list of durable reactors (process managers). */
export function reactorDefinitions(dependencies: ReactorDependencies): readonly ReactorDefinition[] {
  const { infrastructure, ids, config, clock } = dependencies;
  return [
    // A draw opens one review stream per sampled case (crash-safe: see the reactor).
    openReviewsReactor({
      eventStore: infrastructure.eventStore,
      envelope: infrastructure.envelope,
      keyStore: infrastructure.keyStore,
      ids,
      rulesVersion: config.rulesVersion,
    }),
    // A started retention purge is carried out step by step (crash-safe: see the reactor).
    purgeReactor({
      eventStore: infrastructure.eventStore,
      keyStore: infrastructure.keyStore,
      purgeLedger: infrastructure.purgeLedger,
      clock,
      ids,
      rulesVersion: config.rulesVersion,
    }),
    // A population goes with the last review drawn from it.
    populationPurgeReactor({
      eventStore: infrastructure.eventStore,
      keyStore: infrastructure.keyStore,
      purgeLedger: infrastructure.purgeLedger,
      clock,
      ids,
      rulesVersion: config.rulesVersion,
    }),
  ];
}

export interface RunningReactors {
  status(): readonly ReactorStatus[];
  stop(): Promise<void>;
}

/**
 * Starts every reactor from its checkpoint. Embedded mode runs them in the API process (they issue
 * short, group-committed appends); server mode runs them in the projector.
 */
export function startReactors(dependencies: ReactorDependencies, logger?: LoggerService): RunningReactors {
  const runners = reactorDefinitions(dependencies).map(
    (reactor) =>
      new ReactorRunner({
        reactor,
        eventStore: dependencies.infrastructure.eventStore,
        checkpointStore: dependencies.infrastructure.checkpoints,
        onPoison: (report) => {
          logger?.error({ message: 'reactor poison event', ...report });
        },
      }),
  );
  for (const runner of runners) runner.start();
  return {
    status: () => runners.map((runner) => runner.status()),
    stop: async () => {
      await Promise.all(runners.map((runner) => runner.stop()));
    },
  };
}
