import { type AnyBulkWriteOperation, Binary, MongoClient, MongoServerError, type Collection, type Db } from 'mongodb';
import { KeyStoreClosedError, MasterKeyError } from '../errors.js';
import { KeyCache } from '../key-cache.js';
import { assertValidKeyId } from '../key-ids.js';
import {
  KeyDestroyedError,
  type DataKey,
  type KeyStore,
  type MasterKeyRotationPort,
  type MasterKeyStatus,
  type RewrapProgress,
} from '../key-store.port.js';
import {
  createMasterKeyCheck,
  DATA_KEY_BYTES,
  masterKeyId,
  newDataKey,
  unwrapDataKey,
  verifyMasterKeyCheck,
  wrapDataKey,
  wrapMasterKey,
} from '../key-wrap.js';
import {
  MasterKeyring,
  type MasterKeyRotationRecord,
  type MasterKeyState,
  masterKeyStatusOf,
} from '../master-keyring.js';
import { rotationConflict } from '../rotation-errors.js';

/**
 * How long an unwrapped key is served from memory. It is also how long a destroy in ANOTHER process
 * (another API replica, the projector, the CLI) may take to blind this one: a local destroy evicts at
 * once. Two seconds keep a page of sealed fields from costing a round trip each, while a purge's
 * destroy is complete everywhere before anyone could notice.
 */
export const DEFAULT_MONGO_KEY_CACHE_TTL_MS = 2_000;
/** How often an idle store re-reads the master-key state (a rotation begun or finished elsewhere). */
export const DEFAULT_MONGO_STATE_POLL_MS = 2_000;

export interface MongoKeyStoreOptions {
  /** A connection string (the store owns and closes its client) or a client the caller owns. */
  readonly uri?: string;
  readonly client?: MongoClient;
  /**
   * The key store's own database: kept apart from the read models' database, so it can be backed up
   * (and expire from backups) on its own schedule.
   */
  readonly database: string;
  /** 32 bytes (see `loadOrCreateMasterKey`): the store's current key, or the target of a rotation under way. */
  readonly masterKey: Uint8Array;
  /** Lifetime of cached unwrapped keys (default `DEFAULT_MONGO_KEY_CACHE_TTL_MS`); 0 disables the cache. */
  readonly cacheTtlMs?: number;
  /** Cached keys at most (default 4096). */
  readonly cacheSize?: number;
  /** Interval of the master-key state poll (default `DEFAULT_MONGO_STATE_POLL_MS`); 0: no timer. */
  readonly pollIntervalMs?: number;
  /** Monotonic milliseconds, for the cache and the state's age (tests inject one). */
  readonly now?: () => number;
  /**
   * Only for `rotate-master-key --offline`: the second master key of an offline rotation. While one is
   * recorded the store opens only with both of its keys; everyone else gets `MASTER_KEY_ROTATION_IN_PROGRESS`.
   */
  readonly otherMasterKey?: Uint8Array;
}

interface DataKeyDoc {
  _id: string;
  wrapped: Binary;
  createdAt: Date;
  /** Which master key wraps the key (`masterKeyId`); missing only on documents of older versions. */
  masterKeyId?: string;
}

interface DestroyedKeyDoc {
  _id: string;
  destroyedAt: Date;
}

/**
 * `master-check` (value: check token), `master-key-id` (value: id), `master-rotation` (the rotation
 * record's fields) and one `retired:<id>` document (retiredAt) per master key replaced.
 */
export interface MetaDoc {
  _id: string;
  value?: Binary | string;
  /** Of the rotation record: 'offline', or missing for an online one (which has the two handovers). */
  mode?: 'offline';
  from?: string;
  to?: string;
  toUnderFrom?: Binary;
  fromUnderTo?: Binary;
  startedAt?: string;
  retiredAt?: string;
}

/** One `$unionWith` answer: the key's document and/or its tombstone. */
interface LookupDoc {
  _id: string;
  kind: 'key' | 'tombstone';
  wrapped?: Binary;
  masterKeyId?: string;
}

const DUPLICATE_KEY = 11000;
const META_CHECK = 'master-check';
const META_KEY_ID = 'master-key-id';
const META_ROTATION = 'master-rotation';
const RETIRED_PREFIX = 'retired:';

