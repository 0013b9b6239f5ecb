import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import {
  EventStoreClosedError,
  InvalidAppendError,
  StreamDeletedError,
  WrongExpectedRevisionError,
} from '../errors.js';
import type {
  EventFilter,
  EventMetadata,
  EventStore,
  NewEvent,
  RecordedEvent,
  Subscription,
  SubscriptionBatch,
} from '../event-store.port.js';
import { UpcasterRegistry } from '../upcasting.js';

/**
 * The one behavioural suite every `EventStore` adapter runs (embedded SQLite, KurrentDB). Server stores
 * are shared between tests and runs, so nothing here assumes an empty store: every test uses its own
 * random stream ids and compares positions relative to `headPosition()` taken at its start.
 */
export interface EventStoreContractFixture {
  readonly store: EventStore;
  dispose(): Promise<void>;
}

export const CONTRACT_UPCAST_TYPE = 'ContractTestEvent';

/** The registry every adapter under contract test must be built with: `ContractTestEvent` v1 → v2. */
export function contractUpcasters(): UpcasterRegistry {
  return new UpcasterRegistry().register(CONTRACT_UPCAST_TYPE, 1, (data) => {
    const { name } = data as { name: string };
    return { fullName: name, legacy: true };
  });
}

/** Bounded wait for the suite's async conditions: a hang becomes a failure with a reason. */
const WAIT_MS = 15_000;

function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function suffix(): string {
  return randomUUID().replaceAll('-', '').slice(0, 12);
}

function metadata(overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    occurredAt: '2025-03-14T09:26:53.589Z',
    actor: { userId: 'user-4711', role: 'Fachaufsicht' },
    tenant: 'jc-musterstadt',
    correlationId: uuidv7(),
    causationId: null,
    rulesVersion: 'rules-2025.1',
    ...overrides,
  };
}

function event(type: string, data: unknown, overrides: Partial<NewEvent> = {}): NewEvent {
  return { id: uuidv7(), type, schemaVersion: 1, data, metadata: metadata(), ...overrides };
}

function events(count: number, type = 'ContractNoted'): NewEvent[] {
  return Array.from({ length: count }, (_, index) => event(type, { index }));
}

/** Pages `readAll` from `after` until the store's end or `until`, keeping only events passing `keep`. */
async function readAllUntil(
  store: EventStore,
  after: number,
  until: number,
  options: { maxCount: number; filter?: EventFilter; keep?: (event: RecordedEvent) => boolean },
): Promise<{ events: RecordedEvent[]; lastPosition: number; pages: number }> {
  const collected: RecordedEvent[] = [];
  let position = after;
  let pages = 0;
  for (;;) {
    pages += 1;
    if (pages > 100_000) throw new Error('readAll never reached the end');
    const page = await store.readAll({ after: position, maxCount: options.maxCount, filter: options.filter });
    expect(page.events.length).toBeLessThanOrEqual(options.maxCount);
    expect(page.lastPosition).toBeGreaterThanOrEqual(position);
    for (const recorded of page.events) {
      expect(recorded.position).toBeGreaterThan(position);
      expect(recorded.position).toBeLessThanOrEqual(page.lastPosition);
      if (!options.keep || options.keep(recorded)) collected.push(recorded);
    }
    position = page.lastPosition;
    if (page.isEnd || position >= until) return { events: collected, lastPosition: position, pages };
  }
}

/** Pulls batches until `done` says enough; returns everything received. */
async function pull(
  iterator: AsyncIterator<SubscriptionBatch>,
  done: (batches: readonly SubscriptionBatch[]) => boolean,
  what: string,
): Promise<SubscriptionBatch[]> {
  const batches: SubscriptionBatch[] = [];
  while (!done(batches)) {
    const next = await within(iterator.next(), what);
    if (next.done === true) throw new Error(`subscription ended while waiting for ${what}`);
    batches.push(next.value);
  }
  return batches;
}

const eventsOf = (batches: readonly SubscriptionBatch[]): RecordedEvent[] => batches.flatMap((batch) => batch.events);

