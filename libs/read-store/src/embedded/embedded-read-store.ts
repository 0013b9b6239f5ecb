import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { EmbeddedCheckpointStore } from './embedded-checkpoint-store.js';
import { EmbeddedDocumentStore } from './embedded-document-store.js';
import { openReadStoreDatabase } from './read-store-database.js';
import { InlineWriter, type ReadStoreWriter, WriterThread } from './read-store-writer.js';
import { ReadStoreWrites } from './read-store-writes.js';

export interface EmbeddedReadStoreOptions {
  /** Path of the SQLite file (created with its directory if missing). */
  readonly file: string;
  /** Source of checkpoint `updatedAt`; defaults to the system clock. */
  readonly clock?: () => Date;
  /** How long a write waits for another connection's write lock before failing (ms). */
  readonly busyTimeoutMs?: number;
  /** Remove tombstones on open (default true), which bounds their growth across restarts. */
  readonly compactOnOpen?: boolean;
  /**
   * Run every write (commit, put, delete, aliases, drops, checkpoints, compaction) on a worker thread with
   * its own connection to the file, in call order, while reads stay on this thread's connection. For
   * projection work: the SQLite write of batch N (with its fsync) overlaps with reading and folding batch
   * N + 1. A write's promise still resolves only after its COMMIT returned. Off by default, so the many
   * stores opened by tests and by the HTTP side start no thread. Not for ':memory:' (one connection only).
   */
  readonly writerThread?: boolean;
}

/**
 * The embedded read store: one `node:sqlite` connection shared by a `DocumentStore` and a
 * `CheckpointStore` (plus, with `writerThread`, a writer thread with a second connection). They are two
 * objects because both ports have a `delete` with different meanings. Open one instance per thread (the
 * HTTP thread and a projection worker each open their own on the same file); each instance sees the
 * others' commits on its next read. Closing either the instance or `documents` applies the writes issued
 * before, then closes the connections.
 */
export class EmbeddedReadStore {
  readonly documents: EmbeddedDocumentStore;
  readonly checkpoints: EmbeddedCheckpointStore;
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly db: DatabaseSync,
    private readonly writer: ReadStoreWriter,
    clock: () => Date,
  ) {
    this.checkpoints = new EmbeddedCheckpointStore(db, writer, clock);
    this.documents = new EmbeddedDocumentStore(db, this.checkpoints, writer, () => this.close());
  }

  /**
   * Synchronous, like `node:sqlite` itself: the file is ready when this returns (a writer thread opens
   * its connection in the background; writes issued meanwhile wait for it, in order).
   */
  static open(options: EmbeddedReadStoreOptions): EmbeddedReadStore {
    const writerThread = options.writerThread ?? false;
    if (writerThread && options.file === ':memory:') {
      throw new Error("read store: writerThread needs a file; ':memory:' cannot be shared across connections");
    }
    const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
    const db = openReadStoreDatabase(options.file, busyTimeoutMs);
    let writer: ReadStoreWriter;
    try {
      const writes = new ReadStoreWrites(db);
      // On this connection, before any writer thread exists: nothing can be queued ahead of it.
      if (options.compactOnOpen ?? true) writes.compact();
      writer = writerThread
        ? WriterThread.start({ file: path.resolve(options.file), busyTimeoutMs })
        : new InlineWriter(writes);
    } catch (error) {
      db.close();
      throw error;
    }
    return new EmbeddedReadStore(db, writer, options.clock ?? (() => new Date()));
  }

  /** See `EmbeddedDocumentStore.compact`. */
  compact(): Promise<number> {
    return this.documents.compact();
  }

  close(): Promise<void> {
    if (this.closing !== null) return this.closing;
    if (this.writer instanceof InlineWriter) {
      // Nothing can be pending inline: the connection closes now, as callers that do not await expect.
      this.db.close();
      this.closing = Promise.resolve();
    } else {
      this.closing = this.writer.close().finally(() => this.db.close());
    }
    return this.closing;
  }
}