/**
 * The server-mode key store: data keys wrapped under the master key (AES-256-GCM, AAD bound to the key
 * id; the format is `key-wrap.ts`, shared with the embedded store) in MongoDB collections `data_keys`
 * and `destroyed_keys` of a database of their own.
 *
 * Two collections cannot be changed atomically without a transaction, and a transaction would not help
 * here: a getOrCreate reading "no tombstone" and a destroy writing one touch different documents, so
 * both would commit (write skew) and leave a live key behind a tombstone. Instead the tombstone is the
 * authority and the writes are ordered: destroy writes the tombstone FIRST and then deletes the key;
 * getOrCreate inserts the key FIRST and then checks for a tombstone (removing its own insert if one
 * appeared), and every read looks at key and tombstone together (one aggregation with `$unionWith`, one
 * round trip). Whatever the interleaving, no caller gets a key from storage after its destroy was
 * acknowledged.
 *
 * Unwrapped keys are cached for `cacheTtlMs` (default 2 s). A destroy through this store evicts at once;
 * a destroy through another process blinds this one after at most the TTL. Writes use
 * `w: 'majority', journal: true` (acknowledged means durable on a majority); reads go to the primary
 * with read concern `local`, which sees a destroy as soon as the primary applied it.
 */
export class MongoKeyStore implements KeyStore, MasterKeyRotationPort {
  private readonly cache: KeyCache;
  private readonly poller: ReturnType<typeof setInterval> | null;
  private stateReadAt: number;
  private closed = false;

  private constructor(
    private readonly client: MongoClient,
    private readonly ownsClient: boolean,
    private readonly keys: Collection<DataKeyDoc>,
    private readonly destroyed: Collection<DestroyedKeyDoc>,
    private readonly meta: Collection<MetaDoc>,
    private readonly keyring: MasterKeyring,
    private readonly now: () => number,
    private readonly pollIntervalMs: number,
    cache: { ttlMs: number; capacity: number },
  ) {
    this.cache = new KeyCache({ ...cache, now });
    this.stateReadAt = now();
    this.poller = pollIntervalMs > 0 ? setInterval(() => void this.poll(), pollIntervalMs) : null;
    this.poller?.unref();
  }

  /**
   * Connects and checks the master key: `MasterKeyError` `MASTER_KEY_MISMATCH` for another key,
   * `MASTER_KEY_ROTATED` for a key replaced by a rotation.
   */
  static async open(options: MongoKeyStoreOptions): Promise<MongoKeyStore> {
    if (options.masterKey.byteLength !== DATA_KEY_BYTES) throw new RangeError('The master key has 32 bytes');
    if (!options.client === !options.uri) throw new Error('MongoKeyStore: pass exactly one of `uri` and `client`');
    const ownsClient = options.client === undefined;
    const client = options.client ?? new MongoClient(options.uri!);
    try {
      if (ownsClient) await client.connect();
      const db = client.db(options.database, {
        writeConcern: { w: 'majority', journal: true },
        readPreference: 'primary',
      });
      const keys = db.collection<DataKeyDoc>('data_keys');
      const keyring = await openKeyring(db, keys, options.database, options.masterKey, options.otherMasterKey);
      // The rotation's batches find the rows still under the old key by this index.
      await keys.createIndex({ masterKeyId: 1, _id: 1 }, { name: 'by_master_key' });
      return new MongoKeyStore(
        client,
        ownsClient,
        keys,
        db.collection<DestroyedKeyDoc>('destroyed_keys'),
        db.collection<MetaDoc>('meta'),
        keyring,
        options.now ?? (() => performance.now()),
        options.pollIntervalMs ?? DEFAULT_MONGO_STATE_POLL_MS,
        { ttlMs: options.cacheTtlMs ?? DEFAULT_MONGO_KEY_CACHE_TTL_MS, capacity: options.cacheSize ?? 4096 },
      );
    } catch (error) {
      if (ownsClient) await client.close();
      throw error;
    }
  }

