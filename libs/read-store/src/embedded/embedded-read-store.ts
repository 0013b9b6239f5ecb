import type { DatabaseSync } from 'node:sqlite';
import { EmbeddedCheckpointStore } from './embedded-checkpoint-store.js';
import { EmbeddedDocumentStore } from './embedded-document-store.js';
import { openReadStoreDatabase } from './read-store-database.js';

export interface EmbeddedReadStoreOptions {
  /** Path of the SQLite file (created with its directory if missing). */
  readonly file: string;
  /** Source of checkpoint `updatedAt`; defaults to the system clock. */
  readonly clock?: () => Date;
  /** How long a write waits for another connection's write lock before failing (ms). */
  readonly busyTimeoutMs?: number;
  /** Remove tombstones on open (default true), which bounds their growth across restarts. */
  readonly compactOnOpen?: boolean;
}

/**
 * The embedded read store: one `node:sqlite` connection shared by a `DocumentStore` and a
 * `CheckpointStore`. They are two objects because both ports have a `delete` with different meanings.
 * Open one instance per thread (the HTTP thread and a projection worker each open their own on the same
 * file); each instance sees the others' commits on its next read. Closing either the instance or
 * `documents` closes the connection.
 */
export class EmbeddedReadStore {
  readonly documents: EmbeddedDocumentStore;
  readonly checkpoints: EmbeddedCheckpointStore;
  private closed = false;

  private constructor(
    private readonly db: DatabaseSync,
    clock: () => Date,
  ) {
    this.checkpoints = new EmbeddedCheckpointStore(db, clock);
    this.documents = new EmbeddedDocumentStore(db, this.checkpoints, () => this.close());
  }

  /** Synchronous, like `node:sqlite` itself: the file is ready when this returns. */
  static open(options: EmbeddedReadStoreOptions): EmbeddedReadStore {
    const db = openReadStoreDatabase(options.file, options.busyTimeoutMs ?? 10_000);
    const store = new EmbeddedReadStore(db, options.clock ?? (() => new Date()));
    if (options.compactOnOpen ?? true) store.compact();
    return store;
  }

  /** See `EmbeddedDocumentStore.compact`. */
  compact(): number {
    return this.documents.compact();
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.db.close();
    }
    return Promise.resolve();
  }
}
