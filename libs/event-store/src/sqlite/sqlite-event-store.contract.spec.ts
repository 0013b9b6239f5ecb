import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contractUpcasters, eventStoreContract } from '../contract/event-store.contract.js';
import { SqliteEventStore } from './sqlite-event-store.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-'));
let stores = 0;

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

eventStoreContract('node:sqlite', async () => {
  stores += 1;
  const store = await SqliteEventStore.open({
    file: path.join(root, `store-${stores}`, 'events.sqlite'),
    chainKey: randomBytes(32),
    upcasters: contractUpcasters(),
    pollIntervalMs: 50,
  });
  return { store, dispose: () => store.close() };
});
