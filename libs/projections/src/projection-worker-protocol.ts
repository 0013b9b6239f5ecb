import type { EventStore } from '@pruefpfad/event-store';
import type { CheckpointStore, DocumentStore } from '@pruefpfad/read-store';
import type { BackoffOptions } from './backoff.js';
import type { ProjectionDefinition } from './projection.js';
import type { PoisonEventReport, ProjectionStatus } from './projection-status.js';
import type { RebuildResult } from './rebuild.js';

/**
 * How the projection worker thread learns what to run. Functions cannot cross a thread boundary, so the
 * host passes a module specifier (a `file:` URL) and plain, structured-cloneable configuration; the
 * worker imports the module, which must export:
 *
 * ```ts
 * export const projections: readonly ProjectionDefinition[] = [reviewsProjection, ...];
 * export async function openStores(config: MyConfig, context: ProjectionWorkerContext): Promise<ProjectionStores> {
 *   const eventStore = await SqliteEventStore.open({ file: config.eventsFile, chainKey: ..., readOnly: true });
 *   const readStore = EmbeddedReadStore.open({ file: config.readFile });
 *   return { eventStore, documentStore: readStore.documents, checkpointStore: readStore.checkpoints,
 *            close: async () => { await eventStore.close(); await readStore.close(); } };
 * }
 * ```
 *
 * The worker opens its OWN connections (read-only event store, read store) on the same files as the
 * HTTP thread: `node:sqlite` connections are synchronous and must not be shared across threads. The
 * same module is what the app's composition root imports for the in-process variant, so the list of
 * read models exists once.
 */
export interface ProjectionStores {
  readonly eventStore: EventStore;
  readonly documentStore: DocumentStore;
  readonly checkpointStore: CheckpointStore;
  close(): Promise<void>;
}

export interface ProjectionWorkerContext {
  readonly role: 'projection-worker';
}

export interface ProjectionWorkerModule {
  readonly projections: readonly ProjectionDefinition[];
  openStores(config: unknown, context: ProjectionWorkerContext): Promise<ProjectionStores> | ProjectionStores;
}

/** Runner settings that can cross the thread boundary. */
export interface ProjectionWorkerRunnerOptions {
  readonly batchSize?: number;
  readonly rebuildBatchSize?: number;
  readonly progressIntervalMs?: number;
  readonly retry?: BackoffOptions;
  readonly owner?: string;
}

export interface ProjectionWorkerData {
  /** `file:` URL of a module shaped like `ProjectionWorkerModule`. */
  readonly definitionsModule: string;
  /** Passed to `openStores` unchanged; must be structured-cloneable (no functions, no class instances). */
  readonly config: unknown;
  readonly runner?: ProjectionWorkerRunnerOptions;
}

export type WorkerCommand =
  | { readonly kind: 'reached'; readonly name: string; readonly position: number }
  | { readonly kind: 'rebuild'; readonly name: string; readonly fresh?: boolean }
  | { readonly kind: 'confirm-rebuild'; readonly name: string }
  | { readonly kind: 'stop' };

export interface WorkerRequest {
  readonly type: 'request';
  readonly id: number;
  readonly command: WorkerCommand;
}

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

export type WorkerReplyValue = boolean | RebuildResult | { readonly dropped: readonly string[] } | null;

export type WorkerMessage =
  | { readonly type: 'ready'; readonly statuses: readonly ProjectionStatus[] }
  | { readonly type: 'status'; readonly status: ProjectionStatus }
  | { readonly type: 'poison'; readonly report: PoisonEventReport }
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly value: WorkerReplyValue }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly error: SerializedError }
  | { readonly type: 'fatal'; readonly error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: String(error) };
}

/** An error raised inside the worker, rebuilt on the host side with its name and stable code. */
export class ProjectionWorkerError extends Error {
  readonly code: string;
  constructor(serialized: SerializedError) {
    super(serialized.message);
    this.name = serialized.name;
    this.code = serialized.code ?? 'PROJECTION_WORKER_ERROR';
  }
}
