import {
  MongoClient,
  type AnyBulkWriteOperation,
  type ClientSession,
  type Collection,
  type Db,
  type Document,
  type TransactionOptions,
} from 'mongodb';
import { checkCondition, checkFilter, checkIndexSpecs } from '../port-checks.js';
import {
  type Checkpoint,
  CheckpointRegressionError,
  type CheckpointStore,
  type Doc,
  type DocumentStore,
  type DocumentWrite,
  type Filter,
  type FindOptions,
  type IndexSpec,
  type Pipeline,
  type WriteCondition,
} from '../read-store.port.js';
import { OrderedWrites } from '../ordered-writes.js';

export interface MongoReadStoreOptions {
  /** A connection string (the store owns and closes its client) or a client the caller owns. */
  readonly uri?: string;
  readonly client?: MongoClient;
  /** Database of the read models. */
  readonly database: string;
  /** Source of checkpoint `updatedAt`; defaults to the system clock. */
  readonly clock?: () => Date;
}

/** Internal collections; `listCollections` hides them. */
export const ALIASES_COLLECTION = '_aliases';
export const CHECKPOINTS_COLLECTION = '_checkpoints';
const INTERNAL = new Set([ALIASES_COLLECTION, CHECKPOINTS_COLLECTION]);

/** A read-model document as the driver sees it: `_id` is always a string here. */
type StoredDoc = { _id: string } & Document;

interface AliasDoc {
  _id: string;
  physical: string;
}

interface CheckpointDoc {
  _id: string;
  position: number;
  updatedAt: string;
}

/** Acknowledged means journaled on a majority of the replica set: it survives a failover. */
const DURABLE = { w: 'majority', journal: true } as const;
const TRANSACTION: TransactionOptions = {
  writeConcern: DURABLE,
  readConcern: { level: 'snapshot' },
  readPreference: 'primary',
};

/** Ids per `$in` query of `getMany`: bounded, so one query's filter stays far below the 16 MiB limit. */
const GET_MANY_CHUNK = 1000;

/** The server's duplicate key error (a unique index, here `_id`, refused an insert or an upsert). */
function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

const documentsKey = (collection: string): string => `collection:${collection}`;
const checkpointKey = (name: string): string => `checkpoint:${name}`;
const aliasKey = (alias: string): string => `alias:${alias}`;

/**
 * The server-mode read store over MongoDB (driver 7, replica set: `commit` needs transactions). Same
 * shape as `EmbeddedReadStore`: one connection shared by a `DocumentStore` and a `CheckpointStore`
 * (two objects because both ports have a `delete` with different meanings). Queries and pipelines go to
 * the server unchanged: MongoDB itself is the reference semantics that mingo imitates in embedded mode.
 */
export class MongoReadStore {
  readonly documents: MongoDocumentStore;
  readonly checkpoints: MongoCheckpointStore;
  private closed = false;

  private constructor(
    private readonly client: MongoClient,
    private readonly ownsClient: boolean,
    db: Db,
    clock: () => Date,
  ) {
    const writes = new OrderedWrites();
    this.checkpoints = new MongoCheckpointStore(db.collection<CheckpointDoc>(CHECKPOINTS_COLLECTION), clock, writes);
    this.documents = new MongoDocumentStore(client, db, this.checkpoints, () => this.close(), writes);
  }

  static async open(options: MongoReadStoreOptions): Promise<MongoReadStore> {
    if (!options.client === !options.uri) throw new Error('MongoReadStore: pass exactly one of `uri` and `client`');
    const ownsClient = options.client === undefined;
    const client = options.client ?? new MongoClient(options.uri!);
    if (ownsClient) await client.connect();
    // `ignoreUndefined`: members that are `undefined` are dropped, as JSON (and the embedded store) does,
    // instead of being stored as BSON null.
    const db = client.db(options.database, { ignoreUndefined: true, writeConcern: DURABLE, readPreference: 'primary' });
    return new MongoReadStore(client, ownsClient, db, options.clock ?? (() => new Date()));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsClient) await this.client.close();
  }
}

/**
 * Reads resolve logical names through the `_aliases` collection (one `_id` lookup per read, so a switch
 * made by another process is seen by the next read); writes name physical collections.
 */
