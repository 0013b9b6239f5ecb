import * as path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { createPrivateDirectory, createPrivateFile, inWriteTransaction, tightenPermissions } from '@pruefpfad/runtime';
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
  decodeRotationRecord,
  encodeRotationRecord,
  MasterKeyring,
  type MasterKeyState,
  masterKeyStatusOf,
  type RetiredMasterKey,
} from '../master-keyring.js';
import { rotationConflict } from '../rotation-errors.js';

export interface SqliteKeyStoreOptions {
  /** The key store's own SQLite file, in its own directory (created 0700), backed up apart from events. */
  readonly file: string;
  /** 32 bytes (see `loadOrCreateMasterKey`): the store's current key, or the target of a rotation under way. */
  readonly masterKey: Uint8Array;
  /** Unwrapped keys kept in memory; default 1024. 0 disables the cache. */
  readonly cacheSize?: number;
  /** How long a write waits for another connection's lock; default 5000 ms. */
  readonly busyTimeoutMs?: number;
  /**
   * How often an idle store looks for another process's commits (a destroy, a master-key rotation);
   * default 1000 ms, 0 turns the timer off (a store still looks on every call).
   */
  readonly pollIntervalMs?: number;
  /**
   * Only for `rotate-master-key --offline`: the second master key of an offline rotation. While one is
   * recorded the store opens only with both of its keys; everyone else gets `MASTER_KEY_ROTATION_IN_PROGRESS`.
   */
  readonly otherMasterKey?: Uint8Array;
  /**
   * Holds an exclusive lock on the file from open to close (`locking_mode = EXCLUSIVE`): no other
   * connection, in this process or another, can open the store meanwhile, and opening fails with
   * "database is locked" while another one has it open. For the offline rotation.
   */
  readonly exclusive?: boolean;
}

interface KeyRow {
  wrapped: Uint8Array;
  master_key_id: string | null;
}

/**
 * Version 1: `data_keys (key_id, wrapped)`, `destroyed_keys (key_id)`, `meta (name, value)` with the
 * master-key check. Version 2 adds which master key wraps each row (`data_keys.master_key_id`, filled
 * for version-1 rows at the first open with the right key) and the master-key state in `meta`. A
 * version-1 file (an older backup) is migrated on open; the wrapped-key format is unchanged.
 */
const SCHEMA_VERSION = 2;

const META_CHECK = 'master-check';
const META_KEY_ID = 'master-key-id';
const META_ROTATION = 'master-rotation';
const META_RETIRED = 'master-key-retired';

const NAME = (file: string) => ({ de: `Schlüsselspeicher ${file}`, en: `key store ${file}` });

/**
 * The embedded key store: data keys wrapped under the master key in a `node:sqlite` file (WAL,
 * synchronous=FULL, secure_delete=ON).
 *
 * Destroying a key deletes its row (secure_delete zeroes the freed bytes), records only the id as a
 * tombstone, and checkpoints the WAL with TRUNCATE, so the wrapped key survives neither in the
 * database file nor in the WAL. Several connections (processes) may share the file: writes use
 * `BEGIN IMMEDIATE`, and whenever `PRAGMA data_version` shows that another connection committed (looked
 * at on every call and by an unref'd timer), the cache of unwrapped keys is dropped and the master-key
 * state re-read, so a destroy in one process blinds the others at once and a rotation started elsewhere
 * is learnt within the poll interval.
 */
export class SqliteKeyStore implements KeyStore, MasterKeyRotationPort {
  private readonly cache: KeyCache;
  private readonly selectKey: StatementSync;
  private readonly selectDestroyed: StatementSync;
  private readonly insertKey: StatementSync;
  private readonly deleteKey: StatementSync;
  private readonly insertDestroyed: StatementSync;
  private readonly dataVersion: StatementSync;
  private readonly poller: ReturnType<typeof setInterval> | null;
  private seenDataVersion: number;
  private closed = false;

  private constructor(
    private readonly db: DatabaseSync,
    readonly file: string,
    private readonly keyring: MasterKeyring,
    cacheSize: number,
    pollIntervalMs: number,
  ) {
    this.cache = new KeyCache({ capacity: cacheSize, ttlMs: Number.POSITIVE_INFINITY });
    this.selectKey = db.prepare('SELECT wrapped, master_key_id FROM data_keys WHERE key_id = ?');
    this.selectDestroyed = db.prepare('SELECT 1 AS destroyed FROM destroyed_keys WHERE key_id = ?');
    this.insertKey = db.prepare('INSERT OR IGNORE INTO data_keys (key_id, wrapped, master_key_id) VALUES (?, ?, ?)');
    this.deleteKey = db.prepare('DELETE FROM data_keys WHERE key_id = ?');
    this.insertDestroyed = db.prepare('INSERT OR IGNORE INTO destroyed_keys (key_id) VALUES (?)');
    this.dataVersion = db.prepare('PRAGMA data_version');
    this.seenDataVersion = this.readDataVersion();
    this.poller = pollIntervalMs > 0 ? setInterval(() => this.poll(), pollIntervalMs) : null;
    this.poller?.unref();
  }