  async getOrCreate(keyId: string): Promise<DataKey> {
    this.assertOpen();
    assertValidKeyId(keyId);
    const cached = this.cache.get(keyId);
    if (cached !== undefined) return copy(keyId, cached);
    const token = this.cache.token();
    const found = await this.lookup(keyId);
    if (found.tombstone) throw new KeyDestroyedError(keyId);
    if (found.key !== null) return this.handOut(keyId, await this.unwrap(keyId, found.key), token);
    // A new key goes under the key the state names; a state older than the poll interval is re-read
    // first, so a rotation finished elsewhere does not get a row under its retired key.
    if (this.now() - this.stateReadAt >= this.pollIntervalMs) await this.refreshState();
    const stored = await this.insertOrRead(keyId);
    if (await this.isTombstoned(keyId)) {
      // A destroy ran in between: its delete may have come before our insert, so remove what we wrote.
      await this.keys.deleteOne({ _id: keyId });
      throw new KeyDestroyedError(keyId);
    }
    return this.handOut(keyId, await this.unwrap(keyId, stored), token);
  }

  async get(keyId: string): Promise<DataKey | null> {
    this.assertOpen();
    assertValidKeyId(keyId);
    const cached = this.cache.get(keyId);
    if (cached !== undefined) return copy(keyId, cached);
    const token = this.cache.token();
    const found = await this.lookup(keyId);
    if (found.key === null || found.tombstone) return null;
    return this.handOut(keyId, await this.unwrap(keyId, found.key), token);
  }

  async destroy(keyId: string): Promise<void> {
    this.assertOpen();
    assertValidKeyId(keyId);
    // Evicted first, and loads under way are voided, so nothing here serves the key after the destroy.
    this.cache.delete(keyId);
    // Tombstone (the id only, never key material) first: from here on nobody is handed the key.
    await this.destroyed.updateOne({ _id: keyId }, { $setOnInsert: { destroyedAt: new Date() } }, { upsert: true });
    // Evicted again: a read that began after the first eviction may have found the key before the
    // tombstone existed and cached it. This also voids reads still under way (their token is older), so
    // nothing they found goes into the cache; reads beginning now see the tombstone.
    this.cache.delete(keyId);
    await this.keys.deleteOne({ _id: keyId });
  }

