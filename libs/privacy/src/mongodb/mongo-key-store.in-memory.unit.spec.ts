import { randomBytes, randomUUID } from 'node:crypto';
import { Binary } from 'mongodb';
import { keyStoreContract } from '../contract/key-store.contract.js';
import { masterKeyRotationContract } from '../contract/master-key-rotation.contract.js';
import { masterKeyId } from '../key-wrap.js';
import { InMemoryMongo, type FakeMongoCall } from '../testing/in-memory-mongo.js';
import { DEFAULT_MONGO_KEY_CACHE_TTL_MS, MongoKeyStore } from './mongo-key-store.js';

/**
 * `MongoKeyStore`'s own logic over an in-memory fake of the driver calls it makes (see
 * `testing/in-memory-mongo.ts`): the shared contract suites, and the interleavings a real server would
 * make hard to hit on purpose. The real server runs the same suites in `mongo-key-store.contract.spec.ts`
 * where a container runtime answers.
 */
const bytesOf = (mongo: InMemoryMongo, database: string): Uint8Array[] => {
  const chunks: Uint8Array[] = [];
  for (const name of ['meta', 'data_keys']) {
    for (const doc of mongo.documents(database, name)) {
      for (const value of Object.values(doc)) {
        if (value instanceof Binary) chunks.push(value.value());
        else if (typeof value === 'string') chunks.push(Buffer.from(value, 'utf8'));
      }
    }
  }
  return chunks;
};

keyStoreContract('MongoDB driver fake, default key cache', () => {
  const mongo = new InMemoryMongo();
  const database = `keys_${randomUUID()}`;
  const masterKey = randomBytes(32);
  let now = 0;
  const open = () => MongoKeyStore.open({ client: mongo.client(), database, masterKey, now: () => now });
  return open().then((store) => ({
    store,
    reopen: open,
    crossStoreDestroyWindow: {
      windowMs: DEFAULT_MONGO_KEY_CACHE_TTL_MS,
      advance: (ms: number) => {
        now += ms;
      },
    },
  }));
});

masterKeyRotationContract('MongoDB driver fake', () => {
  const mongo = new InMemoryMongo();
  const database = `keys_${randomUUID()}`;
  return Promise.resolve({
    // No key cache: the suite expects a destroy through one store to blind the others at once, which the
    // cache allows only after its lifetime (the key-store contract covers that window).
    open: (masterKey, options) =>
      MongoKeyStore.open({ client: mongo.client(), database, masterKey, cacheTtlMs: 0, ...options }),
    storedBytes: () => Promise.resolve(bytesOf(mongo, database)),
  });
});

