import { MongoServerError, type MongoClient } from 'mongodb';

/**
 * An in-memory stand-in for the few MongoDB driver calls `MongoKeyStore` makes, so its logic (ordering of
 * destroy and cache, the rotation's steps, every state a finish interrupted between its writes leaves)
 * runs in the shared contract suites and unit tests where no container runtime exists. It is NOT MongoDB:
 * each call applies atomically in one turn of the event loop, and only the filters, updates and pipeline
 * stages the key store uses are understood (anything else throws, so a new query cannot pass unnoticed).
 * The real server is covered by `mongo-key-store.contract.spec.ts` where Docker answers.
 *
 * `hooks.before` runs before a call touches the data (a test may hold it there or throw: a crash);
 * `hooks.after` runs once its result is computed, before the caller gets it (a read that saw the data and
 * is still on its way back).
 */
export interface FakeMongoCall {
  readonly database: string;
  readonly collection: string;
  readonly method: string;
  readonly filter?: Filter;
}

export interface FakeMongoHooks {
  before?: (call: FakeMongoCall) => void | Promise<void>;
  after?: (call: FakeMongoCall) => void | Promise<void>;
}

type Doc = Record<string, unknown> & { _id: string };
type Filter = Record<string, unknown>;
type Update = { $set?: Record<string, unknown>; $setOnInsert?: Record<string, unknown> };
type Stage = Record<string, unknown>;

export class InMemoryMongo {
  readonly hooks: FakeMongoHooks = {};
  private readonly databases = new Map<string, Map<string, FakeCollection>>();

  /** A client for `MongoKeyStore.open({ client })` (the store does not own it and never closes it). */
  client(): MongoClient {
    const fake = { db: (name: string) => this.db(name) };
    return fake as unknown as MongoClient;
  }

  /** The documents of a collection, as stored (copies). */
  documents(database: string, collection: string): Doc[] {
    return this.collection(database, collection).all();
  }

  collection(database: string, name: string): FakeCollection {
    let db = this.databases.get(database);
    if (db === undefined) {
      db = new Map();
      this.databases.set(database, db);
    }
    let collection = db.get(name);
    if (collection === undefined) {
      collection = new FakeCollection(this, database, name);
      db.set(name, collection);
    }
    return collection;
  }

  private db(name: string): { collection(name: string): FakeCollection } {
    return { collection: (collection: string) => this.collection(name, collection) };
  }
}

class FakeCollection {
  private readonly docs = new Map<string, Doc>();

  constructor(
    private readonly mongo: InMemoryMongo,
    private readonly database: string,
    private readonly name: string,
  ) {}

  all(): Doc[] {
    return [...this.docs.values()].map((doc) => ({ ...doc }));
  }

  createIndex(): Promise<string> {
    return this.call('createIndex', undefined, () => 'index');
  }

  insertOne(doc: Doc): Promise<{ insertedId: string }> {
    return this.call('insertOne', { _id: doc._id }, () => {
      if (this.docs.has(doc._id)) throw duplicateKey(doc._id);
      this.docs.set(doc._id, { ...doc });
      return { insertedId: doc._id };
    });
  }

  updateOne(filter: Filter, update: Update, options: { upsert?: boolean } = {}) {
    return this.call('updateOne', filter, () => this.applyUpdate(filter, update, options.upsert === true, 1));
  }

  updateMany(filter: Filter, update: Update) {
    return this.call('updateMany', filter, () => this.applyUpdate(filter, update, false, Number.POSITIVE_INFINITY));
  }

  deleteOne(filter: Filter): Promise<{ deletedCount: number }> {
    return this.call('deleteOne', filter, () => this.applyDelete(filter));
  }

  findOne(filter: Filter): Promise<Doc | null> {
    return this.call('findOne', filter, () => {
      const found = this.matching(filter)[0];
      return found === undefined ? null : { ...found };
    });
  }

  find(filter: Filter) {
    let limit = Number.POSITIVE_INFINITY;
    let sorted = false;
    const cursor = {
      sort: (spec: Record<string, number>) => {
        if (Object.keys(spec).join() !== '_id' || spec['_id'] !== 1) throw unsupported('sort', spec);
        sorted = true;
        return cursor;
      },
      limit: (n: number) => {
        limit = n;
        return cursor;
      },
      toArray: () =>
        this.call('find', filter, () => {
          const docs = this.matching(filter).map((doc) => ({ ...doc }));
          if (sorted) docs.sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
          return docs.slice(0, limit);
        }),
    };
    return cursor;
  }

  countDocuments(filter: Filter, options: { limit?: number } = {}): Promise<number> {
    return this.call('countDocuments', filter, () =>
      Math.min(this.matching(filter).length, options.limit ?? Number.POSITIVE_INFINITY),
    );
  }

  findOneAndUpdate(filter: Filter, update: Update, options: { upsert?: boolean; returnDocument?: string }) {
    return this.call('findOneAndUpdate', filter, () => {
      if (options.returnDocument !== 'after') throw unsupported('findOneAndUpdate', options);
      const { ids } = this.applyUpdate(filter, update, options.upsert === true, 1);
      const doc = ids[0] === undefined ? undefined : this.docs.get(ids[0]);
      return doc === undefined ? null : { ...doc };
    });
  }

  aggregate(pipeline: Stage[]) {
    return { toArray: () => this.call('aggregate', undefined, () => this.runPipeline(this.all(), pipeline)) };
  }

