import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Envelope } from '../envelope.js';
import { DecryptionFailedError, KeyStoreClosedError, MasterKeyError } from '../errors.js';
import { KeyDestroyedError } from '../key-store.port.js';
import { createMasterKeyCheck, masterKeyId, unwrapDataKey, wrapDataKey } from '../key-wrap.js';
import { rotateMasterKey } from '../master-key-rotation.js';
import { SqliteKeyStore } from './sqlite-key-store.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let counter = 0;
function freshFile(): string {
  counter += 1;
  return path.join(root, `case-${counter}`, 'keys.sqlite');
}

/** Every file SQLite may keep bytes in for this database. */
function storeFiles(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`, `${file}-journal`].filter((f) => fs.existsSync(f));
}

function filesContaining(file: string, needle: Buffer): string[] {
  return storeFiles(file).filter((f) => fs.readFileSync(f).includes(needle));
}

/** The wrapped key exactly as stored, read through a separate connection. */
function wrappedBytes(file: string, keyId: string): Buffer | null {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const row = db.prepare('SELECT wrapped FROM data_keys WHERE key_id = ?').get(keyId) as
      { wrapped: Uint8Array } | undefined;
    return row === undefined ? null : Buffer.from(row.wrapped);
  } finally {
    db.close();
  }
}

describe('SqliteKeyStore on disk', () => {
  it('leaves no byte of a destroyed key, wrapped or clear, in the database, WAL or shared-memory file', async () => {
    const file = freshFile();
    const store = SqliteKeyStore.open({ file, masterKey: randomBytes(32) });
    // Enough keys to split b-tree pages, so old copies of cells would have had a chance to linger.
    const ids = Array.from({ length: 600 }, (_, i) => `review:${i}`);
    const keys = new Map<string, Buffer>();
    for (const id of ids) keys.set(id, Buffer.from((await store.getOrCreate(id)).key));
    const victims = ids.filter((_, i) => i % 7 === 3);
    const wrapped = new Map(victims.map((id) => [id, wrappedBytes(file, id)!]));

    // The scan can see stored bytes: before the destroy every wrapped victim is found somewhere.
    for (const id of victims) expect(filesContaining(file, wrapped.get(id)!)).not.toEqual([]);
    // Data keys are never stored in clear, not even while they live.
    for (const id of victims) expect(filesContaining(file, keys.get(id)!)).toEqual([]);

    for (const id of victims) await store.destroy(id);
    // Writes after the destroy must not resurrect anything either.
    for (let i = 0; i < 50; i++) await store.getOrCreate(`after:${i}`);

    expect(storeFiles(file).length).toBeGreaterThanOrEqual(1);
    for (const id of victims) {
      expect({ id, files: filesContaining(file, wrapped.get(id)!) }).toEqual({ id, files: [] });
      expect({ id, files: filesContaining(file, keys.get(id)!) }).toEqual({ id, files: [] });
      // Half of the wrapped key (e.g. the ciphertext part) is not left either.
      expect(filesContaining(file, wrapped.get(id)!.subarray(29))).toEqual([]);
    }
    // Survivors are untouched.
    const survivor = ids.find((id) => !victims.includes(id))!;
    expect(Buffer.from((await store.get(survivor))!.key).equals(keys.get(survivor)!)).toBe(true);
    await store.close();

    const db = new DatabaseSync(file, { readOnly: true });
    const tombstones = db.prepare('SELECT * FROM destroyed_keys ORDER BY key_id').all();
    db.close();
    expect(tombstones).toHaveLength(victims.length);
    // The tombstone table holds the id and nothing else.
    expect(Object.keys(tombstones[0]!)).toEqual(['key_id']);
  });

  it('truncates the WAL to nothing when a key is destroyed', async () => {
    const file = freshFile();
    const store = SqliteKeyStore.open({ file, masterKey: randomBytes(32) });
    await store.getOrCreate('review:wal');
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
    await store.destroy('review:wal');
    expect(fs.statSync(`${file}-wal`).size).toBe(0);
    await store.close();
  });

  it('refuses to open with another master key, and a wrapped key does not unwrap under it', async () => {
    const file = freshFile();
    const masterKey = randomBytes(32);
    const store = SqliteKeyStore.open({ file, masterKey });
    const created = await store.getOrCreate('review:wrong-master');
    await store.close();

    const other = randomBytes(32);
    let failure: unknown = null;
    try {
      SqliteKeyStore.open({ file, masterKey: other });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(MasterKeyError);
    expect((failure as MasterKeyError).code).toBe('MASTER_KEY_MISMATCH');
    expect((failure as MasterKeyError).message).toMatch(/Master-Schlüssel[\s\S]*master key/u);

    const wrapped = wrappedBytes(file, 'review:wrong-master')!;
    expect(() => unwrapDataKey(other, 'review:wrong-master', wrapped)).toThrow(DecryptionFailedError);
    expect(unwrapDataKey(masterKey, 'review:wrong-master', wrapped).equals(Buffer.from(created.key))).toBe(true);
  });

  it('does not unwrap a wrapped key moved onto another key id', async () => {
    const file = freshFile();
    const masterKey = randomBytes(32);
    const store = SqliteKeyStore.open({ file, masterKey });
    const source = await store.getOrCreate('review:source');
    await store.getOrCreate('review:target');
    await store.close();

    const db = new DatabaseSync(file);
    db.prepare(
      `UPDATE data_keys SET wrapped = (SELECT wrapped FROM data_keys WHERE key_id = 'review:source') WHERE key_id = 'review:target'`,
    ).run();
    db.close();

    const reopened = SqliteKeyStore.open({ file, masterKey });
    await expect(reopened.get('review:target')).rejects.toBeInstanceOf(DecryptionFailedError);
    await expect(reopened.getOrCreate('review:target')).rejects.toBeInstanceOf(DecryptionFailedError);
    expect(Buffer.from((await reopened.get('review:source'))!.key).equals(Buffer.from(source.key))).toBe(true);
    await reopened.close();
  });

  it('creates its file readable by the owner only', async () => {
    const file = freshFile();
    const store = SqliteKeyStore.open({ file, masterKey: randomBytes(32) });
    await store.getOrCreate('review:mode');
    for (const f of storeFiles(file)) expect((fs.statSync(f).mode & 0o777).toString(8)).toBe('600');
    expect((fs.statSync(path.dirname(file)).mode & 0o777).toString(8)).toBe('700');
    await store.close();
  });

  it('fails every call after close with KeyStoreClosedError', async () => {
    const store = SqliteKeyStore.open({ file: freshFile(), masterKey: randomBytes(32) });
    await store.close();
    await store.close();
    await expect(store.getOrCreate('review:closed')).rejects.toBeInstanceOf(KeyStoreClosedError);
    await expect(store.get('review:closed')).rejects.toBeInstanceOf(KeyStoreClosedError);
    await expect(store.destroy('review:closed')).rejects.toBeInstanceOf(KeyStoreClosedError);
    await expect(store.isDestroyed('review:closed')).rejects.toBeInstanceOf(KeyStoreClosedError);
  });

  it('keeps serving correct keys when the cache is smaller than the working set', async () => {
    const file = freshFile();
    const store = SqliteKeyStore.open({ file, masterKey: randomBytes(32), cacheSize: 2 });
    const first = await Promise.all(['a', 'b', 'c', 'd'].map((n) => store.getOrCreate(`review:${n}`)));
    for (const key of first) {
      expect(Buffer.from((await store.get(key.keyId))!.key).equals(Buffer.from(key.key))).toBe(true);
    }
    await store.destroy('review:a');
    expect(await store.get('review:a')).toBeNull();
    await expect(new Envelope(store).seal('review:a', 'x')).rejects.toBeInstanceOf(KeyDestroyedError);
    await store.close();
  });

  it('opens a file of schema version 1 (an older backup): migrates it, labels its rows, keeps every key', async () => {
    const file = freshFile();
    const masterKey = randomBytes(32);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Exactly what version 1 wrote.
    const v1 = new DatabaseSync(file);
    v1.exec(`
      PRAGMA journal_mode = WAL;
      CREATE TABLE data_keys (key_id TEXT PRIMARY KEY, wrapped BLOB NOT NULL) STRICT;
      CREATE TABLE destroyed_keys (key_id TEXT PRIMARY KEY) STRICT;
      CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB NOT NULL) STRICT;
      PRAGMA user_version = 1;
    `);
    v1.prepare(`INSERT INTO meta (name, value) VALUES ('master-check', ?)`).run(createMasterKeyCheck(masterKey));
    const keys = new Map<string, Buffer>();
    for (const id of ['review:old-1', 'review:old-2', 'system:chain']) {
      const key = randomBytes(32);
      keys.set(id, key);
      v1.prepare('INSERT INTO data_keys (key_id, wrapped) VALUES (?, ?)').run(id, wrapDataKey(masterKey, id, key));
    }
    v1.prepare(`INSERT INTO destroyed_keys (key_id) VALUES ('review:gone')`).run();
    v1.close();
    fs.chmodSync(file, 0o600);

    // The wrong key is refused and labels nothing; the right one then opens it.
    expect(() => SqliteKeyStore.open({ file, masterKey: randomBytes(32) })).toThrow(MasterKeyError);
    const store = SqliteKeyStore.open({ file, masterKey });
    for (const [id, key] of keys) expect(Buffer.from((await store.get(id))!.key).equals(key)).toBe(true);
    expect(await store.isDestroyed('review:gone')).toBe(true);
    expect(await store.masterKeyStatus()).toEqual({
      currentMasterKeyId: masterKeyId(masterKey),
      rotation: null,
      keysByMasterKey: { [masterKeyId(masterKey)]: 3 },
    });
    await store.close();

    const db = new DatabaseSync(file, { readOnly: true });
    expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: 2 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM data_keys WHERE master_key_id IS NULL').get()).toEqual({ n: 0 });
    db.close();

    // And a migrated file rotates like any other.
    const next = randomBytes(32);
    const rotating = SqliteKeyStore.open({ file, masterKey });
    await rotateMasterKey(rotating, next, { handoverGraceMs: 0 });
    await rotating.close();
    const reopened = SqliteKeyStore.open({ file, masterKey: next });
    for (const [id, key] of keys) expect(Buffer.from((await reopened.get(id))!.key).equals(key)).toBe(true);
    await reopened.close();
  });

  it('leaves no key wrapped under the old master key, nor the handover, in the database, WAL or shared memory after a rotation', async () => {
    const file = freshFile();
    const oldKey = randomBytes(32);
    const store = SqliteKeyStore.open({ file, masterKey: oldKey });
    const ids = Array.from({ length: 200 }, (_, i) => `review:${i}`);
    for (const id of ids) await store.getOrCreate(id);
    const before = new Map(ids.map((id) => [id, wrappedBytes(file, id)!]));
    for (const id of ids.slice(0, 5)) expect(filesContaining(file, before.get(id)!)).not.toEqual([]);

    await rotateMasterKey(store, randomBytes(32), { batchSize: 64, handoverGraceMs: 0 });
    for (const id of ids) {
      expect({ id, files: filesContaining(file, before.get(id)!.subarray(29)) }).toEqual({ id, files: [] });
    }
    const meta = new DatabaseSync(file, { readOnly: true });
    expect(
      meta
        .prepare(`SELECT name FROM meta ORDER BY name`)
        .all()
        .map((row) => row['name']),
    ).toEqual(['master-check', 'master-key-id', 'master-key-retired']);
    meta.close();
    await store.close();
  });
});
