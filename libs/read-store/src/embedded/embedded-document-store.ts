import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Doc, DocumentStore, DocumentWrite, Filter, FindOptions, Pipeline } from '../read-store.port.js';
import { CollectionCache } from './collection-cache.js';
import type { EmbeddedCheckpointStore } from './embedded-checkpoint-store.js';
import { aggregateDocuments, countDocuments, findDocuments } from './mingo-evaluation.js';
import { inReadTransaction, inWriteTransaction } from './read-store-database.js';
import { settle } from './settle.js';

interface ChangeRow {
  id: string;
  doc: string | null;
}

/**
 * Documents in a `node:sqlite` file, queried in memory with mingo.
 *
 * Writes go straight to SQLite (one `BEGIN IMMEDIATE` transaction each, documents serialised once, no
 * mingo). Reads are served from a per-collection cache of parsed, frozen documents that every read first
 * brings up to date from the file: if the global write counter has not moved, nothing is read; otherwise
 * only rows written after the cache's counter are applied (tombstones remove), and a changed collection
 * generation (drop, compaction) reloads the collection. So another connection on the same file, e.g. a
 * projection runner in a worker thread, is seen by the next read here, and a restart needs no replay.
 *
 * Results of `find` (and of pipelines made only of read-only stages) are, or contain, the cache's frozen
 * objects: copy before changing them. `get` reads its row directly and returns a fresh object. Documents are stored as JSON: members that are `undefined` are dropped, a value
 * JSON cannot carry (a cycle, a BigInt) fails the write, and so does a document without a string `_id`.
 */
export class EmbeddedDocumentStore implements DocumentStore {
  private readonly caches = new Map<string, CollectionCache>();
  /** Logical name → physical collection it resolved to at the last read, to evict caches left behind. */
  private readonly routes = new Map<string, string>();
  private readonly statements: ReturnType<typeof prepareStatements>;

  constructor(
    private readonly db: DatabaseSync,
    private readonly checkpoints: EmbeddedCheckpointStore,
    private readonly onClose: () => Promise<void>,
  ) {
    this.statements = prepareStatements(db);
  }

  get(collection: string, id: string): Promise<Doc | null> {
    return settle(() =>
      inReadTransaction(this.db, () => {
        const row = this.statements.selectDoc.get(this.resolveNow(collection), id) as { doc: string } | undefined;
        return row ? (JSON.parse(row.doc) as Doc) : null;
      }),
    );
  }

  /**
   * The documents of `ids` that exist (absent ids are left out, order unspecified), read in one statement
   * on one snapshot: the projection processor loads a batch's documents through this (`BatchDocumentReader`)
   * instead of one `get` per document. Like `get`, fresh objects straight from the file.
   */
  getMany(collection: string, ids: readonly string[]): Promise<Doc[]> {
    return settle(() => {
      if (ids.length === 0) return [];
      return inReadTransaction(this.db, () => {
        const rows = this.statements.selectDocs.all(this.resolveNow(collection), JSON.stringify(ids)) as {
          doc: string;
        }[];
        return rows.map((row) => JSON.parse(row.doc) as Doc);
      });
    });
  }

  find(collection: string, filter: Filter = {}, options: FindOptions = {}): Promise<Doc[]> {
    return settle(() => findDocuments(this.view(collection).all(), filter, options));
  }

  count(collection: string, filter: Filter = {}): Promise<number> {
    return settle(() => countDocuments(this.view(collection).all(), filter));
  }

  aggregate(collection: string, pipeline: Pipeline): Promise<Record<string, unknown>[]> {
    return settle(() => aggregateDocuments(this.view(collection).all(), pipeline));
  }

  put(collection: string, doc: Doc): Promise<void> {
    return settle(() => this.write([{ op: 'put', collection, doc }], null));
  }

  delete(collection: string, id: string): Promise<void> {
    return settle(() => this.write([{ op: 'delete', collection, id }], null));
  }

  commit(
    writes: readonly DocumentWrite[],
    checkpoint: { readonly name: string; readonly position: number },
  ): Promise<void> {
    return settle(() => this.write(writes, checkpoint));
  }

  resolve(collection: string): Promise<string> {
    return settle(() => this.resolveNow(collection));
  }

  switchAlias(alias: string, physical: string): Promise<void> {
    return settle(() => {
      requireName(alias, 'alias');
      requireName(physical, 'collection');
      inWriteTransaction(this.db, () => {
        this.nextSeq();
        this.statements.upsertAlias.run(alias, physical);
      });
    });
  }

  dropCollection(physical: string): Promise<void> {
    return settle(() => {
      inWriteTransaction(this.db, () => {
        this.nextSeq();
        this.statements.deleteDocs.run(physical);
        this.statements.deleteCollection.run(physical);
      });
      this.caches.delete(physical);
    });
  }

  listCollections(): Promise<string[]> {
    return settle(() => (this.statements.listCollections.all() as { name: string }[]).map((row) => row.name));
  }

