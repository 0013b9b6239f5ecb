import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { Query } from 'mingo';
import { CheckpointRegressionError, type Filter, type WriteCondition } from '../read-store.port.js';
import { inWriteTransaction } from '@pruefpfad/runtime';

/**
 * One document write, already validated and serialised on the calling thread (so a document JSON cannot
 * carry fails there, before anything is written): `json` is the document, or null for a delete.
 */
export interface EncodedWrite {
  readonly collection: string;
  readonly id: string;
  readonly json: string | null;
}

/** A checkpoint stamped on the calling thread (the clock is a function and cannot cross threads). */
export interface EncodedCheckpoint {
  readonly name: string;
  readonly position: number;
  readonly updatedAt: string;
}

/**
 * Every write of the embedded read store, as SQL on one connection: the store's own connection when it
 * writes inline, or the writer thread's (`read-store-writer-worker.ts`). One place, so both modes write
 * exactly the same rows. Each method is one `BEGIN IMMEDIATE` transaction.
 *
 * `rs_meta.seq` is bumped by every transaction that changes documents, aliases or collections (see
 * `read-store-database.ts`): the caches of every connection rely on it.
 *
 * Loaded by the writer thread as TypeScript under Jest (type stripping): erasable syntax only (no
 * parameter properties, no enums) and `import type` for types.
 */
export class ReadStoreWrites {
  private readonly db: DatabaseSync;
  private readonly statements: ReturnType<typeof prepareStatements>;

  constructor(db: DatabaseSync) {
    this.db = db;
    this.statements = prepareStatements(db);
  }

  /** Documents (in their order: a later write to the same document wins) and the checkpoint, atomically. */
  commit(writes: readonly EncodedWrite[], checkpoint: EncodedCheckpoint | null): void {
    const { upsertDoc, tombstoneDoc, ensureCollection } = this.statements;
    let deleted = false;
    inWriteTransaction(this.db, () => {
      // Checked before anything is written: a refused batch writes nothing.
      if (checkpoint !== null) this.refuseRegression(checkpoint);
      if (writes.length > 0) {
        const seq = this.nextSeq();
        const seen = new Set<string>();
        for (const write of writes) {
          if (write.json === null) {
            const removed = Number(tombstoneDoc.run(seq, write.collection, write.id).changes) > 0;
            deleted = deleted || removed;
            continue;
          }
          upsertDoc.run(write.collection, write.id, seq, write.json);
          if (!seen.has(write.collection)) {
            ensureCollection.run(write.collection, seq);
            seen.add(write.collection);
          }
        }
      }
      if (checkpoint !== null) this.upsertCheckpoint(checkpoint);
    });
    // A removed document (retention: a purged review's) must not live on in the WAL: secure_delete zeroed
    // its freed space, and copying the pages back and truncating the WAL drops the old page images. Deletes
    // are rare (purges, withdrawals), so this costs nothing on the rebuild path. A reader holding an old
    // snapshot can make it partial; the next checkpoint completes it.
    if (deleted) this.statements.checkpointTruncate.get();
  }

  /**
   * Puts the document only if `condition` holds for the stored one: check and write in one transaction,
   * and (like every write here) in call order with the store's other writes, so no write comes between.
   */
  putIf(write: EncodedWrite, condition: WriteCondition): boolean {
    const json = write.json;
    if (json === null) throw new TypeError('putIf needs a document');
    return inWriteTransaction(this.db, () => {
      if (!this.holds(write.collection, write.id, condition)) return false;
      const seq = this.nextSeq();
      this.statements.upsertDoc.run(write.collection, write.id, seq, json);
      this.statements.ensureCollection.run(write.collection, seq);
      return true;
    });
  }

  /** Deletes the document only if it exists and matches `matches`, in one transaction. */
  deleteIf(collection: string, id: string, matches: Filter): boolean {
    const deleted = inWriteTransaction(this.db, () => {
      if (!this.holds(collection, id, { matches })) return false;
      return Number(this.statements.tombstoneDoc.run(this.nextSeq(), collection, id).changes) > 0;
    });
    // As in `commit`: a removed document must not live on in the WAL.
    if (deleted) this.statements.checkpointTruncate.get();
    return deleted;
  }

  switchAlias(alias: string, physical: string): void {
    inWriteTransaction(this.db, () => {
      this.nextSeq();
      this.statements.upsertAlias.run(alias, physical);
    });
  }

  dropCollection(physical: string): void {
    inWriteTransaction(this.db, () => {
      this.nextSeq();
      this.statements.deleteDocs.run(physical);
      this.statements.deleteCollection.run(physical);
    });
  }