  /**
   * Opens (or creates) the store. Fails with `MasterKeyError`: `MASTER_KEY_MISMATCH` when the file is
   * under another master key, `MASTER_KEY_ROTATED` when this key was replaced by a rotation.
   */
  static open(options: SqliteKeyStoreOptions): SqliteKeyStore {
    if (options.masterKey.byteLength !== DATA_KEY_BYTES) throw new RangeError('The master key has 32 bytes');
    const file = path.resolve(options.file);
    createPrivateDirectory(path.dirname(file));
    // SQLite gives -wal and -shm the mode of the database file, so creating it private covers all three.
    createPrivateFile(file);
    tightenPermissions(file);
    const db = new DatabaseSync(file, { timeout: options.exclusive === true ? 0 : (options.busyTimeoutMs ?? 5000) });
    try {
      // Before WAL is entered: SQLite then keeps the WAL index in this connection's memory and the lock
      // on the file until close (taken by the exclusive transaction below).
      if (options.exclusive === true) db.exec('PRAGMA locking_mode = EXCLUSIVE');
      const mode = db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode: string } | undefined;
      if (mode?.journal_mode !== 'wal') throw new Error(`Key store ${file}: WAL mode not available`);
      db.exec('PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;');
      for (const suffix of ['-wal', '-shm']) tightenPermissions(`${file}${suffix}`);
      if (options.exclusive === true) db.exec('BEGIN EXCLUSIVE; COMMIT');
      migrate(db);
      const keyring = openKeyring(db, file, options.masterKey, options.otherMasterKey);
      return new SqliteKeyStore(db, file, keyring, options.cacheSize ?? 1024, options.pollIntervalMs ?? 1000);
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
        // Inside the write lock the state is the latest: a key created now goes under the key that a
        // rotation finishing elsewhere cannot have retired yet.
        this.dropCacheIfOthersWrote();
        if (this.selectDestroyed.get(keyId) !== undefined) throw new KeyDestroyedError(keyId);
        const wrapping = this.keyring.writeKey();
        // INSERT OR IGNORE then SELECT: whoever inserted first wins, every caller gets that key.
        this.insertKey.run(keyId, wrapDataKey(wrapping.key, keyId, newDataKey()), wrapping.id);
        const row = this.selectKey.get(keyId) as KeyRow | undefined;
        if (row === undefined) throw new Error(`Key store ${this.file}: key ${keyId} missing after insert`);
        return this.unwrapRow(keyId, row);
      });
      return this.handOut(keyId, key);
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
      if (this.poller !== null) clearInterval(this.poller);
      this.cache.clear();
      this.keyring.zero();
      this.db.close();
    });
  }

  /** Ids (fingerprints) of the master keys this store holds in memory. */
  heldMasterKeyIds(): string[] {
    return this.keyring.heldIds();
  }

  masterKeyStatus(): Promise<MasterKeyStatus> {
    return settle(() => {
      this.assertOpen();
      this.refreshState();
      const rows = this.db
        .prepare('SELECT master_key_id AS id, COUNT(*) AS n FROM data_keys GROUP BY master_key_id')
        .all() as { id: string | null; n: number }[];
      return masterKeyStatusOf(this.keyring.state, rows);
    });
  }

  beginMasterKeyRotation(next: Uint8Array, now: Date, options: { readonly offline?: boolean } = {}): Promise<void> {
    return settle(() => {
      this.assertOpen();
      if (next.byteLength !== DATA_KEY_BYTES) throw new RangeError('The master key has 32 bytes');
      const nextId = masterKeyId(next);
      const mode = options.offline === true ? 'offline' : 'online';
      this.transaction(() => {
        this.refreshState();
        const state = this.keyring.state;
        if (state.rotation !== null) {
          if (state.rotation.to !== nextId) throw rotationConflict.otherTarget(state.rotation.to, nextId);
          if (state.rotation.mode !== mode) {
            throw mode === 'offline'
              ? rotationConflict.onlineUnderWay(nextId)
              : rotationConflict.offlineUnderWay(nextId);
          }
          return;
        }
        if (state.currentId === nextId) throw rotationConflict.sameKey(nextId);
        if (state.retired.some((entry) => entry.id === nextId)) throw rotationConflict.retiredKey(nextId);
        const current = this.keyring.requireKey(state.currentId);
        const base = { from: state.currentId, to: nextId, startedAt: now.toISOString() };
        // Offline: the record names the rotation only; the new key stays in this process's memory.
        const record = encodeRotationRecord(
          mode === 'offline'
            ? { ...base, mode }
            : { ...base, mode, toUnderFrom: wrapMasterKey(current, next), fromUnderTo: wrapMasterKey(next, current) },
        );
        this.db.prepare('INSERT INTO meta (name, value) VALUES (?, ?)').run(META_ROTATION, Buffer.from(record, 'utf8'));
      });
      this.refreshState();
      if (mode === 'offline') this.keyring.holdOfflineTarget(next);
    });
  }

  rewrapBatch(limit: number): Promise<RewrapProgress> {
    return settle(() => {
      this.assertOpen();
      if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
      return this.transaction(() => {
        this.refreshState();
        const rotation = this.keyring.state.rotation;
        if (rotation === null) throw rotationConflict.noneUnderWay();
        const from = this.keyring.requireKey(rotation.from);
        const to = this.keyring.requireKey(rotation.to);
        const rows = this.db
          .prepare('SELECT key_id, wrapped FROM data_keys WHERE master_key_id = ? ORDER BY key_id LIMIT ?')
          .all(rotation.from, limit) as { key_id: string; wrapped: Uint8Array }[];
        const update = this.db.prepare(
          'UPDATE data_keys SET wrapped = ?, master_key_id = ? WHERE key_id = ? AND master_key_id = ?',
        );
        let rewrapped = 0;
        for (const row of rows) {
          const key = unwrapDataKey(from, row.key_id, row.wrapped);
          try {
            // Conditional: a row destroyed or re-wrapped meanwhile is left as it is.
            rewrapped += Number(
              update.run(wrapDataKey(to, row.key_id, key), rotation.to, row.key_id, rotation.from).changes,
            );
          } finally {
            key.fill(0);
          }
        }
        const remaining = this.db
          .prepare('SELECT COUNT(*) AS n FROM data_keys WHERE master_key_id = ?')
          .get(rotation.from) as { n: number };
        return { rewrapped, remaining: Number(remaining.n) };
      });
    });
  }

  finishMasterKeyRotation(now: Date): Promise<void> {
    return settle(() => {
      this.assertOpen();
      this.transaction(() => {
        this.refreshState();
        const state = this.keyring.state;
        const rotation = state.rotation;
        if (rotation === null) throw rotationConflict.noneUnderWay();
        const left = this.db
          .prepare('SELECT COUNT(*) AS n FROM data_keys WHERE master_key_id IS NOT ?')
          .get(rotation.to) as { n: number };
        if (Number(left.n) > 0) throw rotationConflict.notDone(Number(left.n));
        const target = this.keyring.requireKey(rotation.to);
        const retired: RetiredMasterKey[] = [...state.retired, { id: rotation.from, retiredAt: now.toISOString() }];
        const upsert = this.db.prepare(
          'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
        );
        upsert.run(META_CHECK, createMasterKeyCheck(target));
        upsert.run(META_KEY_ID, Buffer.from(rotation.to, 'utf8'));
        upsert.run(META_RETIRED, Buffer.from(JSON.stringify(retired), 'utf8'));
        this.db.prepare('DELETE FROM meta WHERE name = ?').run(META_ROTATION);
      });
      // Zeroes the old key here; other stores do the same when they next look.
      this.refreshState();
      // Copies of rows wrapped under the old key and of the handover record leave the WAL (best effort:
      // a reader holding old frames keeps them until the next checkpoint, e.g. the next destroy's).
      this.db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get();
    });
  }

  private poll(): void {
    if (this.closed) return;
    try {
      this.dropCacheIfOthersWrote();
    } catch {
      // A busy or failing poll is retried at the next tick; calls look for themselves anyway.
    }
  }

  private load(keyId: string): DataKey | null {
    this.dropCacheIfOthersWrote();
    const cached = this.cache.get(keyId);
    if (cached !== undefined) return dataKey(keyId, cached);
    const row = this.selectKey.get(keyId) as KeyRow | undefined;
    if (row === undefined) return null;
    return this.handOut(keyId, this.unwrapRow(keyId, row));
  }

  private unwrapRow(keyId: string, row: KeyRow): Buffer {
    const id = row.master_key_id ?? this.keyring.state.currentId;
    let wrapping = this.keyring.keyFor(id);
    if (wrapping === undefined) {
      // Wrapped under a key this store has not learnt yet: a rotation began elsewhere since the last look.
      this.refreshState();
      wrapping = this.keyring.requireKey(id);
    }
    return unwrapDataKey(wrapping, keyId, row.wrapped);
  }

  /** Caches the unwrapped key, hands out a copy and zeroes the original. */
  private handOut(keyId: string, key: Buffer): DataKey {
    try {
      this.cache.set(keyId, key);
      return dataKey(keyId, key);
    } finally {
      key.fill(0);
    }
  }

  private dropCacheIfOthersWrote(): void {
    const version = this.readDataVersion();
    if (version !== this.seenDataVersion) {
      this.cache.clear();
      this.seenDataVersion = version;
      this.refreshState();
    }
  }

  private refreshState(): void {
    this.keyring.learn(readState(this.db));
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
    return inWriteTransaction(this.db, work);
  }

  private assertOpen(): void {
    if (this.closed) throw new KeyStoreClosedError();
  }
}

