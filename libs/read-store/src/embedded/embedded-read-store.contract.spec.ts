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
const openEmbedded = (writerThread: boolean) => (): Promise<ReadStoreUnderTest> => {
  opened += 1;
  const store = EmbeddedReadStore.open({ file: path.join(dir, `read-store-${opened}.sqlite`), writerThread });
  return Promise.resolve({ documents: store.documents, checkpoints: store.checkpoints, close: () => store.close() });
};

documentStoreContract('embedded (node:sqlite + mingo), writes inline', openEmbedded(false));
checkpointStoreContract('embedded (node:sqlite), writes inline', openEmbedded(false));
documentStoreContract('embedded (node:sqlite + mingo), writes on a writer thread', openEmbedded(true));
checkpointStoreContract('embedded (node:sqlite), writes on a writer thread', openEmbedded(true));

// The same contracts through a second instance on a file another instance writes to, so every read there
// goes through the cross-connection cache refresh rather than only seeing its own writes.
const openSplit = (writerThread: boolean) => (): Promise<ReadStoreUnderTest> => {
  opened += 1;
  const sharedFile = path.join(dir, `shared-${opened}.sqlite`);
  const writer = EmbeddedReadStore.open({ file: sharedFile, writerThread });
  const reader = EmbeddedReadStore.open({ file: sharedFile });
  const w = writer.documents;
  const r = reader.documents;
  const close = async (): Promise<void> => {
    await reader.close();
    await writer.close();
  };
  return Promise.resolve({
    documents: {
      get: (c, id) => r.get(c, id),
      getMany: (c, ids) => r.getMany(c, ids),
      find: (c, f, o) => r.find(c, f, o),
      count: (c, f) => r.count(c, f),
      aggregate: (c, p) => r.aggregate(c, p),
      resolve: (c) => r.resolve(c),
      listCollections: () => r.listCollections(),
      put: (c, d) => w.put(c, d),
      delete: (c, id) => w.delete(c, id),
      putIf: (c, d, condition) => w.putIf(c, d, condition),
      deleteIf: (c, id, matches) => w.deleteIf(c, id, matches),
      ensureIndexes: (p, specs) => w.ensureIndexes(p, specs),
      commit: (ws, cp) => w.commit(ws, cp),
      switchAlias: (a, p) => w.switchAlias(a, p),
      dropCollection: (p) => w.dropCollection(p),
      close,
    },
    // Reads of checkpoints on the reader, writes through the writer: one order with the documents.
    checkpoints: {
      load: (name) => reader.checkpoints.load(name),
      list: () => reader.checkpoints.list(),
      save: (name, position) => writer.checkpoints.save(name, position),
      delete: (name) => writer.checkpoints.delete(name),
    },
    close,
  });
};
documentStoreContract('embedded, written by one instance (inline) and read by another', openSplit(false));
documentStoreContract('embedded, written by one instance (writer thread) and read by another', openSplit(true));