export class MongoDocumentStore implements DocumentStore {
  private readonly aliases: Collection<AliasDoc>;

  constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    private readonly checkpoints: MongoCheckpointStore,
    private readonly onClose: () => Promise<void>,
    private readonly writes: OrderedWrites = new OrderedWrites(),
  ) {
    this.aliases = db.collection<AliasDoc>(ALIASES_COLLECTION);
  }

  async get(collection: string, id: string): Promise<Doc | null> {
    return (await this.resolved(collection)).findOne<Doc>({ _id: id });
  }

  async getMany(collection: string, ids: readonly string[]): Promise<Doc[]> {
    if (ids.length === 0) return [];
    const target = await this.resolved(collection);
    const unique = [...new Set(ids)];
    const found: Doc[] = [];
    for (let start = 0; start < unique.length; start += GET_MANY_CHUNK) {
      const chunk = unique.slice(start, start + GET_MANY_CHUNK);
      found.push(...(await target.find<Doc>({ _id: { $in: chunk } }).toArray()));
    }
    return found;
  }

  async find(collection: string, filter: Filter = {}, options: FindOptions = {}): Promise<Doc[]> {
    const target = await this.resolved(collection);
    const cursor = target.find(filter);
    if (options.sort) cursor.sort(options.sort);
    if (options.skip) cursor.skip(options.skip);
    // MongoDB's limit 0 is "no limit", which is also the port's meaning.
    if (options.limit) cursor.limit(options.limit);
    return cursor.toArray();
  }

  async count(collection: string, filter: Filter = {}): Promise<number> {
    return (await this.resolved(collection)).countDocuments(filter);
  }

  async aggregate(collection: string, pipeline: Pipeline): Promise<Record<string, unknown>[]> {
    return (await this.resolved(collection)).aggregate(pipeline as Document[]).toArray();
  }

  async put(collection: string, doc: Doc): Promise<void> {
    requireName(collection, 'collection');
    const id = documentId(doc);
    await this.writes.run([documentsKey(collection)], () =>
      this.db.collection<StoredDoc>(collection).replaceOne({ _id: id }, doc, { upsert: true }),
    );
  }

  async delete(collection: string, id: string): Promise<void> {
    requireName(collection, 'collection');
    if (typeof id !== 'string') throw new TypeError('delete needs a string id');
    await this.writes.run([documentsKey(collection)], () =>
      this.db.collection<StoredDoc>(collection).deleteOne({ _id: id }),
    );
  }

  /**
   * One `replaceOne` whose filter is the id plus the condition, so the server checks and writes in one
   * atomic single-document operation. With `absent`, it upserts: when a document with the id exists but
   * does not match, the upsert's insert fails on the `_id` index (E11000), which means "not written";
   * the same happens to the loser of two racing inserts-if-absent.
   */
  async putIf(collection: string, doc: Doc, condition: WriteCondition): Promise<boolean> {
    requireName(collection, 'collection');
    const id = documentId(doc);
    checkCondition(condition);
    assertAcyclic(doc);
    // No document can match an empty `$or`: with `absent` alone only the upsert's insert writes.
    const filter: Document = { $and: [{ _id: id }, condition.matches ?? { $or: [{ _id: { $exists: false } }] }] };
    return this.writes.run([documentsKey(collection)], async () => {
      try {
        const result = await this.db
          .collection<StoredDoc>(collection)
          .replaceOne(filter, doc, { upsert: condition.absent === true });
        return result.matchedCount + result.upsertedCount > 0;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    });
  }

  async deleteIf(collection: string, id: string, matches: Filter): Promise<boolean> {
    requireName(collection, 'collection');
    if (typeof id !== 'string') throw new TypeError('delete needs a string id');
    checkFilter(matches);
    return this.writes.run([documentsKey(collection)], async () => {
      const result = await this.db.collection<StoredDoc>(collection).deleteOne({ $and: [{ _id: id }, matches] });
      return result.deletedCount > 0;
    });
  }

  /** `createIndexes`: a no-op for indexes that exist with the same options, so safe at every start. */
  async ensureIndexes(physical: string, specs: readonly IndexSpec[]): Promise<void> {
    requireName(physical, 'collection');
    checkIndexSpecs(specs);
    if (specs.length === 0) return;
    await this.db
      .collection(physical)
      .createIndexes(
        specs.map((spec) => ({ key: { ...spec.fields }, ...(spec.unique === true ? { unique: true } : {}) })),
      );
  }

  /**
   * One transaction: an unordered bulk write per collection, then the checkpoint. Writes of a batch are
   * reduced to the last one per document first, because an unordered bulk write may run a put and a
   * delete of the same `_id` in either order; the reduced batch means what applying it in order means.
   */
  async commit(
    writes: readonly DocumentWrite[],
    checkpoint: { readonly name: string; readonly position: number },
  ): Promise<void> {
    const byCollection = reduceWrites(writes);
    const updatedAt = this.checkpoints.now();
    const keys = [...[...byCollection.keys()].map(documentsKey), checkpointKey(checkpoint.name)];
    await this.writes.run(keys, () =>
      this.client.withSession(async (session: ClientSession) => {
        await session.withTransaction(async () => {
          // First, so a refused batch does no work; the transaction rolls back whatever it did anyway.
          await this.checkpoints.refuseRegression(checkpoint.name, checkpoint.position, session);
          for (const [collection, operations] of byCollection) {
            await this.db.collection<StoredDoc>(collection).bulkWrite(operations, { ordered: false, session });
          }
          await this.checkpoints.saveIn(checkpoint.name, checkpoint.position, updatedAt, session);
        }, TRANSACTION);
      }),
    );
  }

  async resolve(collection: string): Promise<string> {
    requireName(collection, 'collection');
    const alias = await this.aliases.findOne({ _id: collection });
    return alias?.physical ?? collection;
  }

  async switchAlias(alias: string, physical: string): Promise<void> {
    requireName(alias, 'alias');
    requireName(physical, 'collection');
    // One document: readers see the old target or the new one, never a mix.
    await this.writes.run([aliasKey(alias)], () =>
      this.aliases.updateOne({ _id: alias }, { $set: { physical } }, { upsert: true }),
    );
  }

  async dropCollection(physical: string): Promise<void> {
    requireName(physical, 'collection');
    if (INTERNAL.has(physical)) throw new Error(`${physical} is internal to the read store`);
    // The driver treats "namespace not found" as success.
    await this.writes.run([documentsKey(physical)], () => this.db.dropCollection(physical));
  }

  async listCollections(): Promise<string[]> {
    const collections = await this.db.listCollections({}, { nameOnly: true }).toArray();
    return collections
      .map((c) => c.name)
      .filter((name) => !INTERNAL.has(name) && !name.startsWith('system.'))
      .sort();
  }

  close(): Promise<void> {
    return this.onClose();
  }

  private async resolved(collection: string): Promise<Collection<StoredDoc>> {
    return this.db.collection<StoredDoc>(await this.resolve(collection));
  }
}

