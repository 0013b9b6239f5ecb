import type { EventStore, Subscription, SubscriptionBatch } from '@pruefpfad/event-store';
import { type CheckpointStore, CheckpointRegressionError, type Doc, type DocumentStore } from '@pruefpfad/read-store';
import { Backoff, type BackoffOptions, errorMessage, sleep } from './backoff.js';
import { type DocumentLoader, type FoldedBatch, foldBatch } from './fold-batch.js';
import { InFlightDocuments } from './in-flight-documents.js';
import type { ProjectionDefinition } from './projection.js';
import type { ProjectionError } from './projection-status.js';

/**
 * Projects one definition into one physical collection: follows the catch-up subscription from the
 * collection's checkpoint (checkpoint name = physical collection name) and commits every batch's
 * documents together with the checkpoint. The live runner and the rebuild both drive this class, so
 * there is exactly one code path that writes projected documents. While a batch commits, the next one is
 * read and folded (see `follow`): with the embedded store's writer thread or a server store the write
 * and its round trips overlap with the reading and folding.
 */
export interface ProcessorOptions {
  readonly definition: ProjectionDefinition;
  /** Physical collection written, also the checkpoint name. */
  readonly collection: string;
  readonly eventStore: EventStore;
  readonly documentStore: DocumentStore;
  readonly checkpointStore: CheckpointStore;
  /** Events per subscription batch (1–5,000). */
  readonly batchSize?: number;
  readonly retry?: BackoffOptions;
  /** Rebuilds: return as soon as a committed batch has reached the head. Otherwise follow until stopped. */
  readonly untilCaughtUp?: boolean;
  /**
   * Runs before each batch is folded. Return false to end the run without folding it (`yielded`), e.g.
   * because the alias moved to another collection or a lease was lost. An exception ends the run with it.
   */
  readonly beforeBatch?: () => Promise<boolean> | boolean;
  /**
   * Runs when a commit was refused because the stored checkpoint is beyond it (another writer moved it
   * on). Return false to end the run (`yielded`) without writing again, e.g. when the lease, read from
   * the store, is no longer this process's; true resumes from the stored checkpoint.
   */
  readonly onCheckpointRegression?: () => Promise<boolean>;
  /** After every commit and every error; an exception ends the run with it. */
  readonly onProgress?: (progress: ProcessorProgress) => void;
  /** How often to ask the store for its head while catching up (default 1 s). */
  readonly headRefreshMs?: number;
  /**
   * Bound on the subscription's progress batches (`SubscribeOptions.progressIntervalMs`, default 1 s):
   * each moves the checkpoint through events of other types with a commit of its own, so this is also the
   * most checkpoint-only writes per interval.
   */
  readonly progressIntervalMs?: number;
  readonly now?: () => Date;
}

export interface ProcessorProgress {
  readonly collection: string;
  readonly startPosition: number;
  readonly position: number;
  readonly headPosition: number;
  readonly eventsProcessed: number;
  readonly caughtUp: boolean;
  readonly startedAt: number;
  readonly lastError: ProjectionError | null;
}

export type ProcessorOutcome =
  | { readonly kind: 'caught-up'; readonly position: number }
  | { readonly kind: 'stopped'; readonly position: number }
  | { readonly kind: 'yielded'; readonly position: number }
  | { readonly kind: 'failed'; readonly position: number; readonly error: ProjectionError };

/** A batch whose commit was started and not yet awaited. */
interface InFlightCommit {
  /** null once committed, or the commit's error. */
  readonly outcome: Promise<{ readonly error: unknown } | null>;
  /** What the batch wrote, for the next batch's fold. */
  readonly documents: InFlightDocuments;
  /** The position committed with it. */
  readonly checkpoint: number;
  readonly events: number;
  readonly lastPosition: number;
  readonly caughtUp: boolean;
  readonly poisoned: boolean;
}

/** Errors raised by our own hooks end the run instead of being retried as store errors. */
class HookError extends Error {
  constructor(readonly inner: unknown) {
    super(errorMessage(inner));
  }
}

export class ProjectionProcessor {
  private readonly batchSize: number;
  private readonly headRefreshMs: number;
  private readonly now: () => Date;
  private readonly stopController = new AbortController();
  private subscription: Subscription | null = null;
  private inFlight: InFlightCommit | null = null;
  private running: Promise<ProcessorOutcome> | null = null;

