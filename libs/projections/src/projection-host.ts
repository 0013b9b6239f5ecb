import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { ProjectionRunner } from './projection-runner.js';
import { type PoisonEventReport, type ProjectionStatus, UnknownProjectionError } from './projection-status.js';
import {
  ProjectionWorkerError,
  type ProjectionWorkerData,
  type ProjectionWorkerRunnerOptions,
  type WorkerCommand,
  type WorkerMessage,
  type WorkerReplyValue,
} from './projection-worker-protocol.js';
import type { RebuildResult } from './rebuild.js';
import { waitForPosition } from './wait-for-position.js';

/**
 * What the HTTP side sees of the projections, whether they run in a worker thread (embedded mode:
 * `node:sqlite` blocks its thread) or in-process (server mode: the drivers are asynchronous).
 */
export interface ProjectionHost {
  status(): ProjectionStatus[];
  /** Read-your-writes: true once `name` reflects `position`, false when `timeoutMs` passed first. */
  waitForPosition(name: string, position: number, timeoutMs: number): Promise<boolean>;
  rebuild(name: string, options?: { readonly fresh?: boolean }): Promise<RebuildResult>;
  confirmRebuild(name: string): Promise<{ readonly dropped: readonly string[] }>;
  onStatus(listener: (status: ProjectionStatus) => void): () => void;
  /** Graceful: every projection commits its current batch and checkpoint; then resources are released. */
  stop(): Promise<void>;
}

/** Runs a `ProjectionRunner` on the calling thread (tests, and server mode with asynchronous drivers). */
export class InProcessProjectionHost implements ProjectionHost {
  constructor(private readonly runner: ProjectionRunner) {}

  start(): this {
    this.runner.start();
    return this;
  }

  status(): ProjectionStatus[] {
    return this.runner.status();
  }

  waitForPosition(name: string, position: number, timeoutMs: number): Promise<boolean> {
    return this.runner.waitForPosition(name, position, timeoutMs);
  }

  rebuild(name: string, options: { readonly fresh?: boolean } = {}): Promise<RebuildResult> {
    return this.runner.rebuild(name, options);
  }

  confirmRebuild(name: string): Promise<{ readonly dropped: readonly string[] }> {
    return this.runner.confirmRebuild(name);
  }

  onStatus(listener: (status: ProjectionStatus) => void): () => void {
    return this.runner.onStatus(listener);
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }
}

export interface WorkerProjectionHostOptions {
  /** Module exporting `projections` and `openStores` (see `projection-worker-protocol.ts`). */
  readonly definitionsModule: string | URL;
  /** Structured-cloneable configuration handed to `openStores` inside the worker. */
  readonly config: unknown;
  readonly runner?: ProjectionWorkerRunnerOptions;
  /** The compiled worker entry; defaults to `projection-worker.js` next to this file. */
  readonly workerUrl?: URL;
  readonly onPoison?: (report: PoisonEventReport) => void;
  /** The worker died (an uncaught error, or it exited without being stopped). */
  readonly onWorkerError?: (error: Error) => void;
  /** How long the worker may take to open its stores (default 30 s). */
  readonly startTimeoutMs?: number;
}

interface Pending {
  resolve(value: WorkerReplyValue): void;
  reject(error: Error): void;
}

/**
 * Main-thread side of the projection worker: starts it, mirrors the statuses it posts, forwards
 * commands and answers read-your-writes waits. The worker's failure is surfaced (statuses turn
 * `failed`, pending commands reject), never swallowed.
 */
export class WorkerProjectionHost implements ProjectionHost {
  private readonly statuses = new Map<string, ProjectionStatus>();
  private readonly listeners = new Set<(status: ProjectionStatus) => void>();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dead: Error | null = null;
  private stopping: Promise<void> | null = null;

  private constructor(
    private readonly worker: Worker,
    private readonly options: WorkerProjectionHostOptions,
  ) {}

