import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { checkCondition, checkFilter, checkIndexSpecs } from '../port-checks.js';
import type {
  Doc,
  DocumentStore,
  DocumentWrite,
  Filter,
  FindOptions,
  IndexSpec,
  Pipeline,
  WriteCondition,
} from '../read-store.port.js';
import { CollectionCache } from './collection-cache.js';
import type { EmbeddedCheckpointStore } from './embedded-checkpoint-store.js';
import { aggregateDocuments, countDocuments, findDocuments } from './mingo-evaluation.js';
import { inReadTransaction } from './read-store-database.js';
import type { ReadStoreWriter } from './read-store-writer.js';
import type { EncodedWrite } from './read-store-writes.js';
import { settle, settleAsync } from './settle.js';

interface ChangeRow {
  id: string;
  doc: string | null;
}

/**
 * Documents in a `node:sqlite` file, queried in memory with mingo.
 *
 * Writes are checked and serialised here, once, and handed to the store's writer: one `BEGIN IMMEDIATE`
 * transaction each, on this connection (inline) or on the writer thread's (`writerThread`), in call order
 * either way. With a writer thread a read started before a write's promise resolved may or may not see
 * that write. Reads are served from a per-collection cache of parsed, frozen documents that every read first
 * brings up to date from the file: if the global write counter has not moved, nothing is read; otherwise
 * only rows written after the cache's counter are applied (tombstones remove), and a changed collection
 * generation (drop, compaction) reloads the collection. So another connection on the same file, e.g. a
 * projection runner in a worker thread, is seen by the next read here, and a restart needs no replay.
 *
 * Results of `find` (and of pipelines made only of read-only stages) are, or contain, the cache's frozen
 * objects: copy before changing them. `get` reads its row directly and returns a fresh object. Documents
 * are stored as JSON: members that are `undefined` are dropped, a value JSON cannot carry (a cycle, a
 * BigInt) fails the write, and so does a document without a string `_id`.
 */
export class EmbeddedDocumentStore implements DocumentStore {
  private readonly caches = new Map<string, CollectionCache>();
  /** Logical name → physical collection it resolved to at the last read, to evict caches left behind. */
  private readonly routes = new Map<string, string>();
  private readonly statements: ReturnType<typeof prepareStatements>;

  constructor(
    private readonly db: DatabaseSync,
    private readonly checkpoints: EmbeddedCheckpointStore,
    private readonly writer: ReadStoreWriter,
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
   * on one snapshot: the projection processor loads a batch's documents through this instead of one `get`
   * per document. Like `get`, fresh objects straight from the file.
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
    return settleAsync(() => this.writer.commit(encodeWrites([{ op: 'put', collection, doc }]), null));
  }

  delete(collection: string, id: string): Promise<void> {
    return settleAsync(() => this.writer.commit(encodeWrites([{ op: 'delete', collection, id }]), null));
  }

  putIf(collection: string, doc: Doc, condition: WriteCondition): Promise<boolean> {
    return settleAsync(() => {
      checkCondition(condition);
      const [write] = encodeWrites([{ op: 'put', collection, doc }]);
      return this.writer.putIf(write!, condition);
    });
  }

  deleteIf(collection: string, id: string, matches: Filter): Promise<boolean> {
    return settleAsync(() => {
      checkFilter(matches);
      const [write] = encodeWrites([{ op: 'delete', collection, id }]);
      return this.writer.deleteIf(write!.collection, write!.id, matches);
    });
  }

  /** Checks the specs and keeps nothing: queries here run in memory over the collection's cache. */
  ensureIndexes(physical: string, specs: readonly IndexSpec[]): Promise<void> {
    return settle(() => {
      requireName(physical, 'collection');
      checkIndexSpecs(specs);
    });
  }

  commit(
    writes: readonly DocumentWrite[],
    checkpoint: { readonly name: string; readonly position: number },
  ): Promise<void> {
    return settleAsync(() =>
      this.writer.commit(encodeWrites(writes), this.checkpoints.encode(checkpoint.name, checkpoint.position)),
    );
  }

  resolve(collection: string): Promise<string> {
    return settle(() => this.resolveNow(collection));
  }

  switchAlias(alias: string, physical: string): Promise<void> {
    return settleAsync(() => {
      requireName(alias, 'alias');
      requireName(physical, 'collection');
      return this.writer.switchAlias(alias, physical);
    });
  }

  async dropCollection(physical: string): Promise<void> {
    await this.writer.dropCollection(physical);
    this.caches.delete(physical);
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
   * Resolves with the number of tombstones removed; in call order with the other writes.
   */
  compact(): Promise<number> {
    return this.writer.compact();
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
}

function prepareStatements(db: DatabaseSync) {
  const statement = (sql: string): StatementSync => db.prepare(sql);
  return {
    currentSeq: statement("SELECT value FROM rs_meta WHERE key = 'seq'"),
    selectDoc: statement('SELECT doc FROM rs_documents WHERE collection = ? AND id = ? AND doc IS NOT NULL'),
    // The ids arrive as one JSON array (no statement per batch size); each is a primary-key lookup.
    selectDocs: statement(
      'SELECT doc FROM rs_documents WHERE collection = ? AND id IN (SELECT value FROM json_each(?)) AND doc IS NOT NULL',
    ),
    loadDocs: statement('SELECT id, doc FROM rs_documents WHERE collection = ? AND doc IS NOT NULL ORDER BY id'),
    changesSince: statement('SELECT id, doc FROM rs_documents WHERE collection = ? AND seq > ? ORDER BY seq'),
    generation: statement('SELECT generation FROM rs_collections WHERE name = ?'),
    selectAlias: statement('SELECT physical FROM rs_aliases WHERE alias = ?'),
    listCollections: statement('SELECT name FROM rs_collections ORDER BY name'),
  };
}

/**
 * Checked and serialised on the calling thread: a document JSON cannot carry (a cycle, a BigInt) or a
 * write without a proper name or id fails the whole batch here, before anything reaches SQLite.
 */
function encodeWrites(writes: readonly DocumentWrite[]): EncodedWrite[] {
  const encoded: EncodedWrite[] = [];
  for (const write of writes) {
    requireName(write.collection, 'collection');
    switch (write.op) {
      case 'put': {
        const id = documentId(write.doc);
        const json: unknown = JSON.stringify(write.doc);
        if (typeof json !== 'string') throw new TypeError(`document ${id} does not serialise to JSON`);
        encoded.push({ collection: write.collection, id, json });
        break;
      }
      case 'delete':
        if (typeof write.id !== 'string') throw new TypeError('delete needs a string id');
        encoded.push({ collection: write.collection, id: write.id, json: null });
        break;
      default:
        throw new TypeError(`unknown write op: ${String((write as { op?: unknown }).op)}`);
    }
  }
  return encoded;
}

function documentId(doc: Doc | null | undefined): string {
  const id: unknown = doc?._id;
  if (typeof id !== 'string' || id === '') throw new TypeError('a document needs a non-empty string _id');
  return id;
}

function requireName(name: unknown, what: string): void {
  if (typeof name !== 'string' || name === '') throw new TypeError(`${what} name must be a non-empty string`);
}
