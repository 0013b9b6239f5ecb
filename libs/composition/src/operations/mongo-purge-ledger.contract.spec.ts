import { randomUUID } from 'node:crypto';
import { MongoDBContainer, type StartedMongoDBContainer } from '@testcontainers/mongodb';
import { MongoClient } from 'mongodb';
import { describeWithContainers } from '../../../../test/support/container-runtime.js';
import { purgeLedgerContract } from './contract/purge-ledger.contract.js';
import { MongoPurgeLedger } from './mongo-purge-ledger.js';

const MONGO_IMAGE = 'mongo:8.0';

describeWithContainers('MongoPurgeLedger (MongoDB 8.0 replica set in a container)', () => {
  let container: StartedMongoDBContainer;
  const uri = () => `${container.getConnectionString()}/?directConnection=true`;

  beforeAll(async () => {
    container = await new MongoDBContainer(MONGO_IMAGE).start();
  }, 300_000);

  afterAll(async () => {
    await container?.stop();
  });

  purgeLedgerContract('MongoDB', async () => {
    const database = `ledger_${randomUUID().replaceAll('-', '')}`;
    return {
      ledger: await MongoPurgeLedger.open({ uri: uri(), database }),
      reopen: () => MongoPurgeLedger.open({ uri: uri(), database }),
      dispose: async () => {
        const client = await MongoClient.connect(uri());
        try {
          await client.db(database).dropDatabase();
        } finally {
          await client.close();
        }
      },
    };
  });
});
