import { randomUUID } from 'node:crypto';
import { MongoDBContainer, type StartedMongoDBContainer } from '@testcontainers/mongodb';
import { describeWithContainers } from '../../../../test/support/container-runtime.js';
import { checkpointStoreContract } from '../contract/checkpoint-store.contract.js';
import { documentStoreContract } from '../contract/document-store.contract.js';
import type { ReadStoreUnderTest } from '../contract/read-store-under-test.js';
import { MongoReadStore } from './mongo-read-store.js';

/** Pinned: MongoDB 8.0 is the current long-term release line; the module starts it as a replica set. */
const MONGO_IMAGE = 'mongo:8.0';

describeWithContainers('MongoReadStore (MongoDB 8.0 replica set in a container)', () => {
  let container: StartedMongoDBContainer;
  // The module initiates rs0 with the container's own host name; the driver must not try to reach it.
  const uri = () => `${container.getConnectionString()}/?directConnection=true`;

  beforeAll(async () => {
    container = await new MongoDBContainer(MONGO_IMAGE).start();
  }, 300_000);

  afterAll(async () => {
    await container?.stop();
  });

  const open = async (): Promise<ReadStoreUnderTest> => {
    const store = await MongoReadStore.open({ uri: uri(), database: `read_${randomUUID().replaceAll('-', '')}` });
    return { documents: store.documents, checkpoints: store.checkpoints, close: () => store.close() };
  };

  documentStoreContract('MongoDB 8.0', open);
  checkpointStoreContract('MongoDB 8.0', open);

  // The contract's commit tests keep one write per document; a batch may also touch one twice.
  describe('MongoReadStore specifics', () => {
    it('applies several writes to one document in a batch in their order, although bulk writes are unordered', async () => {
      const store = await MongoReadStore.open({ uri: uri(), database: `read_${randomUUID().replaceAll('-', '')}` });
      try {
        await store.documents.commit(
          [
            { op: 'put', collection: 'c', doc: { _id: 'a', _position: 1, v: 1 } },
            { op: 'delete', collection: 'c', id: 'a' },
            { op: 'put', collection: 'c', doc: { _id: 'b', _position: 1, v: 1 } },
            { op: 'put', collection: 'c', doc: { _id: 'b', _position: 2, v: 2 } },
            { op: 'delete', collection: 'c', id: 'b' },
            { op: 'put', collection: 'c', doc: { _id: 'b', _position: 3, v: 3 } },
          ],
          { name: 'batch', position: 3 },
        );
        expect(await store.documents.find('c')).toEqual([{ _id: 'b', _position: 3, v: 3 }]);
        expect(await store.documents.listCollections()).toEqual(['c']);
      } finally {
        await store.close();
      }
    });
  });
});
