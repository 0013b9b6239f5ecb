import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkpointStoreContract } from '../contract/checkpoint-store.contract.js';
import { documentStoreContract } from '../contract/document-store.contract.js';
import type { ReadStoreUnderTest } from '../contract/read-store-under-test.js';
import { EmbeddedReadStore } from './embedded-read-store.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let opened = 0;
const openEmbedded = (): Promise<ReadStoreUnderTest> => {
  opened += 1;
  const store = EmbeddedReadStore.open({ file: path.join(dir, `read-store-${opened}.sqlite`) });
  return Promise.resolve({ documents: store.documents, checkpoints: store.checkpoints, close: () => store.close() });
};

documentStoreContract('embedded (node:sqlite + mingo)', openEmbedded);
checkpointStoreContract('embedded (node:sqlite)', openEmbedded);

// The same contracts through a second instance on a file another instance writes to, so every read there
// goes through the cross-connection cache refresh rather than only seeing its own writes.
const sharedFile = path.join(dir, 'shared.sqlite');
const openSplit = (): Promise<ReadStoreUnderTest> => {
  const writer = EmbeddedReadStore.open({ file: sharedFile });
  const reader = EmbeddedReadStore.open({ file: sharedFile });
  const w = writer.documents;
  const r = reader.documents;
  return Promise.resolve({
    documents: {
      get: (c, id) => r.get(c, id),
      find: (c, f, o) => r.find(c, f, o),
      count: (c, f) => r.count(c, f),
      aggregate: (c, p) => r.aggregate(c, p),
      resolve: (c) => r.resolve(c),
      listCollections: () => r.listCollections(),
      put: (c, d) => w.put(c, d),
      delete: (c, id) => w.delete(c, id),
      commit: (ws, cp) => w.commit(ws, cp),
      switchAlias: (a, p) => w.switchAlias(a, p),
      dropCollection: (p) => w.dropCollection(p),
      close: async () => {
        await reader.close();
        await writer.close();
      },
    },
    checkpoints: reader.checkpoints,
    close: async () => {
      await reader.close();
      await writer.close();
    },
  });
};
documentStoreContract('embedded, written by one instance and read by another', openSplit);
