/**
 * Two projectors on one MongoDB 8.0 replica set (a real container), one of them stalled past its lease's
 * expiry (lease exclusivity, issue 13 item 3; written against `DocumentLease` as of b6d7f99: one
 * conditional write per acquire, renew and release, and checkpoints that refuse to move backwards).
 *
 * The stall is injected: projector A's document store holds its next `commit` (a batch folded, about to be
 * written) until the test lets it go. Projector B runs on a clock that is ahead by more than the TTL, so to
 * B A's lease has expired, as it would after a real event-loop pause or a slow disk of that length.
 *
 * Proves:
 * - B takes the lease over while A is stalled, and from then on only B's commits succeed: A's held-back
 *   batch is refused when it finally arrives (CheckpointRegressionError, the checkpoint never moves
 *   backwards, none of the batch's documents written), and A commits nothing afterwards either, although
 *   more events arrive (it has lost the lease).
 * - The read model is exactly the fold of every event, and the checkpoint stands at the head: the stale
 *   batch overwrote nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StartedMongoDBContainer } from '@testcontainers/mongodb';
import { SqliteEventStore } from '@pruefpfad/event-store';
import { LEASE_COLLECTION, ProjectionRunner } from '@pruefpfad/projections';
import { type DocumentStore, MongoReadStore } from '@pruefpfad/read-store';
import { describeWithContainers } from './support/container-runtime.js';
import {
  CHAIN_KEY,
  eventually,
  expectedLedgers,
  LEDGER_EVENT,
  ledgerEntry,
  ledgerProjection,
  mongoUri,
  readEverything,
  startMongoDb,
  withoutBookkeeping,
} from './support/server-fixtures.js';

const TTL_MS = 60_000;

interface CommitRecord {
  readonly who: 'A' | 'B';
  readonly position: number;
  readonly outcome: 'written' | 'refused';
  readonly error?: unknown;
  readonly at: number;
}

/** Holds the next commit after `arm()` until `release()`; tells when a commit is being held. */
class Stall {
  private armed = false;
  private held: { position: number } | null = null;
  private releaseHeld: (() => void) | null = null;
  private readonly releasedPromise: Promise<void>;

  constructor() {
    this.releasedPromise = new Promise((resolve) => (this.releaseHeld = resolve));
  }

  arm(): void {
    this.armed = true;
  }

  get holding(): { position: number } | null {
    return this.held;
  }

  async pass(position: number): Promise<void> {
    if (!this.armed) return;
    this.armed = false;
    this.held = { position };
    await this.releasedPromise;
  }

  release(): void {
    this.releaseHeld?.();
  }
}