  static async start(options: WorkerProjectionHostOptions): Promise<WorkerProjectionHost> {
    const workerData: ProjectionWorkerData = {
      definitionsModule: String(options.definitionsModule),
      config: options.config,
      ...(options.runner === undefined ? {} : { runner: options.runner }),
    };
    const worker = new Worker(options.workerUrl ?? new URL('./projection-worker.js', import.meta.url), { workerData });
    const host = new WorkerProjectionHost(worker, options);
    await host.ready(options.startTimeoutMs ?? 30_000);
    return host;
  }

  status(): ProjectionStatus[] {
    return [...this.statuses.values()];
  }

  onStatus(listener: (status: ProjectionStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  waitForPosition(name: string, position: number, timeoutMs: number): Promise<boolean> {
    if (!this.statuses.has(name)) return Promise.reject(new UnknownProjectionError(name));
    return waitForPosition(
      {
        reached: async (projection, at) => {
          const known = this.statuses.get(projection);
          // The mirrored checkpoint answers most waits without a round trip to the worker.
          if (known !== undefined && known.collection !== null && known.position >= at) return true;
          if (this.dead !== null || this.stopping !== null) return false;
          return (await this.request({ kind: 'reached', name: projection, position: at })) === true;
        },
        onChange: (listener) => this.onStatus(listener),
      },
      name,
      position,
      timeoutMs,
    );
  }

  async rebuild(name: string, options: { readonly fresh?: boolean } = {}): Promise<RebuildResult> {
    return (await this.request({ kind: 'rebuild', name, ...options })) as RebuildResult;
  }

  async confirmRebuild(name: string): Promise<{ readonly dropped: readonly string[] }> {
    return (await this.request({ kind: 'confirm-rebuild', name })) as { readonly dropped: readonly string[] };
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.dead === null) {
        const exited = once(this.worker, 'exit');
        await this.request({ kind: 'stop' });
        await exited;
      }
    })();
    return this.stopping;
  }

  private ready(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        void this.worker.terminate();
        reject(new Error(`The projection worker did not start within ${timeoutMs} ms`));
      }, timeoutMs);
      const settle = (error: Error | null): void => {
        clearTimeout(timer);
        if (error === null) resolve();
        else reject(error);
      };
      this.worker.on('message', (message: WorkerMessage) => this.receive(message, settle));
      this.worker.on('error', (error: Error) => {
        this.die(error);
        settle(error);
      });
      this.worker.on('exit', (code) => {
        if (this.stopping === null) {
          const error = new Error(`The projection worker exited unexpectedly (code ${code})`);
          this.die(error);
          settle(error);
        }
      });
    });
  }

  private receive(message: WorkerMessage, settleStart: (error: Error | null) => void): void {
    switch (message.type) {
      case 'ready':
        for (const status of message.statuses) this.update(status);
        settleStart(null);
        return;
      case 'status':
        this.update(message.status);
        return;
      case 'poison':
        this.options.onPoison?.(message.report);
        return;
      case 'reply': {
        const pending = this.pending.get(message.id);
        if (pending === undefined) return;
        this.pending.delete(message.id);
        if (message.ok) pending.resolve(message.value);
        else pending.reject(new ProjectionWorkerError(message.error));
        return;
      }
      case 'fatal': {
        const error = new ProjectionWorkerError(message.error);
        this.die(error);
        settleStart(error);
        return;
      }
    }
  }

  private update(status: ProjectionStatus): void {
    this.statuses.set(status.name, status);
    for (const listener of this.listeners) listener(status);
  }

  private request(command: WorkerCommand): Promise<WorkerReplyValue> {
    if (this.dead !== null) return Promise.reject(this.dead);
    if (this.stopping !== null && command.kind !== 'stop') {
      return Promise.reject(new Error('The projection worker is stopping or stopped'));
    }
    const id = this.nextId++;
    return new Promise<WorkerReplyValue>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'request', id, command });
    });
  }

  private die(error: Error): void {
    if (this.dead !== null) return;
    this.dead = error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
    const at = new Date().toISOString();
    for (const status of [...this.statuses.values()]) {
      this.update({ ...status, state: 'failed', lastError: { message: error.message, at } });
    }
    this.options.onWorkerError?.(error);
  }
}