export class MongoCheckpointStore implements CheckpointStore {
  constructor(
    private readonly collection: Collection<CheckpointDoc>,
    private readonly clock: () => Date,
    private readonly writes: OrderedWrites = new OrderedWrites(),
  ) {}

  async load(name: string): Promise<Checkpoint | null> {
    const doc = await this.collection.findOne({ _id: name });
    return doc === null ? null : toCheckpoint(doc);
  }

  /**
   * One conditional upsert: it matches only a checkpoint at or before `position`; when the stored one is
   * beyond it, the upsert's insert fails on the `_id` index (E11000) and nothing was written.
   */
  async save(name: string, position: number): Promise<void> {
    requireName(name, 'checkpoint');
    requirePosition(name, position);
    const updatedAt = this.now();
    await this.writes.run([checkpointKey(name)], async () => {
      // E11000 also when another process inserted the same checkpoint first (two first saves racing), or
      // it was deleted meanwhile: only a stored position beyond this one is a regression; otherwise again.
      for (let attempt = 1; ; attempt += 1) {
        try {
          await this.collection.updateOne(
            { _id: name, position: { $lte: position } },
            { $set: { position, updatedAt } },
            { upsert: true },
          );
          return;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          const stored = await this.collection.findOne({ _id: name });
          const storedPosition = stored === null ? null : Number(stored.position);
          if ((storedPosition !== null && storedPosition > position) || attempt >= 3)
            throw new CheckpointRegressionError(name, storedPosition ?? Number.NaN, position);
        }
      }
    });
  }

