import type { EventStore } from '@pruefpfad/event-store';
import type { CheckpointStore, DocumentStore } from '@pruefpfad/read-store';
import { Backoff, type BackoffOptions, errorMessage, sleep } from './backoff.js';
import { DocumentLease, leaseOwner } from './lease.js';
import { buildNumberOf, type ProjectionDefinition } from './projection.js';
import { type ProcessorProgress, ProjectionProcessor } from './projection-processor.js';
import { ProjectionRegistry } from './projection-registry.js';
import {
  LeaseLostError,
  PoisonEventError,
  type PoisonEventReport,
  type ProjectionError,
  type ProjectionState,
  type ProjectionStatus,
  RebuildInProgressError,
  type RebuildProgress,
  UnknownProjectionError,
} from './projection-status.js';
import { confirmRebuild, rebuildProjection, type RebuildResult } from './rebuild.js';
import { QuietStretch, waitForPosition } from './wait-for-position.js';

export interface ProjectionRunnerOptions {
  readonly definitions: readonly ProjectionDefinition[] | ProjectionRegistry;
  readonly eventStore: EventStore;
  readonly documentStore: DocumentStore;
  readonly checkpointStore: CheckpointStore;
  /** Events per batch when following (default 1,000). */
  readonly batchSize?: number;
  /** Events per batch when building a collection (default 5,000). */
  readonly rebuildBatchSize?: number;
  /**
   * How far behind the store's head a live projection's checkpoint may stay while only events of other
   * types arrive (default 1 s): the subscription's progress batches move it, at most one checkpoint-only
   * commit per projection per interval (see `SubscribeOptions.progressIntervalMs`).
   */
  readonly progressIntervalMs?: number;
  readonly retry?: BackoffOptions;
  /** Called once per poison event; the projection is then `failed` until restarted after a fix. */
  readonly onPoison?: (report: PoisonEventReport) => void;
  /** Called whenever a projection's status changes (after every committed batch). */
  readonly onStatus?: (status: ProjectionStatus) => void;
  /** Identifies this process in leases and rebuild records (default: a fresh id). */
  readonly owner?: string;
  /**
   * Server mode: run a projection only while holding the lease `projection:<name>`, so exactly one
   * process writes each projection. Embedded mode runs one worker per process and needs none.
   */
  readonly lease?: { readonly ttlMs?: number };
  readonly clock?: () => number;
}

/**
 * Runs projections live. For each definition it keeps the serving collection up to date: the collection
 * the alias `<name>` points at, as long as it belongs to the definition's version. When it does not (a
 * first start, or a new version after a deployment) the runner first builds the version with
 * `rebuildProjection`, which switches the alias once caught up, then follows it. When an operator's
 * rebuild switches the alias, the runner notices before its next batch and continues on the new
 * collection from that collection's own checkpoint.
 */