  private startPosition = 0;
  private position = 0;
  private headPosition = 0;
  private headCheckedAt = 0;
  private eventsProcessed = 0;
  private caughtUp = false;
  private startedAt = 0;
  private lastError: ProjectionError | null = null;

  constructor(private readonly options: ProcessorOptions) {
    this.batchSize = Math.min(5000, Math.max(1, options.batchSize ?? 1000));
    this.headRefreshMs = options.headRefreshMs ?? 1000;
    this.now = options.now ?? (() => new Date());
  }

  get collection(): string {
    return this.options.collection;
  }

  /** Starts (once) and resolves with how the run ended. Rejects only when a hook threw. */
  run(): Promise<ProcessorOutcome> {
    this.running ??= this.loop();
    return this.running;
  }

  /**
   * Graceful: the commit in flight and the batch being folded are committed with their checkpoints, then
   * the run ends `stopped`.
   */
  async stop(): Promise<ProcessorOutcome | null> {
    this.stopController.abort();
    await this.subscription?.close();
    return this.running === null ? null : this.running.catch(() => null);
  }

  progress(): ProcessorProgress {
    return {
      collection: this.options.collection,
      startPosition: this.startPosition,
      position: this.position,
      headPosition: Math.max(this.headPosition, this.position),
      eventsProcessed: this.eventsProcessed,
      caughtUp: this.caughtUp,
      startedAt: this.startedAt,
      lastError: this.lastError,
    };
  }

  private get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  private async loop(): Promise<ProcessorOutcome> {
    const { collection, eventStore, checkpointStore } = this.options;
    const backoff = new Backoff(this.options.retry);
    this.startedAt = Date.now();
    let loaded = false;

    while (!this.stopping) {
      try {
        if (!loaded) {
          await this.options.documentStore.ensureIndexes(collection, this.options.definition.indexes ?? []);
          this.position = (await checkpointStore.load(collection))?.position ?? 0;
          this.startPosition = this.position;
          this.headPosition = await eventStore.headPosition();
          this.headCheckedAt = Date.now();
          loaded = true;
        }
        const outcome = await this.follow();
        if (outcome !== null) return outcome;
        backoff.reset();
      } catch (error) {
        if (error instanceof HookError) throw error.inner;
        // Another writer moved the checkpoint on (this one lost its lease): whoever runs this processor
        // decides whether it still may write (a lease is asked the store, not this process's belief);
        // if so, it resumes from the stored checkpoint.
        if (error instanceof CheckpointRegressionError) {
          loaded = false;
          if (this.options.onCheckpointRegression !== undefined && !(await this.options.onCheckpointRegression()))
            return { kind: 'yielded', position: this.position };
        }
        const delay = backoff.fail();
        this.lastError = { message: errorMessage(error), at: this.now().toISOString(), attempts: backoff.attempts };
        if (backoff.exhausted) return { kind: 'failed', position: this.position, error: this.lastError };
        this.notify();
        await sleep(delay, this.stopController.signal);
      }
    }
    return { kind: 'stopped', position: this.position };
  }

