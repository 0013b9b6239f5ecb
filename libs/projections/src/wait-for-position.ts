import type { EventStore } from '../../event-store/src/event-store.port.js';
import type { CheckpointStore, DocumentStore } from '../../read-store/src/read-store.port.js';
import { buildNumberOf, type ProjectionDefinition } from './projection.js';
import { ProjectionRegistry } from './projection-registry.js';
import type { ProjectionStatus } from './projection-status.js';

/** What read-your-writes needs from a runner, in-process, across a worker boundary, or through the stores. */
export interface PositionSource {
  /** Whether the projection's serving collection reflects every event up to `position`. */
  reached(name: string, position: number): Promise<boolean>;
  /** Listens to status changes; returns the removal. Sources without notifications are polled instead. */
  onChange?(listener: (status: ProjectionStatus) => void): () => void;
}

/**
 * Resolves true once `name` has reached `position`, false when `timeoutMs` passed first. With change
 * notifications it asks again on every status change of the projection (each committed batch); without
 * them it polls every `pollMs`. A source that stops answering cannot hold the caller past the bound.
 */
export async function waitForPosition(
  source: PositionSource,
  name: string,
  position: number,
  timeoutMs: number,
  pollMs = 25,
): Promise<boolean> {
  const deadline = Date.now() + Math.max(0, timeoutMs);
  let changed = false;
  let wake: (() => void) | null = null;
  const remove = source.onChange?.((status) => {
    if (status.name !== name) return;
    changed = true;
    wake?.();
  });
  try {
    for (;;) {
      changed = false;
      if (await beforeDeadline(source.reached(name, position), deadline)) return true;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return false;
      if (changed) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(finish, remove === undefined ? Math.min(pollMs, remaining) : remaining);
        function finish(): void {
          clearTimeout(timer);
          wake = null;
          resolve();
        }
        wake = finish;
      });
    }
  } finally {
    remove?.();
  }
}

/** The answer, or false when the deadline comes first (a worker that stopped answering must not hang a request). */
function beforeDeadline(answer: Promise<boolean>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([answer, expired]).finally(() => clearTimeout(timer));
}

/**
 * Read-your-writes where the projections run in another process (server mode: `apps/projector` writes,
 * the API reads): the serving collection's checkpoint in the checkpoint store is the truth, plus a look
 * at the store for events of the projection's types between that checkpoint and the position.
 */
export class CheckpointPositionSource implements PositionSource {
  private readonly registry: ProjectionRegistry;

  constructor(
    private readonly options: {
      readonly definitions: readonly ProjectionDefinition[] | ProjectionRegistry;
      readonly eventStore: EventStore;
      readonly documentStore: DocumentStore;
      readonly checkpointStore: CheckpointStore;
    },
  ) {
    this.registry =
      options.definitions instanceof ProjectionRegistry
        ? options.definitions
        : new ProjectionRegistry(options.definitions);
  }

  async reached(name: string, position: number): Promise<boolean> {
    const definition = this.registry.get(name);
    const serving = await this.options.documentStore.resolve(name);
    if (buildNumberOf(definition, serving) === null) return false;
    const checkpoint = (await this.options.checkpointStore.load(serving))?.position ?? 0;
    if (checkpoint >= position) return true;
    const page = await this.options.eventStore.readAll({
      after: checkpoint,
      maxCount: 1,
      filter: { eventTypes: definition.eventTypes },
    });
    const next = page.events[0];
    return next === undefined ? page.lastPosition >= position : next.position > position;
  }

  waitForPosition(name: string, position: number, timeoutMs: number, pollMs = 25): Promise<boolean> {
    this.registry.get(name);
    return waitForPosition(this, name, position, timeoutMs, pollMs);
  }
}