function migrate(db: DatabaseSync): void {
  inWriteTransaction(db, () => {
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
      `);
    }
    if (version < 2) {
      db.exec(`
        -- Which master key wraps the row (a fingerprint, key-wrap.ts masterKeyId); NULL only for rows of
        -- version 1 until the first open with the right key fills them in.
        ALTER TABLE data_keys ADD COLUMN master_key_id TEXT;
        CREATE INDEX data_keys_by_master_key ON data_keys (master_key_id, key_id);
      `);
    }
    if (version < SCHEMA_VERSION) db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
  });
}

function readMeta(db: DatabaseSync): Map<string, Uint8Array> {
  const rows = db.prepare('SELECT name, value FROM meta').all() as { name: string; value: Uint8Array }[];
  return new Map(rows.map((row) => [row.name, row.value]));
}

function text(value: Uint8Array): string {
  return Buffer.from(value).toString('utf8');
}

function readState(db: DatabaseSync): MasterKeyState {
  const meta = readMeta(db);
  const currentId = meta.get(META_KEY_ID);
  if (currentId === undefined) throw new Error('Key store: master-key id missing (store not initialised)');
  const rotation = meta.get(META_ROTATION);
  const retired = meta.get(META_RETIRED);
  return {
    currentId: text(currentId),
    rotation: rotation === undefined ? null : decodeRotationRecord(text(rotation)),
    retired: retired === undefined ? [] : (JSON.parse(text(retired)) as RetiredMasterKey[]),
  };
}

/**
 * Initialises a new store under `masterKey`, or checks the key against an existing one: a store of
 * version 1 learns its master-key id here (the key must pass the old check) and its rows are labelled.
 */
function openKeyring(
  db: DatabaseSync,
  file: string,
  masterKey: Uint8Array,
  otherMasterKey: Uint8Array | undefined,
): MasterKeyring {
  return inWriteTransaction(db, () => {
    const id = masterKeyId(masterKey);
    const meta = readMeta(db);
    const insert = db.prepare('INSERT INTO meta (name, value) VALUES (?, ?)');
    let check = meta.get(META_CHECK);
    if (check === undefined) {
      check = createMasterKeyCheck(masterKey);
      insert.run(META_CHECK, check);
      insert.run(META_KEY_ID, Buffer.from(id, 'utf8'));
    } else if (!meta.has(META_KEY_ID)) {
      if (!verifyMasterKeyCheck(masterKey, check)) throw legacyMismatch(file);
      insert.run(META_KEY_ID, Buffer.from(id, 'utf8'));
    }
    const state = readState(db);
    // The check is replaced in the finish's transaction, so it is always under the current key here;
    // the keyring's check accepts the rotation's other key too (see `masterKeyCheckPasses`).
    const keyring = new MasterKeyring(masterKey, state, NAME(file), check, otherMasterKey);
    // Rows of version 1 were all wrapped under the key that passed the check.
    if (state.currentId === id && state.rotation === null) {
      db.prepare('UPDATE data_keys SET master_key_id = ? WHERE master_key_id IS NULL').run(id);
    }
    return keyring;
  });
}

function legacyMismatch(file: string): MasterKeyError {
  return new MasterKeyError(
    'MASTER_KEY_MISMATCH',
    `Der Schlüsselspeicher ${file} wurde mit einem anderen Master-Schlüssel angelegt; mit diesem lassen sich seine Schlüssel nicht öffnen.`,
    `Key store ${file} was created under another master key; this one cannot open its keys.`,
  );
}

/** Callers get their own copy: a caller zeroing or changing it must not poison the cache. */
function dataKey(keyId: string, key: Uint8Array): DataKey {
  return { keyId, key: new Uint8Array(key) };
}

/** Runs synchronous work and reports its outcome (value or exception) as a promise. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(work()));
}