  /**
   * One subscription from the current checkpoint; null when it ended without an outcome (stop).
   *
   * Pipelined: batch N's commit is started without awaiting it, batch N + 1 is read and folded while it
   * runs (documents N wrote are served from memory, see `InFlightDocuments`), and commit N is awaited
   * before commit N + 1 starts. So at most one commit is in flight, checkpoints are written in order, and
   * the position and progress only move when a commit resolved. A failed commit discards the batch folded
   * meanwhile; the caller's backoff resumes from the last committed checkpoint. Every way out of here
   * first waits for the commit in flight.
   */
  private async follow(): Promise<ProcessorOutcome | null> {
    const { definition, eventStore } = this.options;
    const subscription = eventStore.subscribeToAll({
      after: this.position,
      filter: { eventTypes: definition.eventTypes },
      batchSize: this.batchSize,
      progressIntervalMs: this.options.progressIntervalMs,
    });
    this.subscription = subscription;
    // A stop that raced with opening the subscription must still end it.
    if (this.stopping) await subscription.close();
    try {
      for await (const batch of subscription) {
        if (this.stopping) break;
        if (this.options.beforeBatch !== undefined) {
          let proceed: boolean;
          try {
            proceed = await this.options.beforeBatch();
          } catch (error) {
            throw new HookError(error);
          }
          if (!proceed) {
            await this.settleCommit();
            return { kind: 'yielded', position: this.position };
          }
        }
        const folded = await this.fold(batch);
        await this.settleCommit();
        this.startCommit(batch, folded);
        if (folded.poison !== null) {
          await this.settleCommit();
          this.lastError = { message: folded.poison.error, at: folded.poison.at, poison: folded.poison };
          this.notify();
          return { kind: 'failed', position: this.position, error: this.lastError };
        }
        // At the head there is nothing to overlap with, and waiters want the position now.
        if (batch.caughtUp) {
          await this.settleCommit();
          if (this.options.untilCaughtUp === true) return { kind: 'caught-up', position: this.position };
        }
      }
      await this.settleCommit();
      return this.stopping ? { kind: 'stopped', position: this.position } : null;
    } catch (error) {
      // The commit in flight decides the checkpoint a retry resumes from; the first error is reported.
      await this.settleCommit().catch(() => undefined);
      throw error;
    } finally {
      this.subscription = null;
      await subscription.close();
    }
  }

  private fold(batch: SubscriptionBatch): Promise<FoldedBatch> {
    const { definition, collection, documentStore } = this.options;
    const fromStore: DocumentLoader = (ids) => loadDocuments(documentStore, collection, ids);
    const inFlight = this.inFlight?.documents;
    return foldBatch(
      definition,
      collection,
      batch.events,
      batch.lastPosition,
      inFlight === undefined ? fromStore : inFlight.over(fromStore),
      this.now,
    );
  }

  /** Starts the batch's commit (documents and checkpoint) and leaves it in flight. */
  private startCommit(batch: SubscriptionBatch, folded: FoldedBatch): void {
    const { collection, documentStore } = this.options;
    const checkpoint = Math.max(folded.checkpoint, this.position);
    let commit: Promise<void> = Promise.resolve();
    if (folded.writes.length > 0 || folded.checkpoint > this.position) {
      try {
        commit = documentStore.commit(folded.writes, { name: collection, position: checkpoint });
      } catch (error) {
        commit = Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    this.inFlight = {
      // Never rejects: a failure is only looked at in `settleCommit`, so it is never an unhandled rejection.
      outcome: commit.then(
        () => null,
        (error: unknown) => ({ error }),
      ),
      documents: new InFlightDocuments(folded.writes),
      checkpoint,
      events: folded.events,
      lastPosition: batch.lastPosition,
      caughtUp: batch.caughtUp,
      poisoned: folded.poison !== null,
    };
  }

  /** Waits for the commit in flight (if any); only then do position and progress move. Throws its error. */
  private async settleCommit(): Promise<void> {
    const pending = this.inFlight;
    if (pending === null) return;
    const failure = await pending.outcome;
    this.inFlight = null;
    if (failure !== null) throw failure.error;
    this.position = Math.max(this.position, pending.checkpoint);
    this.eventsProcessed += pending.events;
    if (pending.caughtUp) {
      this.headPosition = Math.max(this.headPosition, pending.lastPosition);
    } else if (Date.now() - this.headCheckedAt >= this.headRefreshMs) {
      this.headPosition = await this.options.eventStore.headPosition();
      this.headCheckedAt = Date.now();
    }
    // A poison batch is reported by its caller, with the poison event as the error.
    if (pending.poisoned) return;
    if (this.lastError !== null && this.lastError.poison === undefined) this.lastError = null;
    if (pending.caughtUp) this.caughtUp = true;
    this.notify();
  }

  private notify(): void {
    if (this.options.onProgress === undefined) return;
    try {
      this.options.onProgress(this.progress());
    } catch (error) {
      throw new HookError(error);
    }
  }
}

/** A batch's documents in one round trip per chunk (`getMany`), instead of a `get` per document. */
async function loadDocuments(
  store: DocumentStore,
  collection: string,
  ids: readonly string[],
): Promise<Map<string, Doc | null>> {
  const byId = new Map<string, Doc | null>();
  for (const doc of await store.getMany(collection, ids)) byId.set(doc._id, doc);
  return byId;
}
