import { Binary, MongoClient, MongoServerError, type Collection, type Db } from 'mongodb';
import { KeyStoreClosedError, MasterKeyError } from '../errors.js';
import { assertValidKeyId } from '../key-ids.js';
import { KeyDestroyedError, type DataKey, type KeyStore } from '../key-store.port.js';
import {
  createMasterKeyCheck,
  DATA_KEY_BYTES,
  newDataKey,
  unwrapDataKey,
  verifyMasterKeyCheck,
  wrapDataKey,
} from '../key-wrap.js';

export interface MongoKeyStoreOptions {
  /** A connection string (the store owns and closes its client) or a client the caller owns. */
  readonly uri?: string;
  readonly client?: MongoClient;
  /**
   * The key store's own database: kept apart from the read models' database, so it can be backed up
   * (and expire from backups) on its own schedule.
   */
  readonly database: string;
  /** 32 bytes (see `loadOrCreateMasterKey`). */
  readonly masterKey: Uint8Array;
}

interface DataKeyDoc {
  _id: string;
  wrapped: Binary;
  createdAt: Date;
}

interface DestroyedKeyDoc {
  _id: string;
  destroyedAt: Date;
}

interface MetaDoc {
  _id: string;
  value: Binary;
}

const DUPLICATE_KEY = 11000;

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
 * appeared), and every read checks the tombstone before answering. Whatever the interleaving, no caller
 * gets a key after its destroy was acknowledged.
 *
 * No unwrapped keys are cached: another process's destroy must blind this one at once, and a primary
 * read is cheap next to the request that needs the key. Writes use `w: 'majority', journal: true`
 * (acknowledged means durable on a majority); reads go to the primary with read concern `local`, which
 * sees a destroy as soon as the primary applied it (a `majority` read may trail it by a moment).
 */
export class MongoKeyStore implements KeyStore {
  private readonly masterKey: Buffer;
  private closed = false;

  private constructor(
    private readonly client: MongoClient,
    private readonly ownsClient: boolean,
    private readonly keys: Collection<DataKeyDoc>,
    private readonly destroyed: Collection<DestroyedKeyDoc>,
    masterKey: Uint8Array,
  ) {
    this.masterKey = Buffer.from(masterKey);
  }

  /** Connects and checks the master key. Fails with `MasterKeyError` (`MASTER_KEY_MISMATCH`) for another key. */
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
      await checkMasterKey(db, options.database, options.masterKey);
      return new MongoKeyStore(
        client,
        ownsClient,
        db.collection<DataKeyDoc>('data_keys'),
        db.collection<DestroyedKeyDoc>('destroyed_keys'),
        options.masterKey,
      );
    } catch (error) {
      if (ownsClient) await client.close();
      throw error;
    }
  }

  async getOrCreate(keyId: string): Promise<DataKey> {
    this.assertOpen();
    assertValidKeyId(keyId);
    if (await this.isTombstoned(keyId)) throw new KeyDestroyedError(keyId);
    const stored = await this.insertOrRead(keyId);
    if (await this.isTombstoned(keyId)) {
      // A destroy ran in between: its delete may have come before our insert, so remove what we wrote.
      await this.keys.deleteOne({ _id: keyId });
      throw new KeyDestroyedError(keyId);
    }
    return this.unwrap(keyId, stored);
  }

  async get(keyId: string): Promise<DataKey | null> {
    this.assertOpen();
    assertValidKeyId(keyId);
    const doc = await this.keys.findOne({ _id: keyId });
    if (doc === null || (await this.isTombstoned(keyId))) return null;
    return this.unwrap(keyId, doc);
  }

  async destroy(keyId: string): Promise<void> {
    this.assertOpen();
    assertValidKeyId(keyId);
    // Tombstone (the id only, never key material) first: from here on nobody is handed the key.
    await this.destroyed.updateOne({ _id: keyId }, { $setOnInsert: { destroyedAt: new Date() } }, { upsert: true });
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
    this.masterKey.fill(0);
    if (this.ownsClient) await this.client.close();
  }

  private async insertOrRead(keyId: string): Promise<DataKeyDoc> {
    const candidate = new Binary(wrapDataKey(this.masterKey, keyId, newDataKey()));
    const upsert = () =>
      this.keys.findOneAndUpdate(
        { _id: keyId },
        { $setOnInsert: { wrapped: candidate, createdAt: new Date() } },
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

  private unwrap(keyId: string, doc: DataKeyDoc): DataKey {
    const key = unwrapDataKey(this.masterKey, keyId, doc.wrapped.value());
    // Callers get their own copy; the unwrapped buffer is zeroed once copied.
    const copy = new Uint8Array(key);
    key.fill(0);
    return { keyId, key: copy };
  }

  private assertOpen(): void {
    if (this.closed) throw new KeyStoreClosedError();
  }
}

async function checkMasterKey(db: Db, database: string, masterKey: Uint8Array): Promise<void> {
  const meta = db.collection<MetaDoc>('meta');
  try {
    await meta.updateOne(
      { _id: 'master-check' },
      { $setOnInsert: { value: new Binary(createMasterKeyCheck(masterKey)) } },
      { upsert: true },
    );
  } catch (error) {
    if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
  }
  const check = await meta.findOne({ _id: 'master-check' });
  if (check === null || !verifyMasterKeyCheck(masterKey, check.value.value())) {
    throw new MasterKeyError(
      'MASTER_KEY_MISMATCH',
      `Der Schlüsselspeicher (MongoDB-Datenbank ${database}) wurde mit einem anderen Master-Schlüssel angelegt; mit diesem lassen sich seine Schlüssel nicht öffnen.`,
      `Key store (MongoDB database ${database}) was created under another master key; this one cannot open its keys.`,
    );
  }
}