/** A gate a fake call waits at until the test opens it. */
function gate(): { reached: Promise<void>; arrive: () => Promise<void>; open: () => void } {
  let arrived!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => (arrived = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  return {
    reached,
    arrive: () => {
      arrived();
      return released;
    },
    open: () => release(),
  };
}

describe('MongoKeyStore over the driver fake: destroy and the key cache', () => {
  const database = 'keys';
  const isTombstoneWrite = (call: FakeMongoCall) => call.collection === 'destroyed_keys' && call.method === 'updateOne';
  const isLookup = (call: FakeMongoCall) => call.collection === 'data_keys' && call.method === 'aggregate';

  const setUp = async () => {
    const mongo = new InMemoryMongo();
    const masterKey = randomBytes(32);
    // A clock that never moves: a cached key would be served for as long as the test runs.
    const open = () =>
      MongoKeyStore.open({ client: mongo.client(), database, masterKey, now: () => 0, pollIntervalMs: 0 });
    const store = await open();
    await store.getOrCreate('review:purged');
    return { mongo, store, open };
  };

  it.each(['get', 'getOrCreate'] as const)(
    'a %s that begins after the eviction and reads before the tombstone exists does not leave the key cached',
    async (method) => {
      const { mongo, store } = await setUp();
      const tombstone = gate();
      mongo.hooks.before = (call) => (isTombstoneWrite(call) ? tombstone.arrive() : undefined);
      const destroying = store.destroy('review:purged');
      await tombstone.reached;
      // Begins after the destroy evicted the key, finds it because the tombstone is not written yet.
      const during = await store[method]('review:purged');
      expect(during).not.toBeNull();
      tombstone.open();
      await destroying;

      mongo.hooks.before = undefined;
      // After destroy() resolved, this process must not serve the key (not even from its cache).
      expect(await store.get('review:purged')).toBeNull();
      await expect(store.getOrCreate('review:purged')).rejects.toMatchObject({ code: 'KEY_DESTROYED' });
      await store.close();
    },
  );

  it('a read that found the key before the tombstone and returns after the destroy does not put it back', async () => {
    const { mongo, store } = await setUp();
    const tombstone = gate();
    const lookupBack = gate();
    mongo.hooks.before = (call) => (isTombstoneWrite(call) ? tombstone.arrive() : undefined);
    const destroying = store.destroy('review:purged');
    await tombstone.reached;
    mongo.hooks.after = (call) => (isLookup(call) ? lookupBack.arrive() : undefined);
    const reading = store.get('review:purged');
    await lookupBack.reached;
    mongo.hooks.after = undefined;
    tombstone.open();
    await destroying;
    // The read saw the key while the destroy ran (concurrent, so it may return it) ...
    lookupBack.open();
    expect(await reading).not.toBeNull();
    // ... but nothing it found may be served once the destroy resolved.
    mongo.hooks.before = undefined;
    expect(await store.get('review:purged')).toBeNull();
    await store.close();
  });

  it('a read under way before the destroy began does not put the key back either (the eviction token)', async () => {
    const { mongo, store, open } = await setUp();
    // Another store with an empty cache: its read goes to storage.
    const other = await open();
    const lookupBack = gate();
    mongo.hooks.after = (call) => (isLookup(call) ? lookupBack.arrive() : undefined);
    const reading = other.get('review:purged');
    await lookupBack.reached;
    mongo.hooks.after = undefined;
    await other.destroy('review:purged');
    lookupBack.open();
    expect(await reading).not.toBeNull();
    expect(await other.get('review:purged')).toBeNull();
    await other.close();
    await store.close();
  });
});

describe('MongoKeyStore over the driver fake: a finish interrupted between its writes', () => {
  const database = 'keys';
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);
  const idA = masterKeyId(keyA);
  const idB = masterKeyId(keyB);

  /** A store under A with 3 keys, rotated to B up to the finish, which crashes after `writes` of its writes. */
  const crashedFinish = async (writes: number, offline: boolean) => {
    const mongo = new InMemoryMongo();
    const store = await MongoKeyStore.open({ client: mongo.client(), database, masterKey: keyA, pollIntervalMs: 0 });
    const keys = new Map<string, string>();
    for (const id of ['review:1', 'review:2', 'review:3']) {
      keys.set(id, Buffer.from((await store.getOrCreate(id)).key).toString('hex'));
    }
    await store.beginMasterKeyRotation(keyB, new Date(), { offline });
    while ((await store.rewrapBatch(10)).remaining > 0);
    let done = 0;
    mongo.hooks.before = (call) => {
      if (call.collection !== 'meta' || !call.method.startsWith('bulkWrite.')) return;
      if (done === writes) throw new Error(`crash after ${writes} of the finish's writes`);
      done += 1;
    };
    await expect(store.finishMasterKeyRotation(new Date())).rejects.toThrow(/crash after/u);
    mongo.hooks.before = undefined;
    await store.close();
    return { mongo, keys };
  };
  const readAll = async (store: MongoKeyStore, keys: Map<string, string>) => {
    for (const [id, key] of keys) expect(Buffer.from((await store.get(id))!.key).toString('hex')).toBe(key);
  };

  // The finish writes: check, key id, retired marker, delete of the record. A crash after 0..3 of them.
  it.each([0, 1, 2, 3])(
    'online, after %i writes: opens with the old key and with the new one, and finishes',
    async (writes) => {
      const { mongo, keys } = await crashedFinish(writes, false);
      for (const key of [keyA, keyB]) {
        const store = await MongoKeyStore.open({ client: mongo.client(), database, masterKey: key, pollIntervalMs: 0 });
        await readAll(store, keys);
        await store.close();
      }
      const resumed = await MongoKeyStore.open({
        client: mongo.client(),
        database,
        masterKey: keyA,
        pollIntervalMs: 0,
      });
      await resumed.finishMasterKeyRotation(new Date());
      expect(await resumed.masterKeyStatus()).toEqual({
        currentMasterKeyId: idB,
        rotation: null,
        keysByMasterKey: { [idB]: 3 },
      });
      await resumed.close();
      await expect(
        MongoKeyStore.open({ client: mongo.client(), database, masterKey: keyA, pollIntervalMs: 0 }),
      ).rejects.toMatchObject({ code: 'MASTER_KEY_ROTATED' });
      await readAll(
        await MongoKeyStore.open({ client: mongo.client(), database, masterKey: keyB, pollIntervalMs: 0 }),
        keys,
      );
    },
  );

  it.each([0, 1, 2, 3])(
    'offline, after %i writes: refused without both keys, opens with both and finishes',
    async (writes) => {
      const { mongo, keys } = await crashedFinish(writes, true);
      for (const key of [keyA, keyB]) {
        await expect(
          MongoKeyStore.open({ client: mongo.client(), database, masterKey: key, pollIntervalMs: 0 }),
        ).rejects.toMatchObject({ code: 'MASTER_KEY_ROTATION_IN_PROGRESS' });
      }
      const resumed = await MongoKeyStore.open({
        client: mongo.client(),
        database,
        masterKey: keyA,
        otherMasterKey: keyB,
        pollIntervalMs: 0,
      });
      await readAll(resumed, keys);
      expect((await resumed.masterKeyStatus()).rotation).toMatchObject({ from: idA, to: idB, mode: 'offline' });
      await resumed.finishMasterKeyRotation(new Date());
      await resumed.close();
      await readAll(
        await MongoKeyStore.open({ client: mongo.client(), database, masterKey: keyB, pollIntervalMs: 0 }),
        keys,
      );
    },
  );
});