export class ProjectionRunner {
  private readonly registry: ProjectionRegistry;
  private readonly slots = new Map<string, ProjectionSlot>();
  private readonly listeners = new Set<(status: ProjectionStatus) => void>();
  readonly owner: string;

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.registry =
      options.definitions instanceof ProjectionRegistry
        ? options.definitions
        : new ProjectionRegistry(options.definitions);
    this.owner = options.owner ?? leaseOwner('projections');
    for (const definition of this.registry.list()) {
      this.slots.set(
        definition.name,
        new ProjectionSlot(definition, this.options, this.owner, (status) => this.emit(status)),
      );
    }
  }

  get definitions(): ProjectionRegistry {
    return this.registry;
  }

  start(): void {
    for (const slot of this.slots.values()) slot.start();
  }

  /** Graceful: each projection commits the batch it is folding, with its checkpoint, then stops. */
  async stop(): Promise<void> {
    await Promise.all([...this.slots.values()].map((slot) => slot.stop()));
  }

  status(): ProjectionStatus[] {
    return [...this.slots.values()].map((slot) => slot.status());
  }

  statusOf(name: string): ProjectionStatus {
    return this.slot(name).status();
  }

  /** Listens to status changes; returns the removal. */
  onStatus(listener: (status: ProjectionStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Whether the serving collection reflects every event up to `position`: its position (progress batches
   * move it through events of other types within `progressIntervalMs`), and for the stretch beyond it
   * the store's answer that nothing of ours lies in between (see `QuietStretch`).
   */
  async reached(name: string, position: number): Promise<boolean> {
    return this.slot(name).reached(position);
  }

  /** Read-your-writes: true once `position` is reflected, false when `timeoutMs` passed first. */
  waitForPosition(name: string, position: number, timeoutMs: number): Promise<boolean> {
    this.slot(name);
    return waitForPosition(
      {
        reached: (projection, at) => this.reached(projection, at),
        onChange: (listener) => this.onStatus(listener),
      },
      name,
      position,
      timeoutMs,
    );
  }

  /** An operator's rebuild of one projection while the current collection keeps serving. */
  async rebuild(
    name: string,
    options: { readonly fresh?: boolean; readonly onProgress?: (progress: RebuildProgress) => void } = {},
  ): Promise<RebuildResult> {
    return this.slot(name).rebuild(options);
  }

  async confirmRebuild(name: string): Promise<{ readonly dropped: readonly string[] }> {
    this.slot(name);
    return confirmRebuild(name, { ...this.options, owner: this.owner, clock: this.options.clock });
  }

  private slot(name: string): ProjectionSlot {
    const slot = this.slots.get(name);
    if (slot === undefined) throw new UnknownProjectionError(name);
    return slot;
  }

  private emit(status: ProjectionStatus): void {
    this.options.onStatus?.(status);
    for (const listener of this.listeners) listener(status);
  }
}

/** One projection inside a runner: its loop, status and the processor currently writing. */
class ProjectionSlot {
  private readonly stopController = new AbortController();
  private loop: Promise<void> | null = null;
  private processor: ProjectionProcessor | null = null;
  private state: ProjectionState = 'stopped';
  private collection: string | null = null;
  private progress: ProcessorProgress | null = null;
  private processedBefore = 0;
  private lastError: ProjectionError | null = null;
  private rebuildProgress: RebuildProgress | null = null;
  private readonly lease: DocumentLease | null;
  private readonly quiet: QuietStretch;

  constructor(
    private readonly definition: ProjectionDefinition,
    private readonly options: ProjectionRunnerOptions,
    private readonly owner: string,
    private readonly emit: (status: ProjectionStatus) => void,
  ) {
    this.quiet = new QuietStretch(options.eventStore, definition.eventTypes);
    this.lease =
      options.lease === undefined
        ? null
        : new DocumentLease({
            documentStore: options.documentStore,
            key: `projection:${definition.name}`,
            owner,
            ttlMs: options.lease.ttlMs,
            clock: options.clock,
          });
  }

  start(): void {
    if (this.loop !== null) return;
    this.state = 'catching-up';
    this.loop = this.run().catch((error: unknown) => {
      this.fail({ message: errorMessage(error), at: new Date().toISOString() });
    });
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    await this.processor?.stop();
    await this.loop;
    if (this.lease?.held === true) await this.lease.release().catch(() => undefined);
    if (this.state !== 'failed') this.setState('stopped');
  }

  status(): ProjectionStatus {
    const progress = this.progress;
    // While nothing of this version serves yet, the build's progress is the only honest measure of lag.
    const building = this.collection === null ? this.rebuildProgress : null;
    const position = building?.position ?? progress?.position ?? 0;
    const headPosition = Math.max(building?.headPosition ?? progress?.headPosition ?? 0, position);
    return {
      name: this.definition.name,
      version: this.definition.version,
      collection: this.collection,
      position,
      headPosition,
      lag: headPosition - position,
      state: this.state,
      lastError: this.lastError ?? building?.lastError ?? progress?.lastError ?? null,
      eventsProcessed:
        this.processedBefore + (progress?.eventsProcessed ?? 0) + (this.rebuildProgress?.eventsDone ?? 0),
      rebuild: this.rebuildProgress,
    };
  }

  async reached(position: number): Promise<boolean> {
    const progress = this.progress;
    if (this.collection === null || progress === null || this.state === 'standby') return false;
    // The checkpoint is read again at the end: a batch may have been committed while the store was asked.
    return this.quiet.reached(progress.position, position, () => this.progress?.position ?? 0);
  }

  async rebuild(options: {
    readonly fresh?: boolean;
    readonly onProgress?: (progress: RebuildProgress) => void;
  }): Promise<RebuildResult> {
    try {
      const result = await rebuildProjection(this.definition, {
        ...this.options,
        batchSize: this.options.rebuildBatchSize,
        owner: this.owner,
        fresh: options.fresh,
        clock: this.options.clock,
        signal: this.stopController.signal,
        onProgress: (progress) => {
          this.rebuildProgress = progress;
          options.onProgress?.(progress);
          this.emit(this.status());
        },
      });
      this.processedBefore += result.eventsDone;
      // Follow the new collection now rather than at the next event.
      await this.processor?.stop();
      return result;
    } finally {
      this.rebuildProgress = null;
      this.emit(this.status());
    }
  }

  private get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  private async run(): Promise<void> {
    const { documentStore } = this.options;
    const backoff = new Backoff(this.options.retry);
    const name = this.definition.name;
    while (!this.stopping) {
      try {
        if (this.lease !== null && !(await this.holdLease())) continue;
        const serving = await documentStore.resolve(name);
        if (buildNumberOf(this.definition, serving) === null) {
          await this.build();
          continue;
        }
        this.collection = serving;
        if (this.state !== 'live') this.setState('catching-up');
        const outcome = await this.follow(serving);
        backoff.reset();
        if (outcome === 'failed') return;
      } catch (error) {
        // A stop interrupts a build or a store call: that is the stop, not an error to report.
        if (this.stopping && !(error instanceof PoisonEventError)) break;
        if (error instanceof PoisonEventError) {
          this.options.onPoison?.(error.report);
          this.fail({ message: error.message, at: error.report.at, poison: error.report });
          return;
        }
        const delay = backoff.fail();
        this.lastError = { message: errorMessage(error), at: new Date().toISOString(), attempts: backoff.attempts };
        if (backoff.exhausted) {
          this.fail(this.lastError);
          return;
        }
        this.emit(this.status());
        await sleep(delay, this.stopController.signal);
      }
    }
  }

  /** The alias does not serve this version yet: build it (or wait for whoever is building it). */
  private async build(): Promise<void> {
    this.collection = null;
    this.setState('catching-up');
    try {
      await this.rebuild({});
      this.lastError = null;
    } catch (error) {
      if (error instanceof RebuildInProgressError) {
        // Someone else (the CLI, another node) builds it; we follow once the alias moves.
        this.lastError = { message: error.message, at: new Date().toISOString() };
        this.emit(this.status());
        await sleep(1_000, this.stopController.signal);
        return;
      }
      throw error;
    }
  }

  private async follow(collection: string): Promise<'failed' | 'again'> {
    const name = this.definition.name;
    const processor = new ProjectionProcessor({
      definition: this.definition,
      collection,
      eventStore: this.options.eventStore,
      documentStore: this.options.documentStore,
      checkpointStore: this.options.checkpointStore,
      batchSize: this.options.batchSize,
      progressIntervalMs: this.options.progressIntervalMs,
      retry: this.options.retry,
      beforeBatch: async () => {
        if (this.lease !== null) {
          if (!this.lease.held) return false;
          await this.lease.renewIfDue();
        }
        return (await this.options.documentStore.resolve(name)) === collection;
      },
      // A stall may have cost the lease without this process noticing (its clock says it still holds
      // it): ask the store before writing again, and stop if another holder took over.
      onCheckpointRegression: async () => {
        if (this.lease === null) return true;
        try {
          await this.lease.verify();
          return true;
        } catch (error) {
          if (error instanceof LeaseLostError) return false;
          throw error;
        }
      },
      onProgress: (progress) => {
        this.progress = progress;
        this.lastError = null;
        if (progress.caughtUp && this.state === 'catching-up') this.state = 'live';
        this.emit(this.status());
      },
    });
    if (this.progress !== null && this.progress.collection !== collection) this.progress = null;
    this.processor = processor;
    if (this.stopping) await processor.stop();
    const renewal =
      this.lease === null ? null : setInterval(() => void this.renewLease(processor), this.lease.ttlMs / 3);
    let outcome;
    try {
      outcome = await processor.run();
    } finally {
      if (renewal !== null) clearInterval(renewal);
      this.processedBefore += processor.progress().eventsProcessed;
      this.progress = { ...processor.progress(), eventsProcessed: 0 };
      this.processor = null;
    }
    if (outcome.kind === 'failed') {
      if (outcome.error.poison !== undefined) this.options.onPoison?.(outcome.error.poison);
      this.fail(outcome.error);
      return 'failed';
    }
    return 'again';
  }

  private async holdLease(): Promise<boolean> {
    const lease = this.lease!;
    if (lease.held) return true;
    if (await lease.acquire()) return true;
    this.collection = null;
    this.setState('standby');
    await sleep(lease.ttlMs / 3, this.stopController.signal);
    return false;
  }

  private async renewLease(processor: ProjectionProcessor): Promise<void> {
    try {
      await this.lease!.renew();
    } catch (error) {
      // Lost or unreachable: stop writing; the loop goes back to acquiring.
      this.lastError = { message: errorMessage(error), at: new Date().toISOString() };
      await processor.stop();
    }
  }

  private fail(error: ProjectionError): void {
    this.lastError = error;
    this.setState('failed');
  }

  private setState(state: ProjectionState): void {
    this.state = state;
    this.emit(this.status());
  }
}
