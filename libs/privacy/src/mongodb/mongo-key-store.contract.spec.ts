import { randomBytes, randomUUID } from 'node:crypto';
import { MongoDBContainer, type StartedMongoDBContainer } from '@testcontainers/mongodb';
import { Binary, MongoClient } from 'mongodb';
import { describeWithContainers } from '../../../../test/support/container-runtime.js';
import { keyStoreContract } from '../contract/key-store.contract.js';
import { masterKeyRotationContract } from '../contract/master-key-rotation.contract.js';
import { MasterKeyError } from '../errors.js';
import { DEFAULT_MONGO_KEY_CACHE_TTL_MS, MongoKeyStore } from './mongo-key-store.js';

/** Pinned: MongoDB 8.0 is the current long-term release line; the module starts it as a replica set. */
const MONGO_IMAGE = 'mongo:8.0';

describeWithContainers('MongoKeyStore (MongoDB 8.0 replica set in a container)', () => {
  let container: StartedMongoDBContainer;
  // The module initiates rs0 with the container's own host name; the driver must not try to reach it.
  const uri = () => `${container.getConnectionString()}/?directConnection=true`;

  beforeAll(async () => {
    container = await new MongoDBContainer(MONGO_IMAGE).start();
  }, 300_000);

  afterAll(async () => {
    await container?.stop();
  });

  const dropDatabase = async (database: string): Promise<void> => {
    const client = await MongoClient.connect(uri());
    try {
      await client.db(database).dropDatabase();
    } finally {
      await client.close();
    }
  };

  keyStoreContract('MongoDB without a cache', async () => {
    const database = `keys_${randomUUID().replaceAll('-', '')}`;
    const masterKey = randomBytes(32);
    const store = await MongoKeyStore.open({ uri: uri(), database, masterKey, cacheTtlMs: 0 });
    return {
      store,
      reopen: () => MongoKeyStore.open({ uri: uri(), database, masterKey, cacheTtlMs: 0 }),
      dispose: () => dropDatabase(database),
    };
  });

  keyStoreContract('MongoDB with the default key cache', async () => {
    const database = `keys_${randomUUID().replaceAll('-', '')}`;
    const masterKey = randomBytes(32);
    // One clock for every store of the suite: the test moves it past the cache's lifetime.
    let now = 0;
    const clock = () => now;
    const store = await MongoKeyStore.open({ uri: uri(), database, masterKey, now: clock });
    return {
      store,
      reopen: () => MongoKeyStore.open({ uri: uri(), database, masterKey, now: clock }),
      dispose: () => dropDatabase(database),
      crossStoreDestroyWindow: {
        windowMs: DEFAULT_MONGO_KEY_CACHE_TTL_MS,
        advance: (ms) => {
          now += ms;
        },
      },
    };
  });

  masterKeyRotationContract('MongoDB', () => {
    const database = `keys_${randomUUID().replaceAll('-', '')}`;
    return Promise.resolve({
      // No key cache: the suite expects a destroy through one store to blind the others at once, which the
      // cache allows only after its lifetime (the key-store contract covers that window).
      open: (masterKey, options) => MongoKeyStore.open({ uri: uri(), database, masterKey, cacheTtlMs: 0, ...options }),
      // What a backup of the key database holds (the oplog keeps what was written meanwhile, too).
      storedBytes: async () => {
        const client = await MongoClient.connect(uri());
        try {
          const db = client.db(database);
          const chunks: Uint8Array[] = [];
          for (const name of ['meta', 'data_keys']) {
            for (const doc of await db.collection(name).find({}).toArray()) {
              for (const value of Object.values(doc)) {
                if (value instanceof Binary) chunks.push(value.value());
                else if (typeof value === 'string') chunks.push(Buffer.from(value, 'utf8'));
              }
            }
          }
          return chunks;
        } finally {
          await client.close();
        }
      },
      dispose: () => dropDatabase(database),
    });
  });

  describe('MongoKeyStore specifics', () => {
    it('refuses to open a key database under another master key', async () => {
      const database = `keys_${randomUUID().replaceAll('-', '')}`;
      const first = await MongoKeyStore.open({ uri: uri(), database, masterKey: randomBytes(32) });
      await first.getOrCreate('review:1');
      await first.close();
      await expect(MongoKeyStore.open({ uri: uri(), database, masterKey: randomBytes(32) })).rejects.toBeInstanceOf(
        MasterKeyError,
      );
    });

    it('stores only wrapped keys and keeps only the id of a destroyed key', async () => {
      const database = `keys_${randomUUID().replaceAll('-', '')}`;
      const store = await MongoKeyStore.open({ uri: uri(), database, masterKey: randomBytes(32) });
      const client = await MongoClient.connect(uri());
      try {
        const { key } = await store.getOrCreate('review:plain');
        const raw = await client
          .db(database)
          .collection('data_keys')
          .findOne({ _id: 'review:plain' as never });
        expect(raw).not.toBeNull();
        expect(JSON.stringify(raw)).not.toContain(Buffer.from(key).toString('base64'));
        await store.destroy('review:plain');
        expect(
          await client
            .db(database)
            .collection('data_keys')
            .countDocuments({ _id: 'review:plain' as never }),
        ).toBe(0);
        const tombstone = await client
          .db(database)
          .collection('destroyed_keys')
          .findOne({ _id: 'review:plain' as never });
        expect(Object.keys(tombstone ?? {}).sort()).toEqual(['_id', 'destroyedAt']);
      } finally {
        await client.close();
        await store.close();
      }
    });
  });
});
