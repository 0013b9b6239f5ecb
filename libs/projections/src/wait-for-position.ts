import type { EventStore } from '@pruefpfad/event-store';
import type { CheckpointStore, DocumentStore } from '@pruefpfad/read-store';
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
 * Read-your-writes, one way for both modes (in-process runner, worker thread, the API of server mode
 * reading the projector's checkpoints) and both stores: a projection has reached `position` when its
 * checkpoint is at or beyond it, or when the store holds none of its events between the checkpoint and
 * `position`.
 *
 * The checkpoint does most of the work: the subscription's progress batches carry it through events of
 * other types (`SubscriptionBatch`; embedded: at the next wake-up, KurrentDB: the server's filter
 * checkpoints or a filtered read when the stream is quiet), throttled to one checkpoint-only commit per
 * `progressIntervalMs` (default 1 s), so it stays within about that interval of the head and status and
 * lag show it. This class covers the rest, the stretch after the checkpoint not yet saved: a filtered
 * `readAll` from the checkpoint for the projection's next event (the port promises a page without events
 * holds none of them up to its `lastPosition`), so a wait does not cost the throttle interval. The scan
 * is short because the checkpoint trails the head by at most an interval; a filtered page may still stop
 * short of `position` (the embedded store scans a window per page), so this pages on until it passes
 * `position` or finds an event. The stretch found free of the projection's events is remembered, so the
 * next wait (every request with `X-Min-Position` waits for every read model) scans only what came after.
 */
export class QuietStretch {
  /** (after, upTo] holds no event of the projection's types; positions at or below the head are final. */
  private after = -1;
  private upTo = -1;

  constructor(
    private readonly eventStore: EventStore,
    private readonly eventTypes: readonly string[],
  ) {}

  /** `latestCheckpoint` is asked again at the end: a batch may have been committed meanwhile. */
  async reached(
    checkpoint: number,
    position: number,
    latestCheckpoint: () => number = () => checkpoint,
  ): Promise<boolean> {
    if (checkpoint >= position) return true;
    const known = this.after <= checkpoint && this.upTo > checkpoint;
    const base = known ? this.after : checkpoint;
    let scanned = known ? this.upTo : checkpoint;
    while (scanned < position) {
      const page = await this.eventStore.readAll({
        after: scanned,
        maxCount: 1,
        filter: { eventTypes: this.eventTypes },
      });
      const next = page.events[0];
      if (next !== undefined) {
        this.remember(base, next.position - 1);
        return next.position > position || latestCheckpoint() >= position;
      }
      // Nothing examined: `position` lies beyond the head (not written yet).
      if (page.lastPosition <= scanned) break;
      scanned = page.lastPosition;
      this.remember(base, scanned);
      if (page.isEnd) break;
    }
    return scanned >= position || latestCheckpoint() >= position;
  }

  private remember(after: number, upTo: number): void {
    if (upTo <= after || (this.after === after && this.upTo >= upTo)) return;
    this.after = after;
    this.upTo = upTo;
  }
}

/**
 * Read-your-writes where the projections run in another process (server mode: `apps/projector` writes,
 * the API reads): the serving collection's checkpoint in the checkpoint store, which the projector's
 * progress batches keep near the head, plus `QuietStretch` for the stretch after it.
 */
export class CheckpointPositionSource implements PositionSource {
  private readonly registry: ProjectionRegistry;
  private readonly quiet = new Map<string, QuietStretch>();

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
    let quiet = this.quiet.get(name);
    if (quiet === undefined) {
      quiet = new QuietStretch(this.options.eventStore, definition.eventTypes);
      this.quiet.set(name, quiet);
    }
    return quiet.reached(checkpoint, position);
  }

  waitForPosition(name: string, position: number, timeoutMs: number, pollMs = 25): Promise<boolean> {
    this.registry.get(name);
    return waitForPosition(this, name, position, timeoutMs, pollMs);
  }
}
