import type { LoggerService } from '@nestjs/common';
import {
  type AppConfig,
  DEFAULT_READ_MODEL_RULES,
  loadRulesConfig,
  parseRulesConfig,
  type ReadModelRules,
} from '@pruefpfad/application';
import {
  CheckpointPositionSource,
  InProcessProjectionHost,
  type ProjectionDefinition,
  type ProjectionHost,
  ProjectionRunner,
  type ProjectionStatus,
  TEAM_FIGURES,
  teamFiguresProjectionFor,
  WorkerProjectionHost,
} from '@pruefpfad/projections';
import type { Infrastructure } from './infrastructure.js';
import { projections } from './projection-catalogue.js';
import { ProjectionOperations, type ProjectionOperationsPort } from './projection-operations.js';

/** The projections as the HTTP side sees them (matches `ProjectionsPort` in apps/api). */
export interface RunningProjections {
  waitForPosition(projection: string, position: number, timeoutMs: number): Promise<boolean>;
  /** Waits (bounded) until every read model reflects `position`; the names of those that did not. */
  waitForAll(position: number, timeoutMs: number): Promise<readonly string[]>;
  status(): Promise<readonly StatusView[]>;
  readonly host: ProjectionHost | null;
  /** The rules the read models were built under, and the definitions under them. */
  readonly rules: ReadModelRules;
  readonly definitions: readonly ProjectionDefinition[];
  /** Operator list / status / rebuild / confirm (see `projection-operations.ts`). */
  readonly operations: ProjectionOperationsPort;
  stop(): Promise<void>;
}

export interface StatusView {
  readonly name: string;
  readonly version: number;
  readonly position: number;
  readonly headPosition: number;
  readonly lag: number;
  readonly state: string;
  readonly lastError: string | null;
  readonly rebuild: ProjectionStatus['rebuild'];
}

/**
 * Read models whose `evolve` applies a section of the versioned rules: built from the configured rules,
 * their version carries the rules' fingerprint, so a rule change makes the runner build a new version.
 * (The trends context can add its rule-driven read model here.)
 */
export const RULE_DRIVEN_READ_MODELS: Readonly<Record<string, (rules: ReadModelRules) => ProjectionDefinition>> = {
  [TEAM_FIGURES]: (rules) => teamFiguresProjectionFor(rules.dashboard),
};

/** The catalogue with every rule-driven read model built under `rules`. */
export function projectionsUnderRules(rules: ReadModelRules): readonly ProjectionDefinition[] {
  return projections.map((definition) => RULE_DRIVEN_READ_MODELS[definition.name]?.(rules) ?? definition);
}

export const RULE_DRIVEN_NAMES: ReadonlySet<string> = new Set(Object.keys(RULE_DRIVEN_READ_MODELS));

/** The rules a projection worker was handed (`readModelRules` beside the app configuration), validated again. */
export function rulesCarriedBy(config: unknown): ReadModelRules {
  const carried = (config as { readonly readModelRules?: unknown } | null | undefined)?.readModelRules;
  return carried === undefined ? DEFAULT_READ_MODEL_RULES : parseRulesConfig(carried, 'readModelRules');
}

const view = (status: ProjectionStatus): StatusView => ({
  name: status.name,
  version: status.version,
  position: status.position,
  headPosition: status.headPosition,
  lag: status.lag,
  state: status.state,
  lastError: status.lastError?.message ?? null,
  rebuild: status.rebuild,
});

/**
 * Waits for every read model at once. Reaching a position is for good (checkpoints only move forward, and
 * an alias moves only to a collection that has caught up), so the highest position all have reached is
 * remembered: the requests of a client that keeps sending the position of its last write cost nothing
 * once the read models got there. Each projection's own wait passes stretches without its events cheaply
 * (see `QuietStretch`), so a projection that handles none of the events in between does not hold anyone.
 */
export function waitForAllWith(
  names: readonly string[],
  waitForPosition: (name: string, position: number, timeoutMs: number) => Promise<boolean>,
): (position: number, timeoutMs: number) => Promise<readonly string[]> {
  let reachedByAll = 0;
  return async (position, timeoutMs) => {
    if (position <= reachedByAll) return [];
    const reached = await Promise.all(names.map((name) => waitForPosition(name, position, timeoutMs)));
    const lagging = names.filter((_, index) => !reached[index]);
    if (lagging.length === 0) reachedByAll = Math.max(reachedByAll, position);
    return lagging;
  };
}

function fromHost(
  host: ProjectionHost,
  infrastructure: Infrastructure,
  rules: ReadModelRules,
  definitions: readonly ProjectionDefinition[],
): RunningProjections {
  const operations = operationsFor(infrastructure, rules, definitions, host);
  const waitForPosition = (name: string, position: number, timeoutMs: number): Promise<boolean> =>
    host.waitForPosition(name, position, timeoutMs);
  return {
    host,
    rules,
    definitions,
    operations,
    waitForPosition,
    waitForAll: waitForAllWith(
      definitions.map((definition) => definition.name),
      waitForPosition,
    ),
    status: () => Promise.resolve(host.status().map(view)),
    // The host's runner interrupts a running rebuild on stop (it resumes on the next one).
    stop: async () => {
      await host.stop();
      await operations.stop();
    },
  };
}