/** The store as the runner sees it, with every commit recorded (and A's held by the stall). */
function observed(store: DocumentStore, who: 'A' | 'B', log: CommitRecord[], stall?: Stall): DocumentStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'commit') {
        const commit: DocumentStore['commit'] = async (writes, checkpoint) => {
          await stall?.pass(checkpoint.position);
          try {
            await target.commit(writes, checkpoint);
            log.push({ who, position: checkpoint.position, outcome: 'written', at: Date.now() });
          } catch (error) {
            log.push({ who, position: checkpoint.position, outcome: 'refused', error, at: Date.now() });
            throw error;
          }
        };
        return commit;
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describeWithContainers('lease exclusivity: two projectors, one stalled past its lease (MongoDB)', () => {
  let container: StartedMongoDBContainer;
  let dir: string;
  let events: SqliteEventStore;

  beforeAll(async () => {
    container = await startMongoDb();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-lease-'));
    events = await SqliteEventStore.open({
      file: path.join(dir, 'events.db'),
      chainKey: CHAIN_KEY,
      pollIntervalMs: 20,
    });
  }, 300_000);

  afterAll(async () => {
    await events?.close();
    await container?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function appendLedger(from: number, to: number): Promise<number> {
    let position = 0;
    for (let seq = from; seq < to; seq += 1) {
      const { streamId, event } = ledgerEntry('lease', seq, 20);
      position = (await events.append(streamId, [event], { expectedRevision: 'any' })).position;
    }
    return position;
  }

  it('lets the second projector take over, refuses the stalled one’s late batch, and never has two writing', async () => {
    const database = 'ledger_lease';
    const [storeA, storeB, admin] = await Promise.all(
      [1, 2, 3].map(() => MongoReadStore.open({ uri: mongoUri(container), database })),
    );
    const log: CommitRecord[] = [];
    const stall = new Stall();
    const runner = (who: 'A' | 'B', store: MongoReadStore, clock: () => number, held?: Stall) =>
      new ProjectionRunner({
        definitions: [ledgerProjection()],
        eventStore: events,
        documentStore: observed(store.documents, who, log, held),
        checkpointStore: store.checkpoints,
        batchSize: 50,
        lease: { ttlMs: TTL_MS },
        clock,
        retry: { initialMs: 50, maxMs: 500 },
      });
    const a = runner('A', storeA!, Date.now, stall);
    // B's clock is ahead by more than the TTL: to B, A's lease has expired (A looks stalled that long).
    const b = runner('B', storeB!, () => Date.now() + 2 * TTL_MS);
    const leaseOwner = async () => (await admin!.documents.get(LEASE_COLLECTION, 'projection:ledger'))?.['owner'];
    const status = (r: ProjectionRunner) => r.statusOf('ledger');

    try {
      let head = await appendLedger(0, 200);
      a.start();
      await eventually('A live at the head', 60_000, () => status(a).state === 'live' && status(a).position >= head);
      expect(await leaseOwner()).toBe(a.owner);

      // A folds the next batch and stalls right before writing it.
      stall.arm();
      head = await appendLedger(200, 300);
      await eventually('A holding a batch back', 60_000, () => stall.holding !== null);
      const stalledAt = stall.holding!.position;

      b.start();
      await eventually('B to take the lease over', 60_000, async () => (await leaseOwner()) === b.owner);
      const takenOverAt = Date.now();
      head = await appendLedger(300, 400);
      await eventually('B live at the head', 60_000, () => status(b).state === 'live' && status(b).position >= head);
      expect(head).toBeGreaterThan(stalledAt);

      // A's late batch arrives now: the checkpoint is beyond it, so it is refused, nothing of it written.
      stall.release();
      await eventually('A’s held batch to be decided', 60_000, () =>
        log.some((entry) => entry.who === 'A' && entry.position === stalledAt && entry.at >= takenOverAt),
      );
      const late = log.find((entry) => entry.who === 'A' && entry.position === stalledAt && entry.at >= takenOverAt);
      expect(late).toMatchObject({ outcome: 'refused', error: { code: 'CHECKPOINT_REGRESSION' } });

      // More events: only B may write them, A (its lease lost) writes nothing any more.
      head = await appendLedger(400, 500);
      await eventually(
        'B live at the new head',
        60_000,
        () => status(b).state === 'live' && status(b).position >= head,
      );
      expect(await leaseOwner()).toBe(b.owner);
      expect(
        log.filter((entry) => entry.who === 'A' && entry.outcome === 'written' && entry.at >= takenOverAt),
      ).toEqual([]);
      // Before the takeover only A wrote, after it only B: never two writers at a time.
      const writes = log.filter((entry) => entry.outcome === 'written');
      const firstB = writes.findIndex((entry) => entry.who === 'B');
      expect(firstB).toBeGreaterThan(0);
      expect(writes.slice(0, firstB).every((entry) => entry.who === 'A')).toBe(true);
      expect(writes.slice(firstB).every((entry) => entry.who === 'B')).toBe(true);
      // Checkpoints written in order only: each written position at least the one before.
      const positions = writes.map((entry) => entry.position);
      expect(positions).toEqual([...positions].sort((x, y) => x - y));

      const physical = await admin!.documents.resolve('ledger');
      expect((await admin!.checkpoints.load(physical))?.position).toBe(head);
      const docs = withoutBookkeeping(await admin!.documents.find(physical));
      expect(docs).toEqual(expectedLedgers(await readEverything(events, { eventTypes: [LEDGER_EVENT] })));
    } finally {
      stall.release();
      await Promise.all([a.stop(), b.stop()]);
      for (const store of [storeA, storeB, admin]) await store?.close();
    }
  }, 420_000);
});
