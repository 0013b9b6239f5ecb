import type { EventStore } from '@pruefpfad/event-store';
import type { CheckpointStore, Doc, DocumentStore } from '@pruefpfad/read-store';
import type { BackoffOptions } from './backoff.js';
import { DocumentLease, leaseOwner } from './lease.js';
import { buildCollection, buildNumberOf, physicalCollection, type ProjectionDefinition } from './projection.js';
import { type ProcessorProgress, ProjectionProcessor } from './projection-processor.js';
import { purgedStreams, skippingStreams } from './purged-streams.js';
import { PoisonEventError, RebuildInProgressError, type RebuildProgress } from './projection-status.js';

/**
 * Rebuilds (blue/green): the one mechanism behind an operator's rebuild, a same-version rebuild after a
 * rule change and the automatic build after a version bump.
 *
 * 1. A lease `rebuild:<name>` refuses a second rebuild of the same projection (stale after its TTL).
 * 2. The target is `<name>_v<version>`, or `<name>_v<version>_r<n>` when that name already serves or is
 *    kept: the collection that serves is never written by a rebuild.
 * 3. The target is filled from position 0 by the same `ProjectionProcessor` the live runner uses, with its
 *    own checkpoint (name = target), while the alias keeps pointing at the old collection.
 * 4. Once a batch reached the head, the alias is switched in one atomic step. The old collection is kept
 *    (`retained`) until `confirmRebuild` drops it.
 *
 * A rebuild record (`_rebuilds/<name>`) remembers the target, so a rebuild that was interrupted (process
 * killed, signal) resumes from the target's checkpoint; `fresh: true` starts over instead. A rebuild that
 * stopped on a poison event is marked failed and the next rebuild starts over, because the fix probably
 * changed `evolve`. Rebuilds only write read documents: they never issue commands, so no side effect is
 * repeated.
 */
export const REBUILD_COLLECTION = '_rebuilds';

export const DEFAULT_REBUILD_BATCH_SIZE: number = 1000;

export type RebuildState = 'building' | 'switched' | 'confirmed' | 'failed';

export interface RebuildRecord extends Doc {
  readonly projection: string;
  readonly version: number;
  readonly state: RebuildState;
  readonly target: string;
  /** What served when the alias was switched (null while building, or when nothing served). */
  readonly previous: string | null;
  /** Old physical collections kept after switches, until `confirmRebuild` drops them. */
  readonly retained: readonly string[];
  readonly owner: string;
  readonly startedAt: string;
  readonly switchedAt: string | null;
  readonly error: string | null;
}

export interface RebuildStores {
  readonly eventStore: EventStore;
  readonly documentStore: DocumentStore;
  readonly checkpointStore: CheckpointStore;
}

export interface RebuildOptions extends RebuildStores {
  readonly onProgress?: (progress: RebuildProgress) => void;
  /** Lease owner; defaults to a fresh id for this process. */
  readonly owner?: string;
  /** Discard an interrupted build of this version instead of resuming it. */
  readonly fresh?: boolean;
  /**
   * Events per batch (default 1,000). Measured on the embedded stores (1M review events, 2 cores): 1,000
   * rebuilt faster than 5,000 and with about 40 % less peak memory, because a smaller batch's parsed
   * events and documents die young instead of being promoted by the garbage collector.
   */
  readonly batchSize?: number;
  /** Aborting interrupts the rebuild after the current batch; a later rebuild resumes it. */
  readonly signal?: AbortSignal;
  readonly leaseTtlMs?: number;
  /** Epoch milliseconds (leases); injectable for tests. */
  readonly clock?: () => number;
  readonly retry?: BackoffOptions;
}

export interface RebuildResult {
  readonly projection: string;
  readonly target: string;
  /** What served before the switch (kept until `confirmRebuild`), or null. */
  readonly previous: string | null;
  /** Checkpoint the build resumed from (0 for a fresh build). */
  readonly resumedFrom: number;
  readonly position: number;
  readonly eventsDone: number;
  readonly durationMs: number;
}

export class RebuildInterruptedError extends Error {
  readonly code = 'REBUILD_INTERRUPTED';
  constructor(
    readonly projection: string,
    readonly target: string,
    readonly position: number,
  ) {
    super(
      `Rebuild of ${projection} into ${target} interrupted at position ${position}; it resumes on the next rebuild`,
    );
    this.name = 'RebuildInterruptedError';
  }
}