  /** Applies operation after operation; a `before` hook that throws stops it there (ordered, not atomic). */
  async bulkWrite(operations: Record<string, { filter: Filter; update?: Update; upsert?: boolean }>[]) {
    let modifiedCount = 0;
    for (const operation of operations) {
      const [kind, spec] = Object.entries(operation)[0] ?? [];
      if (kind === 'updateOne' && spec?.update !== undefined) {
        const result = await this.call('bulkWrite.updateOne', spec.filter, () =>
          this.applyUpdate(spec.filter, spec.update!, spec.upsert === true, 1),
        );
        modifiedCount += result.modifiedCount;
      } else if (kind === 'deleteOne' && spec !== undefined) {
        await this.call('bulkWrite.deleteOne', spec.filter, () => this.applyDelete(spec.filter));
      } else {
        throw unsupported('bulkWrite', operation);
      }
    }
    return { modifiedCount };
  }

  private async call<T>(method: string, filter: Filter | undefined, work: () => T): Promise<T> {
    const call: FakeMongoCall = {
      database: this.database,
      collection: this.name,
      method,
      ...(filter === undefined ? {} : { filter }),
    };
    await this.mongo.hooks.before?.(call);
    const result = work();
    await this.mongo.hooks.after?.(call);
    return result;
  }

  private applyUpdate(filter: Filter, update: Update, upsert: boolean, max: number) {
    const unknown = Object.keys(update).filter((op) => op !== '$set' && op !== '$setOnInsert');
    if (unknown.length > 0) throw unsupported('update', update);
    const matches = this.matching(filter).slice(0, max);
    let modifiedCount = 0;
    for (const doc of matches) {
      if (update.$set !== undefined) {
        this.docs.set(doc._id, { ...doc, ...update.$set });
        modifiedCount += 1;
      }
    }
    if (matches.length > 0 || !upsert)
      return { matchedCount: matches.length, modifiedCount, ids: matches.map((d) => d._id) };
    const id = filter['_id'];
    if (typeof id !== 'string') throw unsupported('upsert without an _id', filter);
    const created: Doc = { _id: id, ...update.$setOnInsert, ...update.$set };
    this.docs.set(id, created);
    return { matchedCount: 0, modifiedCount: 0, upsertedCount: 1, ids: [id] };
  }

  private applyDelete(filter: Filter): { deletedCount: number } {
    const doc = this.matching(filter)[0];
    if (doc === undefined) return { deletedCount: 0 };
    this.docs.delete(doc._id);
    return { deletedCount: 1 };
  }

  private matching(filter: Filter): Doc[] {
    return [...this.docs.values()].filter((doc) => matches(doc, filter));
  }

  private runPipeline(input: Doc[], pipeline: Stage[]): Doc[] {
    let docs: Record<string, unknown>[] = input;
    for (const stage of pipeline) {
      const [name, spec] = Object.entries(stage)[0] ?? [];
      if (name === '$match') {
        docs = docs.filter((doc) => matches(doc, spec as Filter));
      } else if (name === '$project') {
        docs = docs.map((doc) => project(doc, spec as Record<string, unknown>));
      } else if (name === '$unionWith') {
        const { coll, pipeline: inner } = spec as { coll: string; pipeline: Stage[] };
        const other = this.mongo.collection(this.database, coll);
        docs = [...docs, ...other.runPipeline(other.all(), inner)];
      } else if (name === '$group') {
        docs = group(docs, spec as Record<string, unknown>);
      } else {
        throw unsupported('pipeline stage', stage);
      }
    }
    return docs as Doc[];
  }
}

function matches(doc: Record<string, unknown>, filter: Filter): boolean {
  return Object.entries(filter).every(([field, condition]) => {
    const value = doc[field];
    if (condition !== null && typeof condition === 'object' && !ArrayBuffer.isView(condition)) {
      return Object.entries(condition).every(([op, operand]) => {
        if (op === '$ne') return value !== operand;
        if (op === '$exists') return (value !== undefined) === operand;
        throw unsupported('filter operator', condition);
      });
    }
    return value === condition;
  });
}

function project(doc: Record<string, unknown>, spec: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { _id: doc['_id'] };
  for (const [field, rule] of Object.entries(spec)) {
    if (rule === 1) {
      if (doc[field] !== undefined) out[field] = doc[field];
    } else if (rule !== null && typeof rule === 'object' && '$literal' in rule) {
      out[field] = rule.$literal;
    } else {
      throw unsupported('projection', spec);
    }
  }
  return out;
}

function group(docs: Record<string, unknown>[], spec: Record<string, unknown>): Record<string, unknown>[] {
  const key = spec['_id'];
  const sum = spec['n'];
  if (typeof key !== 'string' || !key.startsWith('$') || JSON.stringify(sum) !== '{"$sum":1}') {
    throw unsupported('$group', spec);
  }
  const counts = new Map<unknown, number>();
  for (const doc of docs) {
    const value = doc[key.slice(1)] ?? null;
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts].map(([id, n]) => ({ _id: id, n }));
}

function duplicateKey(id: string): MongoServerError {
  return new MongoServerError({ message: `E11000 duplicate key error: _id ${id}`, code: 11000 });
}

function unsupported(what: string, value: unknown): Error {
  return new Error(`InMemoryMongo: unsupported ${what}: ${JSON.stringify(value)}`);
}
