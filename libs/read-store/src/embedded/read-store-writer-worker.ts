import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { Filter, WriteCondition } from '../read-store.port.js';
import type { EncodedCheckpoint, EncodedWrite } from './read-store-writes.js';

/**
 * Writer thread entry of the embedded read store (`EmbeddedReadStore.open({ writerThread: true })`): its
 * own `node:sqlite` connection on the store's file, opened with the same pragmas (WAL, synchronous=FULL,
 * secure_delete, busy_timeout), runs the store's writes one after another in the order they were posted
 * and answers each after its COMMIT returned. The calling thread serialises documents and keeps reading
 * on its own connection, so projection folding and the SQLite write (with its fsync) run in parallel.
 */
export interface WriterWorkerData {
  readonly file: string;
  readonly busyTimeoutMs: number;
}

export type WriterCommand =
  | {
      readonly kind: 'commit';
      readonly writes: readonly EncodedWrite[];
      readonly checkpoint: EncodedCheckpoint | null;
    }
  /** Answers 1 when written, 0 when the condition did not hold. */
  | { readonly kind: 'put-if'; readonly write: EncodedWrite; readonly condition: WriteCondition }
  | { readonly kind: 'delete-if'; readonly collection: string; readonly id: string; readonly matches: Filter }
  | { readonly kind: 'switch-alias'; readonly alias: string; readonly physical: string }
  | { readonly kind: 'drop-collection'; readonly physical: string }
  | { readonly kind: 'save-checkpoint'; readonly checkpoint: EncodedCheckpoint }
  | { readonly kind: 'delete-checkpoint'; readonly name: string }
  | { readonly kind: 'compact' }
  /** Closes the connection after every write posted before it; the thread then ends. */
  | { readonly kind: 'close' };

export interface WriterRequest {
  readonly id: number;
  readonly command: WriterCommand;
}

export interface SerializedWriterError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly errcode?: number;
  readonly errstr?: string;
  /** A `CheckpointRegressionError`'s facts, so the calling thread can rebuild it. */
  readonly regression?: { readonly checkpoint: string; readonly stored: number; readonly attempted: number };
}

export type WriterMessage =
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly value: number | null }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly error: SerializedWriterError }
  /** The connection could not be opened: every request fails with this. */
  | { readonly type: 'fatal'; readonly error: SerializedWriterError };

if (parentPort === null) throw new Error('read-store-writer-worker runs as a worker thread (see WriterThread)');
const port = parentPort;

// Under a TypeScript loader (Jest) this entry runs as `.ts` through Node's own type stripping, which does
// not map the sources' `.js` specifiers to their `.ts` files, nor resolve the workspace packages
// (`@pruefpfad/*`) to their sources (the `pruefpfad-source` export condition); this hook does both, for
// this thread only. The compiled entry (dist) is `.js`, its imports exist, and no hook is installed.
if (import.meta.url.endsWith('.ts')) {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const parent = context.parentURL;
      if (parent?.endsWith('.ts') !== true) return nextResolve(specifier, context);
      if (/^\.\.?\//.test(specifier) && specifier.endsWith('.js') && !existsSync(new URL(specifier, parent))) {
        return nextResolve(new URL(`${specifier.slice(0, -3)}.ts`, parent).href, context);
      }
      return nextResolve(specifier, { ...context, conditions: [...context.conditions, 'pruefpfad-source'] });
    },
  });
}

// Imported after the hook is in place (static imports would be resolved before it).
const { openReadStoreDatabase } = await import('./read-store-database.js');
const { ReadStoreWrites } = await import('./read-store-writes.js');

function serialize(error: unknown): SerializedWriterError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { code, errcode, errstr } = error as { code?: unknown; errcode?: unknown; errstr?: unknown };
  const { checkpoint, stored, attempted } = error as { checkpoint?: unknown; stored?: unknown; attempted?: unknown };
  const regression =
    error.name === 'CheckpointRegressionError' &&
    typeof checkpoint === 'string' &&
    typeof stored === 'number' &&
    typeof attempted === 'number'
      ? { checkpoint, stored, attempted }
      : undefined;
  return {
    ...(regression !== undefined ? { regression } : {}),
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof errcode === 'number' ? { errcode } : {}),
    ...(typeof errstr === 'string' ? { errstr } : {}),
  };
}

const post = (message: WriterMessage): void => port.postMessage(message);
const data = workerData as WriterWorkerData;

let opened: { db: ReturnType<typeof openReadStoreDatabase>; writes: InstanceType<typeof ReadStoreWrites> };
try {
  const db = openReadStoreDatabase(data.file, data.busyTimeoutMs);
  opened = { db, writes: new ReadStoreWrites(db) };
} catch (error) {
  post({ type: 'fatal', error: serialize(error) });
  port.close();
  throw error;
}
const { db, writes } = opened;

function execute(command: WriterCommand): number | null {
  switch (command.kind) {
    case 'commit':
      writes.commit(command.writes, command.checkpoint);
      return null;
    case 'put-if':
      return writes.putIf(command.write, command.condition) ? 1 : 0;
    case 'delete-if':
      return writes.deleteIf(command.collection, command.id, command.matches) ? 1 : 0;
    case 'switch-alias':
      writes.switchAlias(command.alias, command.physical);
      return null;
    case 'drop-collection':
      writes.dropCollection(command.physical);
      return null;
    case 'save-checkpoint':
      writes.saveCheckpoint(command.checkpoint);
      return null;
    case 'delete-checkpoint':
      writes.deleteCheckpoint(command.name);
      return null;
    case 'compact':
      return writes.compact();
    case 'close':
      db.close();
      return null;
  }
}

// Messages are handled one at a time, synchronously: writes apply strictly in the order they were posted.
port.on('message', (request: WriterRequest) => {
  try {
    post({ type: 'reply', id: request.id, ok: true, value: execute(request.command) });
  } catch (error) {
    post({ type: 'reply', id: request.id, ok: false, error: serialize(error) });
  }
  // Nothing keeps the thread alive once the port is closed: it ends after the reply.
  if (request.command.kind === 'close') port.close();
});