  async isDestroyed(keyId: string): Promise<boolean> {
    this.assertOpen();
    assertValidKeyId(keyId);
    return this.isTombstoned(keyId);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.poller !== null) clearInterval(this.poller);
    this.cache.clear();
    this.keyring.zero();
    if (this.ownsClient) await this.client.close();
  }

  /** Ids (fingerprints) of the master keys this store holds in memory. */
  heldMasterKeyIds(): string[] {
    return this.keyring.heldIds();
  }

  async masterKeyStatus(): Promise<MasterKeyStatus> {
    this.assertOpen();
    await this.refreshState();
    const groups = await this.keys
      .aggregate<{ _id: string | null; n: number }>([{ $group: { _id: '$masterKeyId', n: { $sum: 1 } } }])
      .toArray();
    return masterKeyStatusOf(
      this.keyring.state,
      groups.map((group) => ({ id: group._id, n: group.n })),
    );
  }

  async beginMasterKeyRotation(
    next: Uint8Array,
    now: Date,
    options: { readonly offline?: boolean } = {},
  ): Promise<void> {
    this.assertOpen();
    if (next.byteLength !== DATA_KEY_BYTES) throw new RangeError('The master key has 32 bytes');
    const nextId = masterKeyId(next);
    const mode = options.offline === true ? 'offline' : 'online';
    const sameRotation = (rotation: MasterKeyRotationRecord | null): void => {
      if (rotation?.to !== nextId) throw rotationConflict.otherTarget(rotation?.to ?? '?', nextId);
      if (rotation.mode !== mode) {
        throw mode === 'offline' ? rotationConflict.onlineUnderWay(nextId) : rotationConflict.offlineUnderWay(nextId);
      }
    };
    await this.refreshState();
    const state = this.keyring.state;
    if (state.rotation !== null) {
      sameRotation(state.rotation);
      if (mode === 'offline') this.keyring.holdOfflineTarget(next);
      return;
    }
    if (state.currentId === nextId) throw rotationConflict.sameKey(nextId);
    if (state.retired.some((entry) => entry.id === nextId)) throw rotationConflict.retiredKey(nextId);
    const current = this.keyring.requireKey(state.currentId);
    const base = { _id: META_ROTATION, from: state.currentId, to: nextId, startedAt: now.toISOString() };
    try {
      // Offline: the record names the rotation only; the new key stays in this process's memory (a
      // handover here would stay in the oplog for its whole window).
      await this.meta.insertOne(
        mode === 'offline'
          ? { ...base, mode: 'offline' }
          : {
              ...base,
              toUnderFrom: new Binary(wrapMasterKey(current, next)),
              fromUnderTo: new Binary(wrapMasterKey(next, current)),
            },
      );
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      // Another run began at the same moment: fine if it is the same rotation.
      await this.refreshState();
      sameRotation(this.keyring.state.rotation);
    }
    await this.refreshState();
    if (mode === 'offline') this.keyring.holdOfflineTarget(next);
  }

  /**
   * One batch: each row is updated only if it is still under the old key (`masterKeyId: from`), so a
   * row destroyed meanwhile stays deleted. The rows are independent, so a batch needs no transaction:
   * a crash leaves each row either old or new, and the next run continues.
   */
  async rewrapBatch(limit: number): Promise<RewrapProgress> {
    this.assertOpen();
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
    await this.refreshState();
    const rotation = this.keyring.state.rotation;
    if (rotation === null) throw rotationConflict.noneUnderWay();
    const rewrapped = await this.rewrapRows(rotation, limit);
    const remaining = await this.keys.countDocuments({ masterKeyId: rotation.from });
    return { rewrapped, remaining };
  }

  async finishMasterKeyRotation(now: Date): Promise<void> {
    this.assertOpen();
    await this.refreshState();
    const state = this.keyring.state;
    const rotation = state.rotation;
    if (rotation === null) throw rotationConflict.noneUnderWay();
    const left = await this.keys.countDocuments({ masterKeyId: { $ne: rotation.to } });
    if (left > 0) throw rotationConflict.notDone(left);
    const target = this.keyring.requireKey(rotation.to);
    await this.meta.bulkWrite(finishWrites(rotation.from, rotation.to, target, now), { ordered: true });
    // A store elsewhere that had not seen the rotation yet may have written a row under the old key just
    // now; this process still holds both keys, so it re-wraps such stragglers before letting go.
    while ((await this.rewrapRows(rotation, 500)) > 0);
    await this.refreshState();
  }

  private async rewrapRows(rotation: MasterKeyRotationRecord, limit: number): Promise<number> {
    const from = this.keyring.requireKey(rotation.from);
    const to = this.keyring.requireKey(rotation.to);
    const docs = await this.keys.find({ masterKeyId: rotation.from }).sort({ _id: 1 }).limit(limit).toArray();
    if (docs.length === 0) return 0;
    const operations = docs.map((doc) => {
      const key = unwrapDataKey(from, doc._id, doc.wrapped.value());
      try {
        return {
          updateOne: {
            filter: { _id: doc._id, masterKeyId: rotation.from },
            update: { $set: { wrapped: new Binary(wrapDataKey(to, doc._id, key)), masterKeyId: rotation.to } },
          },
        };
      } finally {
        key.fill(0);
      }
    });
    const result = await this.keys.bulkWrite(operations, { ordered: false });
    return result.modifiedCount;
  }

  private async poll(): Promise<void> {
    if (this.closed) return;
    try {
      await this.refreshState();
    } catch {
      // Retried at the next tick; a write re-reads a stale state itself.
    }
  }

  private async refreshState(): Promise<void> {
    const readAt = this.now();
    const state = await readState(this.meta);
    if (state === null) throw new Error('Key store: master-key state missing');
    this.keyring.learn(state);
    this.stateReadAt = readAt;
  }

  /** The key's document and whether a tombstone exists, in one round trip. */
  private async lookup(keyId: string): Promise<{ key: DataKeyDoc | null; tombstone: boolean }> {
    const docs = await this.keys
      .aggregate<LookupDoc>([
        { $match: { _id: keyId } },
        { $project: { wrapped: 1, masterKeyId: 1, kind: { $literal: 'key' } } },
        {
          $unionWith: {
            coll: 'destroyed_keys',
            pipeline: [{ $match: { _id: keyId } }, { $project: { _id: 1, kind: { $literal: 'tombstone' } } }],
          },
        },
      ])
      .toArray();
    const key = docs.find((doc) => doc.kind === 'key');
    return {
      key:
        key?.wrapped === undefined
          ? null
          : {
              _id: keyId,
              wrapped: key.wrapped,
              createdAt: new Date(0),
              ...(key.masterKeyId === undefined ? {} : { masterKeyId: key.masterKeyId }),
            },
      tombstone: docs.some((doc) => doc.kind === 'tombstone'),
    };
  }

  private async insertOrRead(keyId: string): Promise<DataKeyDoc> {
    const wrapping = this.keyring.writeKey();
    const candidate = new Binary(wrapDataKey(wrapping.key, keyId, newDataKey()));
    const upsert = () =>
      this.keys.findOneAndUpdate(
        { _id: keyId },
        { $setOnInsert: { wrapped: candidate, createdAt: new Date(), masterKeyId: wrapping.id } },
        { upsert: true, returnDocument: 'after' },
      );
    try {
      const doc = await upsert();
      if (doc !== null) return doc;
    } catch (error) {
      // Two concurrent upserts of one new _id: the loser gets E11000; the winner's key is the key.
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
    }
    const doc = await this.keys.findOne({ _id: keyId });
    if (doc === null) throw new Error(`Key store: key ${keyId} missing after insert`);
    return doc;
  }

  private async isTombstoned(keyId: string): Promise<boolean> {
    return (await this.destroyed.countDocuments({ _id: keyId }, { limit: 1 })) > 0;
  }

  private async unwrap(keyId: string, doc: DataKeyDoc): Promise<Buffer> {
    const id = doc.masterKeyId ?? this.keyring.state.currentId;
    if (this.keyring.keyFor(id) === undefined) await this.refreshState();
    return unwrapDataKey(this.keyring.requireKey(id), keyId, doc.wrapped.value());
  }

  /** Caches the key (unless a destroy came since `token`), hands out a copy, zeroes the original. */
  private handOut(keyId: string, key: Buffer, token: number): DataKey {
    try {
      this.cache.set(keyId, key, token);
      return copy(keyId, key);
    } finally {
      key.fill(0);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new KeyStoreClosedError();
  }
}

