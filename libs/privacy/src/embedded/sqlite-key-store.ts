import * as path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { createPrivateDirectory, createPrivateFile, tightenPermissions } from '@pruefpfad/runtime';
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

export interface SqliteKeyStoreOptions {
  /** The key store's own SQLite file, in its own directory (created 0700), backed up apart from events. */
  readonly file: string;
  /** 32 bytes (see `loadOrCreateMasterKey`). */
  readonly masterKey: Uint8Array;
  /** Unwrapped keys kept in memory; default 1024. 0 disables the cache. */
  readonly cacheSize?: number;
  /** How long a write waits for another connection's lock; default 5000 ms. */
  readonly busyTimeoutMs?: number;
}

interface KeyRow {
  wrapped: Uint8Array;
}

const SCHEMA_VERSION = 1;

/**
 * The embedded key store: data keys wrapped under the master key in a `node:sqlite` file (WAL,
 * synchronous=FULL, secure_delete=ON).
 *
 * Destroying a key deletes its row (secure_delete zeroes the freed bytes), records only the id as a
 * tombstone, and checkpoints the WAL with TRUNCATE, so the wrapped key survives neither in the
 * database file nor in the WAL. Several connections (processes) may share the file: writes use
 * `BEGIN IMMEDIATE`, and the cache of unwrapped keys is dropped whenever `PRAGMA data_version` shows
 * that another connection committed, so a destroy in one process blinds the others at once.
 */
export class SqliteKeyStore implements KeyStore {
  private readonly cache: LruCache;
  private readonly masterKey: Buffer;
  private readonly selectKey: StatementSync;
  private readonly selectDestroyed: StatementSync;
  private readonly insertKey: StatementSync;
  private readonly deleteKey: StatementSync;
  private readonly insertDestroyed: StatementSync;
  private readonly dataVersion: StatementSync;
  private seenDataVersion: number;
  private closed = false;

  private constructor(
    private readonly db: DatabaseSync,
    readonly file: string,
    masterKey: Uint8Array,
    cacheSize: number,
  ) {
    this.masterKey = Buffer.from(masterKey);
    this.cache = new LruCache(cacheSize);
    this.selectKey = db.prepare('SELECT wrapped FROM data_keys WHERE key_id = ?');
    this.selectDestroyed = db.prepare('SELECT 1 AS destroyed FROM destroyed_keys WHERE key_id = ?');
    this.insertKey = db.prepare('INSERT OR IGNORE INTO data_keys (key_id, wrapped) VALUES (?, ?)');
    this.deleteKey = db.prepare('DELETE FROM data_keys WHERE key_id = ?');
    this.insertDestroyed = db.prepare('INSERT OR IGNORE INTO destroyed_keys (key_id) VALUES (?)');
    this.dataVersion = db.prepare('PRAGMA data_version');
    this.seenDataVersion = this.readDataVersion();
  }

