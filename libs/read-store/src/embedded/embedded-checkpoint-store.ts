import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Checkpoint, CheckpointStore } from '../read-store.port.js';
import { inWriteTransaction } from './read-store-database.js';
import { settle } from './settle.js';

interface CheckpointRow {
  name: string;
  position: number;
  updated_at: string;
}

/** Checkpoints in the read-store file, so a projection's checkpoint commits with its documents. */
export class EmbeddedCheckpointStore implements CheckpointStore {
  private readonly upsert: StatementSync;
  private readonly selectOne: StatementSync;
  private readonly selectAll: StatementSync;
  private readonly remove: StatementSync;

  constructor(
    private readonly db: DatabaseSync,
    private readonly clock: () => Date,
  ) {
    this.upsert = db.prepare(
      `INSERT INTO rs_checkpoints (name, position, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
    );
    this.selectOne = db.prepare('SELECT name, position, updated_at FROM rs_checkpoints WHERE name = ?');
    this.selectAll = db.prepare('SELECT name, position, updated_at FROM rs_checkpoints ORDER BY name');
    this.remove = db.prepare('DELETE FROM rs_checkpoints WHERE name = ?');
  }

  load(name: string): Promise<Checkpoint | null> {
    return settle(() => {
      const row = this.selectOne.get(name) as CheckpointRow | undefined;
      return row ? toCheckpoint(row) : null;
    });
  }

  save(name: string, position: number): Promise<void> {
    return settle(() => inWriteTransaction(this.db, () => this.saveWithinTransaction(name, position)));
  }

  delete(name: string): Promise<void> {
    return settle(() => {
      inWriteTransaction(this.db, () => this.remove.run(name));
    });
  }

  list(): Promise<Checkpoint[]> {
    return settle(() => (this.selectAll.all() as unknown as CheckpointRow[]).map(toCheckpoint));
  }

  /** For `EmbeddedDocumentStore.commit`: the caller owns the transaction. */
  saveWithinTransaction(name: string, position: number): void {
    if (typeof name !== 'string' || name === '') throw new TypeError('checkpoint name must be a non-empty string');
    if (!Number.isSafeInteger(position)) throw new TypeError(`checkpoint position must be a safe integer: ${position}`);
    this.upsert.run(name, position, this.clock().toISOString());
  }
}

function toCheckpoint(row: CheckpointRow): Checkpoint {
  return { name: row.name, position: row.position, updatedAt: row.updated_at };
}