export function eventStoreContract(name: string, factory: () => Promise<EventStoreContractFixture>): void {
  describe(`EventStore contract: ${name}`, () => {
    let fixture: EventStoreContractFixture;
    let store: EventStore;

    beforeAll(async () => {
      fixture = await factory();
      store = fixture.store;
    });

    afterAll(async () => {
      await fixture?.dispose();
    });

    describe('append and readStream', () => {
      it('round-trips events with all their metadata', async () => {
        const streamId = `contract-roundtrip-${suffix()}`;
        const head = await store.headPosition();
        const first = event('ContractOpened', { title: 'Prüfung Ä', nested: { list: [1, 'zwei', null, true] } });
        const second = event('ContractNoted', { note: 'ß ✓ 😀' }, { metadata: metadata({ causationId: first.id }) });

        const result = await store.append(streamId, [first, second], { expectedRevision: 'no_stream' });

        expect(result.streamId).toBe(streamId);
        expect(result.revision).toBe(1);
        expect(result.position).toBeGreaterThan(head);
        const read = await store.readStream(streamId);
        expect(read).toHaveLength(2);
        for (const [index, original] of [first, second].entries()) {
          const recorded = read[index]!;
          expect(recorded).toMatchObject({
            id: original.id,
            type: original.type,
            schemaVersion: original.schemaVersion,
            data: original.data,
            metadata: original.metadata,
            streamId,
            revision: index,
          });
          expect(new Date(recorded.recordedAt).toISOString()).toBe(recorded.recordedAt);
          expect(recorded.chain).toMatch(/^[0-9a-f]{64}$/);
        }
        expect(read[1]!.position).toBe(result.position);
        expect(read[0]!.position).toBeLessThan(read[1]!.position);
        expect(read[0]!.position).toBeGreaterThan(head);
        expect(read[1]!.metadata.causationId).toBe(first.id);
        expect(await store.streamInfo(streamId)).toEqual({ streamId, revision: 1 });
        expect(await store.headPosition()).toBeGreaterThanOrEqual(result.position);
      });

      it('reads an unknown stream as empty with no revision', async () => {
        const streamId = `contract-unknown-${suffix()}`;
        expect(await store.readStream(streamId)).toEqual([]);
        expect(await store.readStream(streamId, { direction: 'backwards' })).toEqual([]);
        expect(await store.streamInfo(streamId)).toEqual({ streamId, revision: null });
      });

      it('reads forwards and backwards from a revision with a maximum count', async () => {
        const streamId = `contract-range-${suffix()}`;
        await store.append(streamId, events(5), { expectedRevision: 'no_stream' });
        const revisions = (list: RecordedEvent[]): number[] => list.map((recorded) => recorded.revision);

        expect(revisions(await store.readStream(streamId))).toEqual([0, 1, 2, 3, 4]);
        expect(revisions(await store.readStream(streamId, { fromRevision: 2 }))).toEqual([2, 3, 4]);
        expect(revisions(await store.readStream(streamId, { fromRevision: 1, maxCount: 2 }))).toEqual([1, 2]);
        expect(revisions(await store.readStream(streamId, { direction: 'backwards' }))).toEqual([4, 3, 2, 1, 0]);
        expect(revisions(await store.readStream(streamId, { direction: 'backwards', maxCount: 2 }))).toEqual([4, 3]);
        expect(
          revisions(await store.readStream(streamId, { direction: 'backwards', fromRevision: 3, maxCount: 2 })),
        ).toEqual([3, 2]);
        expect(await store.readStream(streamId, { fromRevision: 5 })).toEqual([]);
        const data = (await store.readStream(streamId, { fromRevision: 4 }))[0]!.data;
        expect(data).toEqual({ index: 4 });
      });
    });

    describe('expected revision', () => {
      it("'no_stream' creates a stream once and then conflicts with the actual revision", async () => {
        const streamId = `contract-nostream-${suffix()}`;
        await store.append(streamId, events(2), { expectedRevision: 'no_stream' });
        const late = event('ContractNoted', { late: true });

        const error = await store
          .append(streamId, [late], { expectedRevision: 'no_stream' })
          .catch((caught: unknown) => caught);

        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ code: 'CONCURRENCY_CONFLICT', streamId, expected: 'no_stream', actual: 1 });
        const stored = await store.readStream(streamId);
        expect(stored.map((recorded) => recorded.id)).not.toContain(late.id);
        expect(await store.streamInfo(streamId)).toEqual({ streamId, revision: 1 });
      });

      it('an exact revision appends only when it is the current last revision', async () => {
        const streamId = `contract-exact-${suffix()}`;
        await store.append(streamId, events(1), { expectedRevision: 'no_stream' });

        const stale = await store
          .append(streamId, events(2), { expectedRevision: 3 })
          .catch((caught: unknown) => caught);
        expect(stale).toBeInstanceOf(WrongExpectedRevisionError);
        expect(stale).toMatchObject({ streamId, expected: 3, actual: 0 });
        expect(await store.readStream(streamId)).toHaveLength(1);

        const next = await store.append(streamId, events(2), { expectedRevision: 0 });
        expect(next.revision).toBe(2);
        expect(await store.readStream(streamId)).toHaveLength(3);
      });

      it('an exact revision on a stream that does not exist conflicts with actual null', async () => {
        const streamId = `contract-exact-missing-${suffix()}`;
        const error = await store
          .append(streamId, events(1), { expectedRevision: 0 })
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ streamId, expected: 0, actual: null });
        expect(await store.streamInfo(streamId)).toEqual({ streamId, revision: null });
      });

      it("'any' appends to new and existing streams", async () => {
        const streamId = `contract-any-${suffix()}`;
        expect((await store.append(streamId, events(1), { expectedRevision: 'any' })).revision).toBe(0);
        expect((await store.append(streamId, events(2), { expectedRevision: 'any' })).revision).toBe(2);
        expect(await store.readStream(streamId)).toHaveLength(3);
      });
    });

    describe('invalid appends', () => {
      it.each<[string, () => NewEvent[]]>([
        ['no events', () => []],
        [
          'duplicate event ids',
          () => {
            const once = event('ContractNoted', {});
            return [once, event('ContractNoted', {}), { ...once }];
          },
        ],
        ['a non-integer schema version', () => [event('ContractNoted', {}, { schemaVersion: 1.5 })]],
      ])('refuses %s and stores nothing', async (_case, make) => {
        const streamId = `contract-invalid-${suffix()}`;
        const head = await store.headPosition();

        await expect(store.append(streamId, make(), { expectedRevision: 'any' })).rejects.toBeInstanceOf(
          InvalidAppendError,
        );

        expect(await store.readStream(streamId)).toEqual([]);
        expect(await store.streamInfo(streamId)).toEqual({ streamId, revision: null });
        const after = await readAllUntil(store, head, Number.MAX_SAFE_INTEGER, {
          maxCount: 500,
          keep: (recorded) => recorded.streamId === streamId,
        });
        expect(after.events).toEqual([]);
      });
    });

    describe('concurrency', () => {
      it('commits 32 concurrent appends to distinct streams, each in order, with distinct positions', async () => {
        const prefix = `contract-group-${suffix()}-`;
        const head = await store.headPosition();
        const streamIds = Array.from({ length: 32 }, (_, index) => `${prefix}${String(index).padStart(2, '0')}`);

        const results = await Promise.all(
          streamIds.map((streamId, index) =>
            store.append(
              streamId,
              [event('ContractNoted', { index, step: 0 }), event('ContractNoted', { index, step: 1 })],
              {
                expectedRevision: 'no_stream',
              },
            ),
          ),
        );

        expect(results.map((result) => result.revision)).toEqual(streamIds.map(() => 1));
        expect(new Set(results.map((result) => result.position)).size).toBe(32);
        const all = await readAllUntil(store, head, Math.max(...results.map((result) => result.position)), {
          maxCount: 1000,
          filter: { streamPrefixes: [prefix] },
        });
        expect(all.events).toHaveLength(64);
        for (const streamId of streamIds) {
          const own = all.events.filter((recorded) => recorded.streamId === streamId);
          expect(own.map((recorded) => recorded.revision)).toEqual([0, 1]);
          expect(own[0]!.position).toBeLessThan(own[1]!.position);
          expect(own[1]!.position).toBe(results[streamIds.indexOf(streamId)]!.position);
        }
      });

      it('lets exactly one of several concurrent appends with the same expected revision win', async () => {
        const streamId = `contract-race-${suffix()}`;
        await store.append(streamId, events(1), { expectedRevision: 'no_stream' });
        const contenders = Array.from({ length: 8 }, (_, index) => [event('ContractRaced', { contender: index })]);

        const settled = await Promise.allSettled(
          contenders.map((batch) => store.append(streamId, batch, { expectedRevision: 0 })),
        );

        const winners = settled.filter((outcome) => outcome.status === 'fulfilled');
        const losers = settled.filter((outcome) => outcome.status === 'rejected');
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(7);
        for (const loser of losers) expect(loser.reason).toBeInstanceOf(WrongExpectedRevisionError);
        const stored = await store.readStream(streamId);
        expect(stored).toHaveLength(2);
        const winnerIndex = settled.findIndex((outcome) => outcome.status === 'fulfilled');
        expect(stored[1]!.id).toBe(contenders[winnerIndex]![0]!.id);
      });

      it('orders events globally in append order with strictly increasing positions', async () => {
        const prefix = `contract-order-${suffix()}-`;
        const head = await store.headPosition();
        const appended: string[] = [];
        const positions: number[] = [];
        for (const streamId of [`${prefix}a`, `${prefix}b`, `${prefix}a`, `${prefix}c`, `${prefix}b`]) {
          const next = event('ContractNoted', { streamId });
          positions.push((await store.append(streamId, [next], { expectedRevision: 'any' })).position);
          appended.push(next.id);
        }
        for (let index = 1; index < positions.length; index += 1)
          expect(positions[index]!).toBeGreaterThan(positions[index - 1]!);

        const all = await readAllUntil(store, head, positions.at(-1)!, {
          maxCount: 2,
          keep: (recorded) => recorded.streamId.startsWith(prefix),
        });
        expect(all.events.map((recorded) => recorded.id)).toEqual(appended);
        expect(all.events.map((recorded) => recorded.position)).toEqual(positions);
      });
    });

    describe('readAll', () => {
      it('pages through every event exactly once, filtered or not', async () => {
        const prefix = `contract-paging-${suffix()}-`;
        const head = await store.headPosition();
        const ids: string[] = [];
        let last = 0;
        for (let round = 0; round < 5; round += 1) {
          for (let stream = 0; stream < 5; stream += 1) {
            const batch = events(1 + (round % 2));
            last = (await store.append(`${prefix}${stream}`, batch, { expectedRevision: 'any' })).position;
            ids.push(...batch.map((recorded) => recorded.id));
          }
        }

        const filtered = await readAllUntil(store, head, last, { maxCount: 7, filter: { streamPrefixes: [prefix] } });
        expect(filtered.events.map((recorded) => recorded.id)).toEqual(ids);
        expect(filtered.pages).toBeGreaterThan(1);

        const unfiltered = await readAllUntil(store, head, last, {
          maxCount: 3,
          keep: (recorded) => recorded.streamId.startsWith(prefix),
        });
        expect(unfiltered.events.map((recorded) => recorded.id)).toEqual(ids);
      });

      it('filters by event type and stream prefix, all given conditions holding', async () => {
        const tag = suffix();
        const prefixA = `contract-filter-a-${tag}-`;
        const prefixB = `contract-filter-b-${tag}-`;
        const typeX = `ContractFilterX${tag}`;
        const typeY = `ContractFilterY${tag}`;
        const head = await store.headPosition();
        await store.append(`${prefixA}1`, [event(typeX, { n: 1 }), event(typeY, { n: 2 })], {
          expectedRevision: 'no_stream',
        });
        await store.append(`${prefixB}1`, [event(typeX, { n: 3 })], { expectedRevision: 'no_stream' });
        const last = (
          await store.append(`contract-filter-c-${tag}`, [event(typeY, { n: 4 })], { expectedRevision: 'no_stream' })
        ).position;
        const numbers = async (filter: EventFilter): Promise<number[]> =>
          (await readAllUntil(store, head, last, { maxCount: 100, filter })).events.map(
            (recorded) => (recorded.data as { n: number }).n,
          );

        expect(await numbers({ eventTypes: [typeX] })).toEqual([1, 3]);
        expect(await numbers({ eventTypes: [typeX, typeY] })).toEqual([1, 2, 3, 4]);
        expect(await numbers({ streamPrefixes: [prefixA] })).toEqual([1, 2]);
        expect(await numbers({ streamPrefixes: [prefixA, prefixB] })).toEqual([1, 2, 3]);
        expect(await numbers({ eventTypes: [typeY], streamPrefixes: [prefixA, prefixB] })).toEqual([2]);
      });

      it('advances lastPosition through events the filter skips, so a checkpoint can move on', async () => {
        const prefix = `contract-skip-${suffix()}-`;
        const head = await store.headPosition();
        let last = 0;
        for (let index = 0; index < 5; index += 1) {
          last = (await store.append(`${prefix}${index}`, events(2), { expectedRevision: 'no_stream' })).position;
        }

        const nothing = await readAllUntil(store, head, last, {
          maxCount: 10,
          filter: { eventTypes: [`ContractNever${suffix()}`] },
        });

        expect(nothing.events).toEqual([]);
        expect(nothing.lastPosition).toBeGreaterThanOrEqual(last);
      });

      it('pages without events never pass a matching event: the first match after a skipped stretch is found', async () => {
        const prefix = `contract-next-${suffix()}-`;
        const head = await store.headPosition();
        for (let index = 0; index < 3; index += 1) {
          await store.append(`contract-next-other-${suffix()}`, events(20), { expectedRevision: 'no_stream' });
        }
        const wanted = events(1);
        const match = await store.append(`${prefix}1`, wanted, { expectedRevision: 'no_stream' });
        await store.append(`contract-next-other-${suffix()}`, events(5), { expectedRevision: 'no_stream' });

        let after = head;
        for (let pages = 1; ; pages += 1) {
          if (pages > 10_000) throw new Error('readAll never found the matching event');
          const page = await store.readAll({ after, maxCount: 1, filter: { streamPrefixes: [prefix] } });
          if (page.events.length > 0) {
            expect(page.events.map((recorded) => recorded.id)).toEqual([wanted[0]!.id]);
            expect(page.lastPosition).toBeGreaterThanOrEqual(match.position);
            break;
          }
          // An empty page vouches for (after, lastPosition]: it must stop short of the match.
          expect(page.lastPosition).toBeLessThan(match.position);
          expect(page.isEnd).toBe(false);
          expect(page.lastPosition).toBeGreaterThan(after);
          after = page.lastPosition;
        }
      });

      it('reads an empty page at the end of the store', async () => {
        const streamId = `contract-end-${suffix()}`;
        await store.append(streamId, events(1), { expectedRevision: 'no_stream' });
        const head = await store.headPosition();
        const page = await store.readAll({ after: head, maxCount: 10, filter: { streamPrefixes: [streamId] } });
        expect(page.events).toEqual([]);
        expect(page.isEnd).toBe(true);
        expect(page.lastPosition).toBeGreaterThanOrEqual(head);
      });
    });

    describe('subscribeToAll', () => {
      const open: Subscription[] = [];
      afterEach(async () => {
        await Promise.all(open.splice(0).map((subscription) => subscription.close()));
      });

      it('delivers history, reports catching up, then delivers live appends', async () => {
        const prefix = `contract-sub-${suffix()}-`;
        const head = await store.headPosition();
        const history = events(3);
        await store.append(`${prefix}1`, history, { expectedRevision: 'no_stream' });
        const subscription = store.subscribeToAll({ after: head, filter: { streamPrefixes: [prefix] }, batchSize: 2 });
        open.push(subscription);
        const iterator = subscription[Symbol.asyncIterator]();

        const caughtUp = await pull(iterator, (batches) => batches.some((batch) => batch.caughtUp), 'catching up');
        expect(eventsOf(caughtUp).map((recorded) => recorded.id)).toEqual(history.map((recorded) => recorded.id));
        for (const batch of caughtUp) {
          expect(batch.events.length).toBeLessThanOrEqual(2);
          if (batch.events.length > 0) expect(batch.lastPosition).toBeGreaterThanOrEqual(batch.events.at(-1)!.position);
        }

        const live = events(2);
        const appended = await store.append(`${prefix}2`, live, { expectedRevision: 'no_stream' });
        const afterLive = await pull(iterator, (batches) => eventsOf(batches).length >= 2, 'live events');
        expect(eventsOf(afterLive).map((recorded) => recorded.id)).toEqual(live.map((recorded) => recorded.id));
        // Progress batches (empty) may come between them; positions never go back.
        const positions = [caughtUp.at(-1)!.lastPosition, ...afterLive.map((batch) => batch.lastPosition)];
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
        expect(afterLive.at(-1)!.lastPosition).toBeGreaterThanOrEqual(appended.position);
      });

      it('starts after a checkpoint and applies the filter to live events', async () => {
        const prefix = `contract-sub-filter-${suffix()}-`;
        const first = await store.append(`${prefix}old`, events(2), { expectedRevision: 'no_stream' });
        const subscription = store.subscribeToAll({ after: first.position, filter: { streamPrefixes: [prefix] } });
        open.push(subscription);
        const iterator = subscription[Symbol.asyncIterator]();
        await pull(iterator, (batches) => batches.some((batch) => batch.caughtUp), 'catching up');

        await store.append(`contract-sub-other-${suffix()}`, events(1), { expectedRevision: 'no_stream' });
        const wanted = events(1);
        await store.append(`${prefix}new`, wanted, { expectedRevision: 'no_stream' });

        const received = eventsOf(
          await pull(iterator, (batches) => eventsOf(batches).length >= 1, 'the filtered live event'),
        );
        expect(received.map((recorded) => recorded.id)).toEqual([wanted[0]!.id]);
      });

      it('moves lastPosition through a long live stretch of events its filter skips, in empty progress batches', async () => {
        const prefix = `contract-sub-progress-${suffix()}-`;
        const subscription = store.subscribeToAll({
          after: await store.headPosition(),
          filter: { streamPrefixes: [prefix] },
          progressIntervalMs: 50,
        });
        open.push(subscription);
        const iterator = subscription[Symbol.asyncIterator]();
        await pull(iterator, (batches) => batches.some((batch) => batch.caughtUp), 'catching up');

        // More than the 32 events after which KurrentDB sends a filter checkpoint, and a tail shorter than that.
        let last = 0;
        for (let index = 0; index < 5; index += 1) {
          last = (await store.append(`contract-sub-skipped-${suffix()}`, events(15), { expectedRevision: 'no_stream' }))
            .position;
        }

        const progress = await pull(
          iterator,
          (batches) => batches.some((batch) => batch.lastPosition >= last),
          'progress past the skipped events',
        );
        expect(eventsOf(progress)).toEqual([]);
        expect(progress.at(-1)!.caughtUp).toBe(true);
      });

      it('holds progress back to one batch per interval, but never holds back events, which carry it along', async () => {
        const prefix = `contract-sub-throttle-${suffix()}-`;
        const subscription = store.subscribeToAll({
          after: await store.headPosition(),
          filter: { streamPrefixes: [prefix] },
          progressIntervalMs: 60_000,
        });
        open.push(subscription);
        const iterator = subscription[Symbol.asyncIterator]();
        await pull(iterator, (batches) => batches.some((batch) => batch.caughtUp), 'catching up');

        const pending = iterator.next();
        await store.append(`contract-sub-skipped-${suffix()}`, events(40), { expectedRevision: 'no_stream' });
        const wanted = events(1);
        const appended = await store.append(`${prefix}1`, wanted, { expectedRevision: 'no_stream' });

        // The caught-up batch was delivered just now, so the skipped events' progress waits for the interval;
        // the wanted event does not wait, and its batch covers the skipped stretch as well.
        const next = await within(pending, 'the wanted event');
        expect(next.done).toBe(false);
        const batch = next.value as SubscriptionBatch;
        expect(batch.events.map((recorded) => recorded.id)).toEqual([wanted[0]!.id]);
        expect(batch.lastPosition).toBeGreaterThanOrEqual(appended.position);
      });

      it('ends the iteration promptly when closed, also while waiting for live events', async () => {
        const subscription = store.subscribeToAll({
          after: await store.headPosition(),
          filter: { streamPrefixes: [`contract-none-${suffix()}`] },
        });
        const iterator = subscription[Symbol.asyncIterator]();
        await pull(iterator, (batches) => batches.some((batch) => batch.caughtUp), 'catching up');

        const waiting = iterator.next();
        await subscription.close();

        expect(await within(waiting, 'the pending next() to end', 5_000)).toEqual({ done: true, value: undefined });
        expect((await iterator.next()).done).toBe(true);
      });

      it('ends a for-await loop when closed', async () => {
        const prefix = `contract-sub-loop-${suffix()}-`;
        const subscription = store.subscribeToAll({
          after: await store.headPosition(),
          filter: { streamPrefixes: [prefix] },
        });
        let received = 0;
        const loop = (async () => {
          for await (const batch of subscription) {
            received += batch.events.length;
            if (received >= 1) await subscription.close();
          }
          return received;
        })();
        await store.append(`${prefix}1`, events(1), { expectedRevision: 'no_stream' });
        expect(await within(loop, 'the loop to end')).toBe(1);
      });
    });

    describe('deleteStream', () => {
      it('makes the stream read as empty and refuses further appends', async () => {
        const streamId = `contract-delete-${suffix()}`;
        const survivor = `contract-delete-survivor-${suffix()}`;
        await store.append(streamId, events(3), { expectedRevision: 'no_stream' });
        await store.append(survivor, events(1), { expectedRevision: 'no_stream' });

        await store.deleteStream(streamId);

        expect(await store.readStream(streamId)).toEqual([]);
        expect(await store.readStream(streamId, { direction: 'backwards' })).toEqual([]);
        expect(await store.streamInfo(streamId)).toEqual({ streamId, revision: null });
        for (const expectedRevision of ['any', 'no_stream', 2] as const) {
          const error = await store
            .append(streamId, events(1), { expectedRevision })
            .catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(StreamDeletedError);
          expect(error).toMatchObject({ code: 'STREAM_DELETED', streamId });
        }
        expect(await store.readStream(streamId)).toEqual([]);
        expect(await store.readStream(survivor)).toHaveLength(1);
      });
    });

    describe('upcasting', () => {
      it('upcasts a stored v1 event to v2 on every read path, and leaves v2 events alone', async () => {
        const streamId = `contract-upcast-${suffix()}`;
        const head = await store.headPosition();
        const v1 = event(CONTRACT_UPCAST_TYPE, { name: 'Ada Lovelace' }, { schemaVersion: 1 });
        const v2 = event(CONTRACT_UPCAST_TYPE, { fullName: 'Grace Hopper', legacy: false }, { schemaVersion: 2 });
        const appended = await store.append(streamId, [v1, v2], { expectedRevision: 'no_stream' });
        const expected = [
          { id: v1.id, schemaVersion: 2, data: { fullName: 'Ada Lovelace', legacy: true } },
          { id: v2.id, schemaVersion: 2, data: { fullName: 'Grace Hopper', legacy: false } },
        ];
        const shape = (list: readonly RecordedEvent[]) =>
          list.map(({ id, schemaVersion, data }) => ({ id, schemaVersion, data }));

        expect(shape(await store.readStream(streamId))).toEqual(expected);
        expect(shape(await store.readStream(streamId, { direction: 'backwards' })).reverse()).toEqual(expected);
        const all = await readAllUntil(store, head, appended.position, {
          maxCount: 100,
          filter: { streamPrefixes: [streamId] },
        });
        expect(shape(all.events)).toEqual(expected);

        const subscription = store.subscribeToAll({ after: head, filter: { streamPrefixes: [streamId] } });
        try {
          const batches = await pull(
            subscription[Symbol.asyncIterator](),
            (got) => eventsOf(got).length >= 2,
            'upcast events',
          );
          expect(shape(eventsOf(batches))).toEqual(expected);
        } finally {
          await subscription.close();
        }
      });
    });

    describe('verifyStream', () => {
      it('confirms the chain of an intact stream', async () => {
        const streamId = `contract-chain-${suffix()}`;
        await store.append(streamId, events(3), { expectedRevision: 'no_stream' });
        await store.append(streamId, events(2), { expectedRevision: 2 });

        const verification = await store.verifyStream(streamId);

        expect(verification).toEqual({ streamId, ok: true, eventsChecked: 5 });
        const chains = (await store.readStream(streamId)).map((recorded) => recorded.chain);
        expect(new Set(chains).size).toBe(5);
      });

      it('reports an unknown stream as intact with nothing checked', async () => {
        const streamId = `contract-chain-none-${suffix()}`;
        expect(await store.verifyStream(streamId)).toEqual({ streamId, ok: true, eventsChecked: 0 });
      });
    });

    describe('close', () => {
      it('finishes appends in flight, then refuses work', async () => {
        const own = await factory();
        try {
          const streamId = `contract-close-${suffix()}`;
          const inFlight = own.store.append(streamId, events(2), { expectedRevision: 'no_stream' });

          await own.store.close();

          expect((await inFlight).revision).toBe(1);
          await expect(own.store.append(streamId, events(1), { expectedRevision: 1 })).rejects.toBeInstanceOf(
            EventStoreClosedError,
          );
        } finally {
          await own.dispose();
        }
      });
    });
  });
}
