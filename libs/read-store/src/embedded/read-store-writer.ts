import { Worker } from 'node:worker_threads';
import type {
  SerializedWriterError,
  WriterCommand,
  WriterMessage,
  WriterRequest,
  WriterWorkerData,
} from './read-store-writer-worker.js';
import { CheckpointRegressionError, type Filter, type WriteCondition } from '../read-store.port.js';
import type { EncodedCheckpoint, EncodedWrite, ReadStoreWrites } from './read-store-writes.js';
import { settle } from './settle.js';

/**
 * Where the embedded read store's writes run. Every write of a store goes through its one writer, so
 * writes apply in call order whichever kind it is. A promise resolves once the write's COMMIT returned
 * (acknowledged = on disk).
 */
export interface ReadStoreWriter {
  commit(writes: readonly EncodedWrite[], checkpoint: EncodedCheckpoint | null): Promise<void>;
  putIf(write: EncodedWrite, condition: WriteCondition): Promise<boolean>;
  deleteIf(collection: string, id: string, matches: Filter): Promise<boolean>;
  switchAlias(alias: string, physical: string): Promise<void>;
  dropCollection(physical: string): Promise<void>;
  saveCheckpoint(checkpoint: EncodedCheckpoint): Promise<void>;
  deleteCheckpoint(name: string): Promise<void>;
  compact(): Promise<number>;
  /** After every write issued before it has been applied. */
  close(): Promise<void>;
}

/** On the store's own connection, synchronously (the default: no thread per test app). */
export class InlineWriter implements ReadStoreWriter {
  constructor(private readonly writes: ReadStoreWrites) {}

  commit(writes: readonly EncodedWrite[], checkpoint: EncodedCheckpoint | null): Promise<void> {
    return settle(() => this.writes.commit(writes, checkpoint));
  }

  putIf(write: EncodedWrite, condition: WriteCondition): Promise<boolean> {
    return settle(() => this.writes.putIf(write, condition));
  }

  deleteIf(collection: string, id: string, matches: Filter): Promise<boolean> {
    return settle(() => this.writes.deleteIf(collection, id, matches));
  }

  switchAlias(alias: string, physical: string): Promise<void> {
    return settle(() => this.writes.switchAlias(alias, physical));
  }

  dropCollection(physical: string): Promise<void> {
    return settle(() => this.writes.dropCollection(physical));
  }

  saveCheckpoint(checkpoint: EncodedCheckpoint): Promise<void> {
    return settle(() => this.writes.saveCheckpoint(checkpoint));
  }

  deleteCheckpoint(name: string): Promise<void> {
    return settle(() => this.writes.deleteCheckpoint(name));
  }

  compact(): Promise<number> {
    return settle(() => this.writes.compact());
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

interface Pending {
  resolve(value: number | null): void;
  reject(error: Error): void;
}

export class ReadStoreClosedError extends Error {
  constructor() {
    super('read store is closed');
    this.name = 'ReadStoreClosedError';
  }
}

/**
 * On a `node:worker_threads` thread with its own connection (`read-store-writer-worker.ts`): the SQLite
 * work of a write, fsync included, leaves the calling thread, which meanwhile reads and computes the next
 * batch. Requests are posted in call order and the thread handles them one by one, so writes apply in
 * call order. The thread keeps the process alive only while a write is pending.
 */
export class WriterThread implements ReadStoreWriter {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | null = null;
  private closing: Promise<void> | null = null;
  private readonly exited: Promise<void>;
  private hasExited = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: WriterMessage) => this.receive(message));
    worker.on('error', (error: Error) => this.fail(error));
    this.exited = new Promise<void>((resolve) => {
      worker.once('exit', (code: number) => {
        this.hasExited = true;
        this.fail(new Error(`read store writer thread ended (exit code ${code})`));
        resolve();
      });
    });
    worker.unref();
  }

  /** Starts the thread; requests posted before it has opened its connection wait in its queue. */
  static start(data: WriterWorkerData): WriterThread {
    return new WriterThread(new Worker(writerWorkerUrl(), { workerData: data }));
  }

  commit(writes: readonly EncodedWrite[], checkpoint: EncodedCheckpoint | null): Promise<void> {
    return this.request({ kind: 'commit', writes, checkpoint }).then(() => undefined);
  }

  putIf(write: EncodedWrite, condition: WriteCondition): Promise<boolean> {
    return this.request({ kind: 'put-if', write, condition }).then((written) => written === 1);
  }

  deleteIf(collection: string, id: string, matches: Filter): Promise<boolean> {
    return this.request({ kind: 'delete-if', collection, id, matches }).then((deleted) => deleted === 1);
  }

  switchAlias(alias: string, physical: string): Promise<void> {
    return this.request({ kind: 'switch-alias', alias, physical }).then(() => undefined);
  }

  dropCollection(physical: string): Promise<void> {
    return this.request({ kind: 'drop-collection', physical }).then(() => undefined);
  }

  saveCheckpoint(checkpoint: EncodedCheckpoint): Promise<void> {
    return this.request({ kind: 'save-checkpoint', checkpoint }).then(() => undefined);
  }

  deleteCheckpoint(name: string): Promise<void> {
    return this.request({ kind: 'delete-checkpoint', name }).then(() => undefined);
  }

  compact(): Promise<number> {
    return this.request({ kind: 'compact' }).then((removed) => removed ?? 0);
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    if (this.failure === null) {
      // Posted after every pending write, so those are applied (and answered) first.
      this.worker.ref();
      // A thread that ended before answering has closed its connection with it.
      await this.send({ kind: 'close' }).catch((error: unknown) => {
        if (!this.hasExited) throw error;
      });
    }
    if (!this.hasExited) await this.exited;
  }

  private request(command: WriterCommand): Promise<number | null> {
    if (this.closing !== null) return Promise.reject(new ReadStoreClosedError());
    return this.send(command);
  }

  private send(command: WriterCommand): Promise<number | null> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId;
    this.nextId += 1;
    return new Promise<number | null>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, command } satisfies WriterRequest);
    });
  }

  private receive(message: WriterMessage): void {
    if (message.type === 'fatal') {
      this.fail(toError(message.error));
      return;
    }
    const pending = this.pending.get(message.id);
    if (pending === undefined) return;
    this.pending.delete(message.id);
    if (this.pending.size === 0 && this.closing === null) this.worker.unref();
    if (message.ok) pending.resolve(message.value);
    else pending.reject(toError(message.error));
  }

  /** The thread cannot write any more: every pending and later request fails with this. */
  private fail(error: Error): void {
    this.failure ??= error;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const request of pending) request.reject(this.failure);
  }
}

/**
 * Compiled, the entry is the `.js` file next to this module (found like `WorkerProjectionHost` finds
 * `projection-worker.js`). Under a TypeScript loader (Jest) this module is a `.ts` file, and so is the
 * entry: Node 24 runs it by stripping its types (see the hook in the entry for its imports).
 */
function writerWorkerUrl(): URL {
  const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`./read-store-writer-worker.${extension}`, import.meta.url);
}

function toError(serialized: SerializedWriterError): Error {
  if (serialized.regression !== undefined) {
    const { checkpoint, stored, attempted } = serialized.regression;
    return new CheckpointRegressionError(checkpoint, stored, attempted);
  }
  const error = new Error(serialized.message) as Error & { code?: string; errcode?: number; errstr?: string };
  error.name = serialized.name;
  if (serialized.code !== undefined) error.code = serialized.code;
  if (serialized.errcode !== undefined) error.errcode = serialized.errcode;
  if (serialized.errstr !== undefined) error.errstr = serialized.errstr;
  return error;
}