export async function rebuildProjection(
  definition: ProjectionDefinition,
  options: RebuildOptions,
): Promise<RebuildResult> {
  const { documentStore, checkpointStore } = options;
  const name = definition.name;
  const clock = options.clock ?? Date.now;
  const lease = new DocumentLease({
    documentStore,
    key: `rebuild:${name}`,
    owner: options.owner ?? leaseOwner('rebuild'),
    ttlMs: options.leaseTtlMs,
    clock,
  });
  // Retention: events of purged streams that the store still returns (KurrentDB before a scavenge) are
  // passed over, so a rebuild never brings a purged review back, even for a moment. Listed before the
  // lease is taken (a long scan must not outlast it), and only where the store returns such events.
  const skipped = options.eventStore.returnsDeletedEvents ? await purgedStreams(options.eventStore) : new Set<string>();
  if (!(await lease.acquire())) {
    const holder = await lease.holder();
    throw new RebuildInProgressError(
      name,
      holder?.owner ?? 'unknown',
      new Date(holder?.expiresAt ?? clock()).toISOString(),
    );
  }
  try {
    const serving = await documentStore.resolve(name);
    const existing = await readRebuildRecord(documentStore, name);
    const retained = (existing?.retained ?? []).filter((collection) => collection !== serving);
    let record: RebuildRecord;
    if (
      existing !== null &&
      existing.state === 'building' &&
      existing.version === definition.version &&
      existing.target !== serving &&
      options.fresh !== true
    ) {
      record = { ...existing, owner: lease.owner };
    } else {
      if (
        existing !== null &&
        (existing.state === 'building' || existing.state === 'failed') &&
        existing.target !== serving &&
        !retained.includes(existing.target)
      ) {
        await discard(options, existing.target);
      }
      const target = await chooseTarget(definition, options, serving, retained);
      await discard(options, target);
      record = {
        _id: name,
        projection: name,
        version: definition.version,
        state: 'building',
        target,
        previous: null,
        retained,
        owner: lease.owner,
        startedAt: new Date(clock()).toISOString(),
        switchedAt: null,
        error: null,
      };
    }
    await documentStore.put(REBUILD_COLLECTION, record);

    const started = Date.now();
    const processor = new ProjectionProcessor({
      definition: skippingStreams(definition, skipped),
      collection: record.target,
      eventStore: options.eventStore,
      documentStore,
      checkpointStore,
      batchSize: options.batchSize ?? DEFAULT_REBUILD_BATCH_SIZE,
      retry: options.retry,
      untilCaughtUp: true,
      beforeBatch: async () => {
        if (options.signal?.aborted === true) return false;
        await lease.renewIfDue();
        return true;
      },
      onProgress: (progress) => options.onProgress?.(rebuildProgress(name, progress)),
    });
    const onAbort = (): void => void processor.stop();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let outcome;
    try {
      outcome = await processor.run();
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    const progress = processor.progress();

    switch (outcome.kind) {
      case 'caught-up': {
        // The last moment to find out that a pause longer than the TTL cost us the lease.
        await lease.verify();
        const before = await documentStore.resolve(name);
        await documentStore.switchAlias(name, record.target);
        const previous = before !== name && before !== record.target ? before : null;
        await documentStore.put(REBUILD_COLLECTION, {
          ...record,
          state: 'switched',
          previous,
          retained: previous === null ? record.retained : unique([...record.retained, previous]),
          switchedAt: new Date(clock()).toISOString(),
        } satisfies RebuildRecord);
        return {
          projection: name,
          target: record.target,
          previous,
          resumedFrom: progress.startPosition,
          position: outcome.position,
          eventsDone: progress.eventsProcessed,
          durationMs: Date.now() - started,
        };
      }
      case 'failed':
        await documentStore.put(REBUILD_COLLECTION, {
          ...record,
          state: 'failed',
          error: outcome.error.message,
        } satisfies RebuildRecord);
        if (outcome.error.poison !== undefined) throw new PoisonEventError(outcome.error.poison);
        throw new Error(`Rebuild of ${name} failed: ${outcome.error.message}`);
      case 'stopped':
      case 'yielded':
        throw new RebuildInterruptedError(name, record.target, outcome.position);
    }
  } finally {
    await lease.release().catch(() => undefined);
  }
}

/**
 * The operator confirms a switched rebuild: the old collections kept for comparison or rollback are
 * dropped with their checkpoints. Refused while a rebuild of the projection runs.
 */
export async function confirmRebuild(
  name: string,
  options: Omit<RebuildStores, 'eventStore'> & {
    readonly owner?: string;
    readonly clock?: () => number;
  },
): Promise<{ readonly dropped: readonly string[] }> {
  const { documentStore, checkpointStore } = options;
  const clock = options.clock ?? Date.now;
  const lease = new DocumentLease({
    documentStore,
    key: `rebuild:${name}`,
    owner: options.owner ?? leaseOwner('confirm-rebuild'),
    clock,
  });
  if (!(await lease.acquire())) {
    const holder = await lease.holder();
    throw new RebuildInProgressError(
      name,
      holder?.owner ?? 'unknown',
      new Date(holder?.expiresAt ?? clock()).toISOString(),
    );
  }
  try {
    const record = await readRebuildRecord(documentStore, name);
    if (record === null) return { dropped: [] };
    const serving = await documentStore.resolve(name);
    const dropped = record.retained.filter((collection) => collection !== serving && collection !== record.target);
    for (const collection of dropped) {
      await documentStore.dropCollection(collection);
      await checkpointStore.delete(collection);
    }
    await documentStore.put(REBUILD_COLLECTION, {
      ...record,
      state: record.state === 'switched' ? 'confirmed' : record.state,
      retained: record.retained.filter((collection) => !dropped.includes(collection)),
    } satisfies RebuildRecord);
    return { dropped };
  } finally {
    await lease.release().catch(() => undefined);
  }
}

/** Same as `confirmRebuild`: drops the old collections a switched rebuild kept. */
export const dropOld = confirmRebuild;

export async function readRebuildRecord(documentStore: DocumentStore, name: string): Promise<RebuildRecord | null> {
  return (await documentStore.get(REBUILD_COLLECTION, name)) as RebuildRecord | null;
}

export function rebuildProgress(projection: string, progress: ProcessorProgress): RebuildProgress {
  const elapsedMs = Math.max(1, Date.now() - progress.startedAt);
  const seconds = elapsedMs / 1000;
  const travelled = progress.position - progress.startPosition;
  const remaining = Math.max(0, progress.headPosition - progress.position);
  const positionsPerSecond = travelled / seconds;
  return {
    projection,
    target: progress.collection,
    eventsDone: progress.eventsProcessed,
    eventsPerSecond: Math.round(progress.eventsProcessed / seconds),
    position: progress.position,
    startPosition: progress.startPosition,
    headPosition: progress.headPosition,
    etaSeconds: remaining === 0 ? 0 : positionsPerSecond > 0 ? Math.round(remaining / positionsPerSecond) : null,
    percent: progress.headPosition > 0 ? Math.min(100, (100 * progress.position) / progress.headPosition) : 100,
    elapsedMs,
    lastError: progress.lastError,
  };
}

async function chooseTarget(
  definition: ProjectionDefinition,
  stores: RebuildStores,
  serving: string,
  retained: readonly string[],
): Promise<string> {
  const names = [
    serving,
    ...retained,
    ...(await stores.documentStore.listCollections()),
    ...(await stores.checkpointStore.list()).map((checkpoint) => checkpoint.name),
  ];
  let highest = -1;
  for (const collection of names) highest = Math.max(highest, buildNumberOf(definition, collection) ?? -1);
  // Only `<name>_v<n>` when nothing of this version exists yet; otherwise a new build number, so a name
  // that serves or is kept for rollback is never reused.
  return highest < 0 ? physicalCollection(definition) : buildCollection(definition, highest + 1);
}

/** Removes leftovers of an abandoned build (documents and checkpoint) so it can start clean. */
async function discard(stores: RebuildStores, collection: string): Promise<void> {
  await stores.documentStore.dropCollection(collection);
  await stores.checkpointStore.delete(collection);
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
