import { DocumentLease, LEASE_COLLECTION } from './lease.js';
import { LeasedWork } from './leased-work.js';
import { openTestStores, type TestStores, until } from './testing/projection-fixtures.js';

/** Two processes (here: two read store connections on one file) share work guarded by one lease. */
describe('LeasedWork (embedded read store)', () => {
  let stores: TestStores;
  const running = new Set<string>();
  let most = 0;
  const workers: LeasedWork[] = [];

  beforeEach(async () => {
    stores = await openTestStores();
    running.clear();
    attempts.clear();
    stops.length = 0;
    most = 0;
  });

  afterEach(async () => {
    for (const worker of workers.splice(0)) await worker.stop();
    await stores.close();
  });

  const attempts = new Map<string, number>();
  const stops: string[] = [];

  function worker(owner: string, documentStore = stores.openReadStore().documents): LeasedWork {
    const lease = new DocumentLease({ documentStore, key: 'reactors', owner, ttlMs: 2_000 });
    const acquire = lease.acquire.bind(lease);
    lease.acquire = () => {
      attempts.set(owner, (attempts.get(owner) ?? 0) + 1);
      return acquire();
    };
    const work = new LeasedWork({
      lease,
      start: () => {
        running.add(owner);
        most = Math.max(most, running.size);
        return {
          stop: (why) => {
            running.delete(owner);
            stops.push(`${owner}:${why}`);
            return Promise.resolve();
          },
        };
      },
      intervalMs: 20,
    });
    workers.push(work);
    return work;
  }

  it('runs the work in one process at a time and hands it over when the holder stops', async () => {
    const a = worker('a');
    const b = worker('b');
    a.start();
    await until(() => running.has('a'), 5_000, 'a holds');
    b.start();
    // b keeps trying while a renews: it never runs beside a.
    await until(() => (attempts.get('b') ?? 0) >= 3, 5_000, 'b tried several times');
    expect(b.holding).toBe(false);
    expect(running.has('b')).toBe(false);
    await a.stop();
    expect(stops).toEqual(['a:shutdown']);
    expect(running.has('a')).toBe(false);
    await until(() => running.has('b'), 5_000, 'b takes over');
    expect(most).toBe(1);
  });

  it('stops the work as soon as a renewal finds the lease taken by another process', async () => {
    const a = worker('a');
    a.start();
    await until(() => running.has('a'), 5_000, 'a holds');
    // Another process took the lease (e.g. after a's renewals were delayed past the TTL).
    await stores.documentStore.put(LEASE_COLLECTION, {
      _id: 'reactors',
      owner: 'intruder',
      expiresAt: Date.now() + 60_000,
      acquiredAt: new Date().toISOString(),
      renewedAt: new Date().toISOString(),
    });
    await until(() => !running.has('a'), 5_000, 'a stops its work');
    expect(a.holding).toBe(false);
    // Told that the lease was lost, so it writes nothing on the way out.
    expect(stops).toEqual(['a:lost']);
  });
});