  close(): Promise<void> {
    return this.onClose();
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

  private write(
    writes: readonly DocumentWrite[],
    checkpoint: { readonly name: string; readonly position: number } | null,
  ): void {
    const { upsertDoc, tombstoneDoc, ensureCollection } = this.statements;
    inWriteTransaction(this.db, () => {
      if (writes.length > 0) {
        const seq = this.nextSeq();
        const seen = new Set<string>();
        for (const write of writes) {
          requireName(write.collection, 'collection');
          switch (write.op) {
            case 'put': {
              const id = documentId(write.doc);
              // Serialised inside the transaction: a document JSON cannot carry rolls back the whole batch.
              upsertDoc.run(write.collection, id, seq, JSON.stringify(write.doc));
              if (!seen.has(write.collection)) {
                ensureCollection.run(write.collection, seq);
                seen.add(write.collection);
              }
              break;
            }
            case 'delete':
              if (typeof write.id !== 'string') throw new TypeError('delete needs a string id');
              tombstoneDoc.run(seq, write.collection, write.id);
              break;
            default:
              throw new TypeError(`unknown write op: ${String((write as { op?: unknown }).op)}`);
          }
        }
      }
      if (checkpoint) this.checkpoints.saveWithinTransaction(checkpoint.name, checkpoint.position);
    });
  }

  /** Brings the cache of the collection `collection` resolves to up to date with the file. */
  private view(collection: string): CollectionCache {
    return inReadTransaction(this.db, () => {
      const physical = this.resolveNow(collection);
      const previous = this.routes.get(collection);
      if (previous !== physical) {
        if (previous !== undefined && previous !== collection) this.caches.delete(previous);
        this.routes.set(collection, physical);
      }
      const seq = (this.statements.currentSeq.get() as { value: number }).value;
      let cache = this.caches.get(physical);
      if (cache?.seq === seq) return cache;
      const row = this.statements.generation.get(physical) as { generation: number } | undefined;
      const generation = row?.generation ?? 0;
      if (cache?.generation !== generation) {
        cache = new CollectionCache(generation, seq);
        for (const doc of this.statements.loadDocs.iterate(physical) as Iterable<ChangeRow>)
          cache.apply(doc.id, doc.doc);
        this.caches.set(physical, cache);
      } else {
        for (const change of this.statements.changesSince.iterate(physical, cache.seq) as Iterable<ChangeRow>) {
          cache.apply(change.id, change.doc);
        }
        cache.seq = seq;
      }
      return cache;
    });
  }

  private resolveNow(collection: string): string {
    requireName(collection, 'collection');
    const row = this.statements.selectAlias.get(collection) as { physical: string } | undefined;
    return row?.physical ?? collection;
  }

  private nextSeq(): number {
    return (this.statements.nextSeq.get() as { value: number }).value;
  }
}

function prepareStatements(db: DatabaseSync) {
  const statement = (sql: string): StatementSync => db.prepare(sql);
  return {
    nextSeq: statement("UPDATE rs_meta SET value = value + 1 WHERE key = 'seq' RETURNING value"),
    currentSeq: statement("SELECT value FROM rs_meta WHERE key = 'seq'"),
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
    selectDoc: statement('SELECT doc FROM rs_documents WHERE collection = ? AND id = ? AND doc IS NOT NULL'),
    // The ids arrive as one JSON array (no statement per batch size); each is a primary-key lookup.
    selectDocs: statement(
      'SELECT doc FROM rs_documents WHERE collection = ? AND id IN (SELECT value FROM json_each(?)) AND doc IS NOT NULL',
    ),
    loadDocs: statement('SELECT id, doc FROM rs_documents WHERE collection = ? AND doc IS NOT NULL ORDER BY id'),
    changesSince: statement('SELECT id, doc FROM rs_documents WHERE collection = ? AND seq > ? ORDER BY seq'),
    generation: statement('SELECT generation FROM rs_collections WHERE name = ?'),
    selectAlias: statement('SELECT physical FROM rs_aliases WHERE alias = ?'),
    upsertAlias: statement(
      'INSERT INTO rs_aliases (alias, physical) VALUES (?, ?) ON CONFLICT (alias) DO UPDATE SET physical = excluded.physical',
    ),
    deleteDocs: statement('DELETE FROM rs_documents WHERE collection = ?'),
    deleteCollection: statement('DELETE FROM rs_collections WHERE name = ?'),
    listCollections: statement('SELECT name FROM rs_collections ORDER BY name'),
    tombstonedCollections: statement('SELECT DISTINCT collection FROM rs_documents WHERE doc IS NULL'),
    deleteTombstones: statement('DELETE FROM rs_documents WHERE collection = ? AND doc IS NULL'),
    bumpGeneration: statement('UPDATE rs_collections SET generation = ? WHERE name = ?'),
  };
}

function documentId(doc: Doc | null | undefined): string {
  const id: unknown = doc?._id;
  if (typeof id !== 'string' || id === '') throw new TypeError('a document needs a non-empty string _id');
  return id;
}

function requireName(name: unknown, what: string): void {
  if (typeof name !== 'string' || name === '') throw new TypeError(`${what} name must be a non-empty string`);
}
