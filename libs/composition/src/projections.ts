import type { LoggerService } from '@nestjs/common';
import type { AppConfig } from '../../application/src/config.js';
import {
  InProcessProjectionHost,
  WorkerProjectionHost,
  type ProjectionHost,
} from '../../projections/src/projection-host.js';
import { ProjectionRunner } from '../../projections/src/projection-runner.js';
import type { ProjectionStatus } from '../../projections/src/projection-status.js';
import type { Infrastructure } from './infrastructure.js';
import { projections } from './projection-catalogue.js';

/** The projections as the HTTP side sees them (matches `ProjectionsPort` in apps/api). */
export interface RunningProjections {
  waitForPosition(projection: string, position: number, timeoutMs: number): Promise<boolean>;
  status(): Promise<readonly StatusView[]>;
  readonly host: ProjectionHost | null;
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

function fromHost(host: ProjectionHost): RunningProjections {
  return {
    host,
    waitForPosition: (name, position, timeoutMs) => host.waitForPosition(name, position, timeoutMs),
    status: () => Promise.resolve(host.status().map(view)),
    stop: () => host.stop(),
  };
}

export interface StartProjectionsOptions {
  /**
   * Run the runner on the calling thread instead of a worker. Only for tests under a TypeScript
   * loader (a worker thread cannot load `.ts` files there); the built app always uses the worker.
   */
  readonly inProcess?: boolean;
}

/**
 * Embedded mode: projections run in a worker thread with their own connections, because `node:sqlite`
 * blocks the thread it runs on and must never stall HTTP. Server mode: the projector app runs them
 * (one runner per projection under a lease); the API only reads their checkpoints.
 */
export async function startProjections(
  config: AppConfig,
  infrastructure: Infrastructure,
  logger?: LoggerService,
  options: StartProjectionsOptions = {},
): Promise<RunningProjections> {
  if (config.stores.kind === 'server') return checkpointView(infrastructure);
  if (options.inProcess) {
    const runner = new ProjectionRunner({
      definitions: projections,
      eventStore: infrastructure.eventStore,
      documentStore: infrastructure.documents,
      checkpointStore: infrastructure.checkpoints,
      onPoison: (report) => {
        logger?.error({ message: 'poison event', ...report });
      },
    });
    return fromHost(new InProcessProjectionHost(runner).start());
  }
  const host = await WorkerProjectionHost.start({
    definitionsModule: new URL('./projection-catalogue.js', import.meta.url),
    config,
    onPoison: (report) => {
      logger?.error({ message: 'poison event', ...report });
    },
    onWorkerError: (error) => {
      logger?.error({ message: 'projection worker failed', error: error.message });
    },
  });
  return fromHost(host);
}

/** Server mode API side: positions come from the checkpoints the projector commits with its documents. */
function checkpointView(infrastructure: Infrastructure): RunningProjections {
  const positionOf = async (name: string): Promise<number> => {
    const physical = await infrastructure.documents.resolve(name);
    return (await infrastructure.checkpoints.load(physical))?.position ?? 0;
  };
  return {
    host: null,
    // Another process commits the checkpoints, so there is nothing to listen to: poll, bounded.
    waitForPosition: async (name, position, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if ((await positionOf(name)) >= position) return true;
        if (Date.now() >= deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, Math.min(50, Math.max(1, deadline - Date.now()))));
      }
    },
    status: async () => {
      const head = await infrastructure.eventStore.headPosition();
      return Promise.all(
        projections.map(async (definition) => {
          const position = await positionOf(definition.name);
          return {
            name: definition.name,
            version: definition.version,
            position,
            headPosition: head,
            lag: Math.max(0, head - position),
            state: position >= head ? 'live' : 'catching-up',
            lastError: null,
            rebuild: null,
          };
        }),
      );
    },
    stop: () => Promise.resolve(),
  };
}