  saveCheckpoint(checkpoint: EncodedCheckpoint): void {
    inWriteTransaction(this.db, () => {
      this.refuseRegression(checkpoint);
      this.upsertCheckpoint(checkpoint);
    });
  }

  deleteCheckpoint(name: string): void {
    inWriteTransaction(this.db, () => this.statements.deleteCheckpoint.run(name));
  }

  /**
   * Removes tombstones (they only exist so other connections learn of deletes) and moves each affected
   * collection to a new generation, so every connection reloads it instead of missing a delete.
   * Returns the number of tombstones removed.
   */
  compact(): number {
    return inWriteTransaction(this.db, () => {
      const collections = this.statements.tombstonedCollections.all() as { collection: string }[];
      if (collections.length === 0) return 0;
      const seq = this.nextSeq();
      let removed = 0;
      for (const { collection } of collections) {
        removed += Number(this.statements.deleteTombstones.run(collection).changes);
        this.statements.bumpGeneration.run(seq, collection);
      }
      return removed;
    });
  }

  /** Inside a write transaction: a checkpoint never moves backwards (equal is an idempotent replay). */
  private refuseRegression(checkpoint: EncodedCheckpoint): void {
    const row = this.statements.selectCheckpoint.get(checkpoint.name) as { position: number } | undefined;
    if (row !== undefined && row.position > checkpoint.position) {
      throw new CheckpointRegressionError(checkpoint.name, row.position, checkpoint.position);
    }
  }

  /** Inside a write transaction: whether `condition` holds for the document stored under `id`. */
  private holds(collection: string, id: string, condition: WriteCondition): boolean {
    const row = this.statements.selectDoc.get(collection, id) as { doc: string } | undefined;
    if (row === undefined) return condition.absent === true;
    return (
      condition.matches !== undefined &&
      new Query(condition.matches, {}).test(JSON.parse(row.doc) as Record<string, unknown>)
    );
  }

  private upsertCheckpoint(checkpoint: EncodedCheckpoint): void {
    this.statements.upsertCheckpoint.run(checkpoint.name, checkpoint.position, checkpoint.updatedAt);
  }

  private nextSeq(): number {
    return (this.statements.nextSeq.get() as { value: number }).value;
  }
}

function prepareStatements(db: DatabaseSync) {
  const statement = (sql: string): StatementSync => db.prepare(sql);
  return {
    nextSeq: statement("UPDATE rs_meta SET value = value + 1 WHERE key = 'seq' RETURNING value"),
    upsertDoc: statement(
      `INSERT INTO rs_documents (collection, id, seq, doc) VALUES (?, ?, ?, ?)
       ON CONFLICT (collection, id) DO UPDATE SET seq = excluded.seq, doc = excluded.doc`,
    ),
    // Only live documents get a tombstone: a row that never existed is in no cache.
    tombstoneDoc: statement(
      'UPDATE rs_documents SET seq = ?, doc = NULL WHERE collection = ? AND id = ? AND doc IS NOT NULL',
    ),
    ensureCollection: statement(
      'INSERT INTO rs_collections (name, generation) VALUES (?, ?) ON CONFLICT (name) DO NOTHING',
    ),
    upsertAlias: statement(
      'INSERT INTO rs_aliases (alias, physical) VALUES (?, ?) ON CONFLICT (alias) DO UPDATE SET physical = excluded.physical',
    ),
    deleteDocs: statement('DELETE FROM rs_documents WHERE collection = ?'),
    deleteCollection: statement('DELETE FROM rs_collections WHERE name = ?'),
    tombstonedCollections: statement('SELECT DISTINCT collection FROM rs_documents WHERE doc IS NULL'),
    deleteTombstones: statement('DELETE FROM rs_documents WHERE collection = ? AND doc IS NULL'),
    bumpGeneration: statement('UPDATE rs_collections SET generation = ? WHERE name = ?'),
    upsertCheckpoint: statement(
      `INSERT INTO rs_checkpoints (name, position, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
    ),
    deleteCheckpoint: statement('DELETE FROM rs_checkpoints WHERE name = ?'),
    selectCheckpoint: statement('SELECT position FROM rs_checkpoints WHERE name = ?'),
    selectDoc: statement('SELECT doc FROM rs_documents WHERE collection = ? AND id = ? AND doc IS NOT NULL'),
    checkpointTruncate: statement('PRAGMA wal_checkpoint(TRUNCATE)'),
  };
}