  /**
   * Opens (or creates) the store. Fails with `MasterKeyError` (`MASTER_KEY_MISMATCH`) when the file was
   * created under another master key.
   */
  static open(options: SqliteKeyStoreOptions): SqliteKeyStore {
    if (options.masterKey.byteLength !== DATA_KEY_BYTES) throw new RangeError('The master key has 32 bytes');
    const file = path.resolve(options.file);
    createPrivateDirectory(path.dirname(file));
    // SQLite gives -wal and -shm the mode of the database file, so creating it private covers all three.
    createPrivateFile(file);
    tightenPermissions(file);
    const db = new DatabaseSync(file, { timeout: options.busyTimeoutMs ?? 5000 });
    try {
      const mode = db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode: string } | undefined;
      if (mode?.journal_mode !== 'wal') throw new Error(`Key store ${file}: WAL mode not available`);
      db.exec('PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;');
      for (const suffix of ['-wal', '-shm']) tightenPermissions(`${file}${suffix}`);
      migrate(db);
      checkMasterKey(db, file, options.masterKey);
      return new SqliteKeyStore(db, file, options.masterKey, options.cacheSize ?? 1024);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  getOrCreate(keyId: string): Promise<DataKey> {
    return settle(() => {
      this.assertOpen();
      assertValidKeyId(keyId);
      const known = this.load(keyId);
      if (known !== null) return known;
      const key = this.transaction(() => {
        if (this.selectDestroyed.get(keyId) !== undefined) throw new KeyDestroyedError(keyId);
        // INSERT OR IGNORE then SELECT: whoever inserted first wins, every caller gets that key.
        this.insertKey.run(keyId, wrapDataKey(this.masterKey, keyId, newDataKey()));
        const row = this.selectKey.get(keyId) as KeyRow | undefined;
        if (row === undefined) throw new Error(`Key store ${this.file}: key ${keyId} missing after insert`);
        return unwrapDataKey(this.masterKey, keyId, row.wrapped);
      });
      this.cache.set(keyId, key);
      return dataKey(keyId, key);
    });
  }

  get(keyId: string): Promise<DataKey | null> {
    return settle(() => {
      this.assertOpen();
      assertValidKeyId(keyId);
      return this.load(keyId);
    });
  }

  destroy(keyId: string): Promise<void> {
    return settle(() => {
      this.assertOpen();
      assertValidKeyId(keyId);
      this.cache.delete(keyId);
      this.transaction(() => {
        this.deleteKey.run(keyId);
        this.insertDestroyed.run(keyId);
      });
      // Repeated on an already destroyed key too: a retried destroy finishes an earlier interrupted one.
      this.checkpointTruncate();
    });
  }

  isDestroyed(keyId: string): Promise<boolean> {
    return settle(() => {
      this.assertOpen();
      assertValidKeyId(keyId);
      return this.selectDestroyed.get(keyId) !== undefined;
    });
  }

  close(): Promise<void> {
    return settle(() => {
      if (this.closed) return;
      this.closed = true;
      this.cache.clear();
      this.masterKey.fill(0);
      this.db.close();
    });
  }

  private load(keyId: string): DataKey | null {
    this.dropCacheIfOthersWrote();
    const cached = this.cache.get(keyId);
    if (cached !== undefined) return dataKey(keyId, cached);
    const row = this.selectKey.get(keyId) as KeyRow | undefined;
    if (row === undefined) return null;
    const key = unwrapDataKey(this.masterKey, keyId, row.wrapped);
    this.cache.set(keyId, key);
    return dataKey(keyId, key);
  }

  private dropCacheIfOthersWrote(): void {
    const version = this.readDataVersion();
    if (version !== this.seenDataVersion) {
      this.cache.clear();
      this.seenDataVersion = version;
    }
  }

  private readDataVersion(): number {
    const row = this.dataVersion.get() as { data_version: number } | undefined;
    return row?.data_version ?? 0;
  }

  private checkpointTruncate(): void {
    const result = this.db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get() as { busy: number } | undefined;
    // busy = 1: a reader kept old frames alive, so wrapped key bytes may still be in the WAL. The
    // caller must learn that the destroy is not finished; retrying it (idempotent) completes it.
    if (result?.busy !== 0) {
      throw new Error(`Key store ${this.file}: WAL checkpoint after destroy could not complete; retry the destroy`);
    }
  }

  private transaction<T>(work: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new KeyStoreClosedError();
  }
}

function migrate(db: DatabaseSync): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    const row = db.prepare('PRAGMA user_version').get() as { user_version: number } | undefined;
    const version = row?.user_version ?? 0;
    if (version > SCHEMA_VERSION) {
      throw new Error(`Key store schema version ${version} is newer than this program (${SCHEMA_VERSION})`);
    }
    if (version < 1) {
      db.exec(`
        CREATE TABLE data_keys (key_id TEXT PRIMARY KEY, wrapped BLOB NOT NULL) STRICT;
        -- Tombstones: ids only, never key material.
        CREATE TABLE destroyed_keys (key_id TEXT PRIMARY KEY) STRICT;
        CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB NOT NULL) STRICT;
        PRAGMA user_version = 1;
      `);
    }
    db.exec('COMMIT');
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

function checkMasterKey(db: DatabaseSync, file: string, masterKey: Uint8Array): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    const row = db.prepare(`SELECT value FROM meta WHERE name = 'master-check'`).get() as
      { value: Uint8Array } | undefined;
    if (row === undefined) {
      db.prepare(`INSERT INTO meta (name, value) VALUES ('master-check', ?)`).run(createMasterKeyCheck(masterKey));
    } else if (!verifyMasterKeyCheck(masterKey, row.value)) {
      throw new MasterKeyError(
        'MASTER_KEY_MISMATCH',
        `Der Schlüsselspeicher ${file} wurde mit einem anderen Master-Schlüssel angelegt; mit diesem lassen sich seine Schlüssel nicht öffnen.`,
        `Key store ${file} was created under another master key; this one cannot open its keys.`,
      );
    }
    db.exec('COMMIT');
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** Callers get their own copy: a caller zeroing or changing it must not poison the cache. */
function dataKey(keyId: string, key: Buffer): DataKey {
  return { keyId, key: new Uint8Array(key) };
}

/** Runs synchronous work and reports its outcome (value or exception) as a promise. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(work()));
}

/** Least recently used first in the Map's insertion order; evicted keys are zeroed. */
class LruCache {
  private readonly entries = new Map<string, Buffer>();
  constructor(private readonly capacity: number) {}

  get(keyId: string): Buffer | undefined {
    const key = this.entries.get(keyId);
    if (key !== undefined) {
      this.entries.delete(keyId);
      this.entries.set(keyId, key);
    }
    return key;
  }

  set(keyId: string, key: Buffer): void {
    if (this.capacity <= 0) return;
    this.delete(keyId);
    this.entries.set(keyId, key);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.delete(oldest.value);
    }
  }

  delete(keyId: string): void {
    const key = this.entries.get(keyId);
    if (key === undefined) return;
    key.fill(0);
    this.entries.delete(keyId);
  }

  clear(): void {
    for (const key of this.entries.values()) key.fill(0);
    this.entries.clear();
  }
}