/** Callers get their own copy: a caller zeroing or changing it must not poison the cache. */
function copy(keyId: string, key: Uint8Array): DataKey {
  return { keyId, key: new Uint8Array(key) };
}

/**
 * The finish's writes to `meta`, in order. MongoDB runs them as an ordered bulk write, not atomically: a
 * crash may stop after any of them. Each is idempotent and every prefix leaves a state that opens with
 * either key (the check may already be under `to` while the id still names `from`: the keyring accepts
 * it while the record exists, see `masterKeyCheckPasses`) and that the next run finishes.
 */
export function finishWrites(
  from: string,
  to: string,
  target: Uint8Array,
  now: Date,
): AnyBulkWriteOperation<MetaDoc>[] {
  return [
    {
      updateOne: {
        filter: { _id: META_CHECK },
        update: { $set: { value: new Binary(createMasterKeyCheck(target)) } },
        upsert: true,
      },
    },
    { updateOne: { filter: { _id: META_KEY_ID }, update: { $set: { value: to } }, upsert: true } },
    {
      updateOne: {
        filter: { _id: `${RETIRED_PREFIX}${from}` },
        update: { $setOnInsert: { retiredAt: now.toISOString() } },
        upsert: true,
      },
    },
    { deleteOne: { filter: { _id: META_ROTATION } } },
  ];
}

async function readState(meta: Collection<MetaDoc>): Promise<MasterKeyState | null> {
  return stateOf(await meta.find({}).toArray());
}

/** The master-key state the `meta` documents describe; null before the store's id was recorded. */
export function stateOf(docs: readonly MetaDoc[]): MasterKeyState | null {
  const byId = new Map(docs.map((doc) => [doc._id, doc]));
  const currentId = byId.get(META_KEY_ID)?.value;
  if (typeof currentId !== 'string') return null;
  return {
    currentId,
    rotation: rotationOf(byId.get(META_ROTATION)),
    retired: docs
      .filter((doc) => doc._id.startsWith(RETIRED_PREFIX))
      .map((doc) => ({ id: doc._id.slice(RETIRED_PREFIX.length), retiredAt: doc.retiredAt ?? '' })),
  };
}