function operationsFor(
  infrastructure: Infrastructure,
  rules: ReadModelRules,
  definitions: readonly ProjectionDefinition[],
  host: ProjectionHost | null,
): ProjectionOperations {
  return new ProjectionOperations({
    definitions,
    rules,
    eventStore: infrastructure.eventStore,
    documentStore: infrastructure.documents,
    checkpointStore: infrastructure.checkpoints,
    host,
    ruleDriven: RULE_DRIVEN_NAMES,
  });
}

export interface StartProjectionsOptions {
  /**
   * Run the runner on the calling thread instead of a worker. Only for tests under a TypeScript
   * loader (a worker thread cannot load `.ts` files there); the built app always uses the worker.
   */
  readonly inProcess?: boolean;
  /** The rules read models apply; default: `PRUEFPFAD_RULES_FILE` of the environment, else the defaults. */
  readonly rules?: ReadModelRules;
}

/**
 * Embedded mode: projections run in a worker thread with their own connections, because `node:sqlite`
 * blocks the thread it runs on and must never stall HTTP. Server mode: the projector app runs them
 * (one runner per projection under a lease); the API only reads their checkpoints, and an operator's
 * rebuild runs here under the rebuild lease (the projector's runner follows the switched alias).
 */
export async function startProjections(
  config: AppConfig,
  infrastructure: Infrastructure,
  logger?: LoggerService,
  options: StartProjectionsOptions = {},
): Promise<RunningProjections> {
  const rules = options.rules ?? loadRulesConfig(process.env);
  const definitions = projectionsUnderRules(rules);
  if (config.stores.kind === 'server') return checkpointView(infrastructure, rules, definitions);
  if (options.inProcess) {
    const runner = new ProjectionRunner({
      definitions,
      eventStore: infrastructure.eventStore,
      documentStore: infrastructure.documents,
      checkpointStore: infrastructure.checkpoints,
      onPoison: (report) => {
        logger?.error({ message: 'poison event', ...report });
      },
    });
    return fromHost(new InProcessProjectionHost(runner).start(), infrastructure, rules, definitions);
  }
  const host = await WorkerProjectionHost.start({
    // Functions cannot cross into the worker: it builds the same definitions from the rules it is handed.
    definitionsModule: new URL('./projection-worker-catalogue.js', import.meta.url),
    config: { ...config, readModelRules: rules },
    onPoison: (report) => {
      logger?.error({ message: 'poison event', ...report });
    },
    onWorkerError: (error) => {
      logger?.error({ message: 'projection worker failed', error: error.message });
    },
  });
  return fromHost(host, infrastructure, rules, definitions);
}

/**
 * For a process that runs no projections (the CLI beside a running service): the read models that have
 * not reached the store's head within `timeoutMs`, judged on the checkpoints in the read store; none when
 * all are current.
 */
export async function readModelsBehind(
  infrastructure: Infrastructure,
  timeoutMs: number,
  rules: ReadModelRules = loadRulesConfig(process.env),
  only?: readonly string[],
): Promise<readonly string[]> {
  const definitions = projectionsUnderRules(rules).filter(
    (definition) => only === undefined || only.includes(definition.name),
  );
  const source = new CheckpointPositionSource({
    definitions,
    eventStore: infrastructure.eventStore,
    documentStore: infrastructure.documents,
    checkpointStore: infrastructure.checkpoints,
  });
  const waitForAll = waitForAllWith(
    definitions.map((definition) => definition.name),
    (name, position, bound) => source.waitForPosition(name, position, bound),
  );
  return waitForAll(await infrastructure.eventStore.headPosition(), timeoutMs);
}

/** Server mode API side: positions come from the checkpoints the projector commits with its documents. */
function checkpointView(
  infrastructure: Infrastructure,
  rules: ReadModelRules,
  definitions: readonly ProjectionDefinition[],
): RunningProjections {
  const positionOf = async (name: string): Promise<number> => {
    const physical = await infrastructure.documents.resolve(name);
    return (await infrastructure.checkpoints.load(physical))?.position ?? 0;
  };
  const operations = operationsFor(infrastructure, rules, definitions, null);
  // Another process commits the checkpoints, so there is nothing to listen to: poll, bounded. A checkpoint
  // passes other read models' events at most once per progress interval, so the stretch beyond it is
  // checked for the projection's own events too.
  const source = new CheckpointPositionSource({
    definitions,
    eventStore: infrastructure.eventStore,
    documentStore: infrastructure.documents,
    checkpointStore: infrastructure.checkpoints,
  });
  const waitForPosition = (name: string, position: number, timeoutMs: number): Promise<boolean> =>
    source.waitForPosition(name, position, timeoutMs);
  return {
    host: null,
    rules,
    definitions,
    operations,
    waitForPosition,
    waitForAll: waitForAllWith(
      definitions.map((definition) => definition.name),
      waitForPosition,
    ),
    status: async () => {
      const head = await infrastructure.eventStore.headPosition();
      return Promise.all(
        definitions.map(async (definition) => {
          const position = await positionOf(definition.name);
          // Live when nothing of its own lies between its checkpoint and the head: the checkpoint passes
          // other read models' events only once per progress interval (see `progressIntervalMs`).
          const live = position >= head || (await source.reached(definition.name, head));
          return {
            name: definition.name,
            version: definition.version,
            position,
            headPosition: head,
            lag: live ? 0 : Math.max(0, head - position),
            state: live ? 'live' : 'catching-up',
            lastError: null,
            rebuild: null,
          };
        }),
      );
    },
    // An operator's rebuild running here is interrupted; it resumes on the next rebuild.
    stop: () => operations.stop(),
  };
}
