import path from 'node:path';
import { type DocumentStore, EmbeddedReadStore } from '@pruefpfad/read-store';
import { DocumentLease, LEASE_COLLECTION, type LeaseRecord } from './lease.js';
import { LeaseLostError } from './projection-status.js';
import { openTestStores, type TestStores } from './testing/projection-fixtures.js';

const WRITES = new Set<PropertyKey>(['put', 'putIf', 'delete', 'deleteIf']);

interface HeldWrite {
  /** Resolves when the held write was issued (the holder is now "stalled" right before it). */
  readonly reached: Promise<void>;
  /** Lets the held write go on to the store. */
  release(): void;
}

/**
 * A process's view of the store that can stall its next write: the write is issued, and reaches the store
 * only when the test releases it. Stands in for an event-loop pause or a slow network between a holder's
 * decision and its write, the window in which a rival acts.
 */
function stalling(inner: DocumentStore): { readonly store: DocumentStore; holdNextWrite(): HeldWrite } {
  let pending: { reached: () => void; released: Promise<void> } | null = null;
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      if (!WRITES.has(property)) return method.bind(target);
      return async (...args: unknown[]) => {
        const held = pending;
        pending = null;
        if (held !== null) {
          held.reached();
          await held.released;
        }
        return method.apply(target, args);
      };
    },
  });
  return {
    store,
    holdNextWrite() {
      let reached!: () => void;
      let release!: () => void;
      const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      pending = { reached, released };
      return { reached: reachedPromise, release };
    },
  };
}

describe('DocumentLease (compare-and-set on the embedded read store)', () => {
  let stores: TestStores;
  let now: number;
  const clock = (): number => now;
  const TTL = 30_000;

  beforeEach(async () => {
    stores = await openTestStores();
    now = Date.parse('2026-03-02T08:00:00Z');
  });

  afterEach(async () => {
    await stores.close();
  });

  /** Two processes: each its own connection to the read-store file, the first one able to stall. */
  function rivals(): { a: DocumentLease; b: DocumentLease; stallA: () => HeldWrite } {
    const first = stalling(stores.openReadStore().documents);
    const lease = (documentStore: DocumentStore, owner: string) =>
      new DocumentLease({ documentStore, key: 'projection:reviews', owner, ttlMs: TTL, clock });
    return {
      a: lease(first.store, 'projector-a'),
      b: lease(stores.openReadStore().documents, 'projector-b'),
      stallA: () => first.holdNextWrite(),
    };
  }

  const stored = async (): Promise<LeaseRecord | null> =>
    (await stores.documentStore.get(LEASE_COLLECTION, 'projection:reviews')) as LeaseRecord | null;

  it('lets only one of two claimants take a free lease when the first stalls between its check and its write', async () => {
    const { a, b, stallA } = rivals();
    const stall = stallA();
    const claimA = a.acquire();
    await stall.reached; // A saw a free lease and is about to write its claim
    expect(await b.acquire()).toBe(true);
    stall.release();
    expect(await claimA).toBe(false);
    expect(a.held).toBe(false);
    expect(b.held).toBe(true);
    expect((await stored())?.owner).toBe('projector-b');
  });

  it('fails the renewal of a holder that stalled past its expiry once another took over, and keeps the new holder', async () => {
    const { a, b, stallA } = rivals();
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);

    now += TTL - 1_000; // A renews in time, but stalls before its write reaches the store
    const stall = stallA();
    const renewal = a.renew();
    await stall.reached;
    now += 2_000; // A's lease expired meanwhile: B takes over
    expect(await b.acquire()).toBe(true);
    stall.release();

    await expect(renewal).rejects.toBeInstanceOf(LeaseLostError);
    expect(a.held).toBe(false);
    expect(await stored()).toMatchObject({ owner: 'projector-b', expiresAt: now + TTL });
    await expect(a.renew()).rejects.toBeInstanceOf(LeaseLostError);
    await expect(a.verify()).rejects.toBeInstanceOf(LeaseLostError);
    await expect(b.renew()).resolves.toBeUndefined();
  });

  it('cannot renew an expired lease even when nobody took it over', async () => {
    const { a } = rivals();
    expect(await a.acquire()).toBe(true);
    now += TTL;
    await expect(a.renew()).rejects.toBeInstanceOf(LeaseLostError);
    // It may take the free lease again, as anyone may.
    expect(await a.acquire()).toBe(true);
  });

  it("leaves another holder's lease when a stalled former holder releases", async () => {
    const { a, b, stallA } = rivals();
    expect(await a.acquire()).toBe(true);
    const stall = stallA();
    const release = a.release();
    await stall.reached; // A decided to give up its lease and stalls right before deleting it
    now += TTL + 1;
    expect(await b.acquire()).toBe(true);
    stall.release();
    await release;
    expect((await stored())?.owner).toBe('projector-b');
    expect(await b.holder()).toMatchObject({ owner: 'projector-b' });

    await b.release();
    expect(await stored()).toBeNull();
  });

  it('keeps acquiredAt when its holder acquires again, and renews while ours', async () => {
    const { a } = rivals();
    expect(await a.acquire()).toBe(true);
    const first = await stored();
    now += 5_000;
    expect(await a.acquire()).toBe(true);
    await a.renew();
    expect(await stored()).toMatchObject({
      owner: 'projector-a',
      acquiredAt: first?.acquiredAt,
      expiresAt: now + TTL,
      renewedAt: new Date(now).toISOString(),
    });
  });

  it('lets exactly one of several processes win a free lease when all claim at once (writer threads)', async () => {
    const file = path.join(stores.dir, 'read.db');
    const processes = Array.from({ length: 4 }, () => EmbeddedReadStore.open({ file, writerThread: true }));
    try {
      const leases = processes.map(
        (process, i) =>
          new DocumentLease({ documentStore: process.documents, key: 'rebuild:reviews', owner: `p${i}`, clock }),
      );
      const won = await Promise.all(leases.map((lease) => lease.acquire()));
      expect(won.filter(Boolean)).toHaveLength(1);
      const winner = leases[won.indexOf(true)]!;
      expect(await stores.documentStore.get(LEASE_COLLECTION, 'rebuild:reviews')).toMatchObject({
        owner: winner.owner,
      });
    } finally {
      await Promise.all(processes.map((process) => process.close()));
    }
  });
});
