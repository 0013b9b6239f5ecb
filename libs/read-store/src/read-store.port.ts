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

/**
 * When a conditional write (`putIf`, `deleteIf`) applies, judged against the document stored under the
 * write's id in the same atomic step as the write (no other write to the collection comes between):
 * - `absent: true`: no document with that id exists (insert-if-absent);
 * - `matches`: a document exists and matches this query filter (e.g. `{ owner: 'a' }`, or
 *   `{ $or: [{ owner: 'a' }, { expiresAt: { $lte: now } }] }`);
 * - both: either of the two. A condition with neither is rejected (use `put`).
 * Filters are evaluated by MongoDB, and by mingo in the embedded store: keep to operators both evaluate
 * alike (equality, `$eq`/`$ne`, `$lt`/`$lte`/`$gt`/`$gte` on numbers or strings, `$in`, `$exists`, `$and`/`$or`).
 */
export interface WriteCondition {
  readonly absent?: boolean;
  readonly matches?: Filter;
}

/**
 * An index a projection's queries need: `fields` in index order with their direction (1 ascending,
 * -1 descending), as in MongoDB's `createIndex`. `unique` makes MongoDB refuse a second document with
 * the same values; the embedded store does not enforce it (it keeps no indexes), so a read model must not
 * rely on it for correctness.
 */
export interface IndexSpec {
  readonly fields: Readonly<Record<string, 1 | -1>>;
  readonly unique?: boolean;
}

/**
 * A checkpoint write that would move a checkpoint backwards (the stored position is beyond the given
 * one). Nothing of the write happened: for `commit`, none of its documents either. Seen by a projector
 * that kept folding after it lost its lease (another holder has moved on). Equal positions are allowed
 * (an idempotent replay). To restart a checkpoint from an earlier position, `CheckpointStore.delete`
 * it first.
 */
export class CheckpointRegressionError extends Error {
  readonly code = 'CHECKPOINT_REGRESSION';
  readonly checkpoint: string;
  readonly stored: number;
  readonly attempted: number;

  constructor(checkpoint: string, stored: number, attempted: number) {
    super(`checkpoint ${checkpoint} is at ${stored}; refusing to move it back to ${attempted}`);
    this.name = 'CheckpointRegressionError';
    this.checkpoint = checkpoint;
    this.stored = stored;
    this.attempted = attempted;
  }
}

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
  /**
   * The documents of `ids` that exist, in one round trip per chunk (MongoDB: `find({ _id: { $in } })` in
   * chunks of 1,000; embedded: one statement on one snapshot). Absent ids are left out; the order is
   * unspecified (key the result by `_id`). Like `get`, fresh objects that the caller may change.
   */
  getMany(collection: string, ids: readonly string[]): Promise<readonly Doc[]>;
  find(collection: string, filter?: Filter, options?: FindOptions): Promise<Doc[]>;
  count(collection: string, filter?: Filter): Promise<number>;
  aggregate(collection: string, pipeline: Pipeline): Promise<Record<string, unknown>[]>;
  /** Direct writes outside projections (e.g. idempotency records); not for projected collections. */
  put(collection: string, doc: Doc): Promise<void>;
  delete(collection: string, id: string): Promise<void>;
  /**
   * Puts `doc` (a whole document, like `put`) only if `condition` holds for what is stored under its id,
   * atomically with the check. Resolves whether it wrote. Two conditional writes racing for the same id
   * (also from different processes) are decided one after the other: of two `absent: true` claims
   * exactly one wins. Not for projected collections.
   */
  putIf(collection: string, doc: Doc, condition: WriteCondition): Promise<boolean>;
  /** Deletes the document only if it exists and matches `matches`, atomically. Resolves whether it deleted. */
  deleteIf(collection: string, id: string, matches: Filter): Promise<boolean>;
  /**
   * Writes a projection batch and its checkpoint atomically: all of it becomes visible, or none.
   * Writes take effect in their order (a later write to the same document wins); one failing write
   * fails the batch. Embedded: one SQLite transaction. MongoDB: one transaction with unordered bulk writes.
   * Rejects with `CheckpointRegressionError`, writing nothing, when the stored checkpoint is beyond
   * `checkpoint.position` (equal is allowed).
   */
  commit(
    writes: readonly DocumentWrite[],
    checkpoint: { readonly name: string; readonly position: number },
  ): Promise<void>;
  /**
   * Creates the indexes a projection's queries need on a physical collection; idempotent (call it at
   * every start). MongoDB: `createIndexes` (fails if an index on the same fields exists with other
   * options). Embedded: checks the specs and keeps nothing, because its queries run in memory (mingo
   * over a per-collection cache) and no SQLite index would serve them.
   */
  ensureIndexes(physical: string, specs: readonly IndexSpec[]): Promise<void>;
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
  /**
   * Saves a checkpoint alone (reactors; projections save theirs with `DocumentStore.commit`). Rejects with
   * `CheckpointRegressionError` when the stored position is beyond `position` (equal is allowed); to reset
   * a checkpoint, `delete` it and save again.
   */
  save(name: string, position: number): Promise<void>;
  delete(name: string): Promise<void>;
  list(): Promise<Checkpoint[]>;
}
