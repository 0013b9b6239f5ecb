/**
 * The read store port: documents per collection plus projection checkpoints. Adapters: embedded
 * (`node:sqlite` file + in-memory cache, queries evaluated by mingo) and MongoDB (driver 7, replica set).
 *
 * Every projected document carries `_id` and `_position` (the global event position it reflects), so
 * a replayed event (position <= `_position`) changes nothing. Collections a projection writes are
 * addressed by a logical name that resolves to a physical, versioned collection through an alias: a
 * rebuild writes a new physical collection and `switchAlias` flips readers over atomically.
 */

export type Doc = { readonly _id: string; readonly _position?: number } & Record<string, unknown>;

/** A MongoDB-style query filter (`$eq`, `$in`, `$gte`, `$and`, dotted paths, …). */
export type Filter = Record<string, unknown>;
export type Sort = Record<string, 1 | -1>;
/** A MongoDB-style aggregation pipeline (`$match`, `$group`, `$sort`, `$project`, …). */
export type Pipeline = readonly Record<string, unknown>[];

export interface FindOptions {
  readonly sort?: Sort;
  readonly limit?: number;
  readonly skip?: number;
}

/** One write of a projection batch: upsert a whole document, or delete it. */
export type DocumentWrite =
  | { readonly op: 'put'; readonly collection: string; readonly doc: Doc }
  | { readonly op: 'delete'; readonly collection: string; readonly id: string };

export interface Checkpoint {
  readonly name: string;
  readonly position: number;
  readonly updatedAt: string;
}

/**
 * Reads resolve logical collection names through aliases; writes name physical collections.
 *
 * Documents are JSON-like values (strings, finite numbers, booleans, null, arrays, plain objects):
 * `undefined` members are dropped, a document without a non-empty string `_id` or with a value that
 * cannot be serialised (a cycle) is rejected. Objects a read returns may be frozen (embedded: `find` and
 * read-only pipelines hand out the cache's objects); copy before changing them. The shared contract
 * suites in `contract/` pin these behaviours for every adapter.
 *
 * Writes (of both ports) that touch the same collection, checkpoint or alias apply in call order, also
 * when one is issued before the previous one resolved (the embedded store applies all writes in call
 * order; MongoDB runs writes to different ones in parallel); a write's promise resolves once it is durable. A read started before a write's promise resolved may or
 * may not see that write (the embedded store with its writer thread, MongoDB); a read started after it
 * resolved sees it.
 */
export interface DocumentStore {
  get(collection: string, id: string): Promise<Doc | null>;
  find(collection: string, filter?: Filter, options?: FindOptions): Promise<Doc[]>;
  count(collection: string, filter?: Filter): Promise<number>;
  aggregate(collection: string, pipeline: Pipeline): Promise<Record<string, unknown>[]>;
  /** Direct writes outside projections (e.g. idempotency records); not for projected collections. */
  put(collection: string, doc: Doc): Promise<void>;
  delete(collection: string, id: string): Promise<void>;
  /**
   * Writes a projection batch and its checkpoint atomically: all of it becomes visible, or none.
   * Writes take effect in their order (a later write to the same document wins); one failing write
   * fails the batch. Embedded: one SQLite transaction. MongoDB: one transaction with unordered bulk writes.
   */
  commit(
    writes: readonly DocumentWrite[],
    checkpoint: { readonly name: string; readonly position: number },
  ): Promise<void>;
  /** Physical collection a logical name currently resolves to (itself when no alias exists). */
  resolve(collection: string): Promise<string>;
  /** Points `alias` at `physical` (atomically; readers see the old or the new collection, never a mix). */
  switchAlias(alias: string, physical: string): Promise<void>;
  /** Drops a physical collection (e.g. an old projection version after a confirmed rebuild). */
  dropCollection(physical: string): Promise<void>;
  listCollections(): Promise<string[]>;
  close(): Promise<void>;
}

export interface CheckpointStore {
  load(name: string): Promise<Checkpoint | null>;
  /** Saves a checkpoint alone (reactors; projections save theirs with `DocumentStore.commit`). */
  save(name: string, position: number): Promise<void>;
  delete(name: string): Promise<void>;
  list(): Promise<Checkpoint[]>;
}
