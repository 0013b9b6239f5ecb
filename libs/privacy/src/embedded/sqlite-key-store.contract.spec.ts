import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { keyStoreContract } from '../contract/key-store.contract.js';
import { masterKeyRotationContract } from '../contract/master-key-rotation.contract.js';
import { SqliteKeyStore } from './sqlite-key-store.js';

keyStoreContract('embedded SQLite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-'));
  const file = path.join(dir, 'keys', 'keys.sqlite');
  const masterKey = randomBytes(32);
  return Promise.resolve({
    store: SqliteKeyStore.open({ file, masterKey }),
    reopen: () => Promise.resolve(SqliteKeyStore.open({ file, masterKey })),
    dispose: () => Promise.resolve(fs.rmSync(dir, { recursive: true, force: true })),
  });
});

keyStoreContract('embedded SQLite without a cache', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-'));
  const file = path.join(dir, 'keys.sqlite');
  const masterKey = randomBytes(32);
  return Promise.resolve({
    store: SqliteKeyStore.open({ file, masterKey, cacheSize: 0 }),
    reopen: () => Promise.resolve(SqliteKeyStore.open({ file, masterKey, cacheSize: 0 })),
    dispose: () => Promise.resolve(fs.rmSync(dir, { recursive: true, force: true })),
  });
});

masterKeyRotationContract('embedded SQLite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-'));
  const file = path.join(dir, 'keys', 'keys.sqlite');
  return Promise.resolve({
    // As a promise also when opening fails (the store opens synchronously).
    open: (masterKey, options) =>
      new Promise<SqliteKeyStore>((resolve) => resolve(SqliteKeyStore.open({ file, masterKey, ...options }))),
    storedBytes: () =>
      Promise.resolve([file, `${file}-wal`].filter((name) => fs.existsSync(name)).map((name) => fs.readFileSync(name))),
    dispose: () => Promise.resolve(fs.rmSync(dir, { recursive: true, force: true })),
  });
});