  async delete(name: string): Promise<void> {
    await this.writes.run([checkpointKey(name)], () => this.collection.deleteOne({ _id: name }));
  }

  async list(): Promise<Checkpoint[]> {
    const docs = await this.collection.find({}).sort({ _id: 1 }).toArray();
    return docs.map(toCheckpoint);
  }

  /** @internal for `MongoDocumentStore.commit`. */
  now(): string {
    return this.clock().toISOString();
  }

  /**
   * @internal for `MongoDocumentStore.commit`, inside its transaction. Snapshot isolation makes the read
   * safe: a concurrent commit that moved the checkpoint meanwhile makes this transaction's write conflict,
   * and `withTransaction` retries it, which reads the new position.
   */
  async refuseRegression(name: string, position: number, session: ClientSession): Promise<void> {
    requireName(name, 'checkpoint');
    requirePosition(name, position);
    const stored = await this.collection.findOne({ _id: name }, { session });
    if (stored !== null && Number(stored.position) > position) {
      throw new CheckpointRegressionError(name, Number(stored.position), position);
    }
  }

  /** @internal for `MongoDocumentStore.commit`: inside its transaction when a session is given. */
  async saveIn(name: string, position: number, updatedAt: string, session: ClientSession | undefined): Promise<void> {
    requireName(name, 'checkpoint');
    requirePosition(name, position);
    await this.collection.updateOne({ _id: name }, { $set: { position, updatedAt } }, { upsert: true, session });
  }
}

function toCheckpoint(doc: CheckpointDoc): Checkpoint {
  return { name: doc._id, position: Number(doc.position), updatedAt: doc.updatedAt };
}

/**
 * Validates every write before anything is sent (a document without a string `_id`, or one BSON cannot
 * carry, fails the whole batch) and keeps the last write per document, grouped by collection.
 */
function reduceWrites(writes: readonly DocumentWrite[]): Map<string, AnyBulkWriteOperation<StoredDoc>[]> {
  const last = new Map<string, Map<string, DocumentWrite>>();
  for (const write of writes) {
    requireName(write.collection, 'collection');
    let id: string;
    switch (write.op) {
      case 'put':
        id = documentId(write.doc);
        assertAcyclic(write.doc);
        break;
      case 'delete':
        if (typeof write.id !== 'string') throw new TypeError('delete needs a string id');
        id = write.id;
        break;
      default:
        throw new TypeError(`unknown write op: ${String((write as { op?: unknown }).op)}`);
    }
    let perCollection = last.get(write.collection);
    if (!perCollection) {
      perCollection = new Map();
      last.set(write.collection, perCollection);
    }
    // Delete and re-insert so the surviving write keeps the position of the last one in the batch.
    perCollection.delete(id);
    perCollection.set(id, write);
  }
  const operations = new Map<string, AnyBulkWriteOperation<StoredDoc>[]>();
  for (const [collection, perCollection] of last) {
    operations.set(
      collection,
      [...perCollection.entries()].map(([id, write]): AnyBulkWriteOperation<StoredDoc> =>
        write.op === 'put'
          ? { replaceOne: { filter: { _id: id }, replacement: write.doc, upsert: true } }
          : { deleteOne: { filter: { _id: id } } },
      ),
    );
  }
  return operations;
}

function requirePosition(name: string, position: number): void {
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new RangeError(`checkpoint ${name}: position must be an integer >= 0`);
  }
}

function documentId(doc: Doc | null | undefined): string {
  const id: unknown = doc?._id;
  if (typeof id !== 'string' || id === '') throw new TypeError('a document needs a non-empty string _id');
  return id;
}

/** BSON would fail on a cycle too, but only inside the transaction; failing here names the problem. */
function assertAcyclic(value: unknown, ancestors: object[] = []): void {
  if (value === null || typeof value !== 'object') return;
  if (ancestors.includes(value)) throw new TypeError('a document must not contain a cyclic reference');
  ancestors.push(value);
  for (const member of Object.values(value)) assertAcyclic(member, ancestors);
  ancestors.pop();
}

function requireName(name: unknown, what: string): void {
  if (typeof name !== 'string' || name === '') throw new TypeError(`${what} name must be a non-empty string`);
}
