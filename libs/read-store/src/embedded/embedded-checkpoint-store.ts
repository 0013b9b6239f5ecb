import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Checkpoint, CheckpointStore } from '../read-store.port.js';
import type { ReadStoreWriter } from './read-store-writer.js';
import type { EncodedCheckpoint } from './read-store-writes.js';
import { settle, settleAsync } from './settle.js';

interface CheckpointRow {
  name: string;
  position: number;
  updated_at: string;
}

/**
 * Checkpoints in the read-store file, so a projection's checkpoint commits with its documents. Reads use
 * the store's connection; saves and deletes go through the store's writer, in call order with its other
 * writes.
 */
export class EmbeddedCheckpointStore implements CheckpointStore {
  private readonly selectOne: StatementSync;
  private readonly selectAll: StatementSync;

  constructor(
    db: DatabaseSync,
    private readonly writer: ReadStoreWriter,
    private readonly clock: () => Date,
  ) {
    this.selectOne = db.prepare('SELECT name, position, updated_at FROM rs_checkpoints WHERE name = ?');
    this.selectAll = db.prepare('SELECT name, position, updated_at FROM rs_checkpoints ORDER BY name');
  }

  load(name: string): Promise<Checkpoint | null> {
    return settle(() => {
      const row = this.selectOne.get(name) as CheckpointRow | undefined;
      return row ? toCheckpoint(row) : null;
    });
  }

  save(name: string, position: number): Promise<void> {
    return settleAsync(() => this.writer.saveCheckpoint(this.encode(name, position)));
  }

  delete(name: string): Promise<void> {
    return this.writer.deleteCheckpoint(name);
  }

  list(): Promise<Checkpoint[]> {
    return settle(() => (this.selectAll.all() as unknown as CheckpointRow[]).map(toCheckpoint));
  }

  /** Checked and stamped here, on the calling thread: also for `EmbeddedDocumentStore.commit`. */
  encode(name: string, position: number): EncodedCheckpoint {
    if (typeof name !== 'string' || name === '') throw new TypeError('checkpoint name must be a non-empty string');
    if (!Number.isSafeInteger(position)) throw new TypeError(`checkpoint position must be a safe integer: ${position}`);
    return { name, position, updatedAt: this.clock().toISOString() };
  }
}

function toCheckpoint(row: CheckpointRow): Checkpoint {
  return { name: row.name, position: row.position, updatedAt: row.updated_at };
}