function rotationOf(doc: MetaDoc | undefined): MasterKeyRotationRecord | null {
  if (doc?.from === undefined || doc.to === undefined) return null;
  const base = { from: doc.from, to: doc.to, startedAt: doc.startedAt ?? '' };
  if (doc.mode === 'offline') return { ...base, mode: 'offline' };
  if (doc.toUnderFrom === undefined || doc.fromUnderTo === undefined) return null;
  return { ...base, mode: 'online', toUnderFrom: doc.toUnderFrom.value(), fromUnderTo: doc.fromUnderTo.value() };
}

/**
 * Initialises a new key database under `masterKey` or checks the key against an existing one. A
 * database of an older version (a check, no master-key id) learns its id here once the key passed the
 * check, and its key documents are labelled with it.
 */
async function openKeyring(
  db: Db,
  keys: Collection<DataKeyDoc>,
  database: string,
  masterKey: Uint8Array,
  otherMasterKey: Uint8Array | undefined,
): Promise<MasterKeyring> {
  const meta = db.collection<MetaDoc>('meta');
  const id = masterKeyId(masterKey);
  const name = {
    de: `Schlüsselspeicher (MongoDB-Datenbank ${database})`,
    en: `key store (MongoDB database ${database})`,
  };
  const mismatch = () =>
    new MasterKeyError(
      'MASTER_KEY_MISMATCH',
      `Der Schlüsselspeicher (MongoDB-Datenbank ${database}) wurde mit einem anderen Master-Schlüssel angelegt; mit diesem lassen sich seine Schlüssel nicht öffnen.`,
      `Key store (MongoDB database ${database}) was created under another master key; this one cannot open its keys.`,
    );
  await upsertIgnoringRace(meta, META_CHECK, { value: new Binary(createMasterKeyCheck(masterKey)) });
  let docs = await meta.find({}).toArray();
  if (stateOf(docs) === null) {
    // New, or of the older version: the check (ours or the old one) must pass before the id is recorded.
    const check = docs.find((doc) => doc._id === META_CHECK);
    if (!(check?.value instanceof Binary) || !verifyMasterKeyCheck(masterKey, check.value.value())) throw mismatch();
    await upsertIgnoringRace(meta, META_KEY_ID, { value: id });
    docs = await meta.find({}).toArray();
  }
  const keyring = keyringOf(docs, masterKey, name, otherMasterKey);
  const state = keyring.state;
  if (state.currentId === id && state.rotation === null) {
    await keys.updateMany({ masterKeyId: { $exists: false } }, { $set: { masterKeyId: id } });
  }
  return keyring;
}

/**
 * The open-time decision over the `meta` documents, once the store's id is recorded: which keys the
 * configured key (and an offline rotation's other key) give, or why the store refuses to open. Shared by
 * `open` and tests of every state a finish interrupted between its writes leaves.
 */
export function keyringOf(
  docs: readonly MetaDoc[],
  masterKey: Uint8Array,
  name: { de: string; en: string },
  otherMasterKey?: Uint8Array,
): MasterKeyring {
  const state = stateOf(docs);
  if (state === null) throw new Error(`${name.en}: master-key id missing`);
  const check = docs.find((doc) => doc._id === META_CHECK)?.value;
  // A check that is not binary opens under no key: refused like a wrong one.
  const checkBytes = check instanceof Binary ? check.value() : check === undefined ? undefined : new Uint8Array(0);
  return new MasterKeyring(masterKey, state, name, checkBytes, otherMasterKey);
}

async function upsertIgnoringRace(meta: Collection<MetaDoc>, id: string, fields: Partial<MetaDoc>): Promise<void> {
  try {
    await meta.updateOne({ _id: id }, { $setOnInsert: fields }, { upsert: true });
  } catch (error) {
    // Two stores creating the same document at once: the loser gets E11000 and reads the winner's.
    if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
  }
}
