import { ProjectionRunner } from './projection-runner.js';
import { ReactorRunner, reactorCheckpointName } from './reactor.js';
import {
  FlakyDocumentStore,
  newEvent,
  openTestStores,
  reviewsProjection,
  type TestStores,
  unitsProjection,
  until,
} from './testing/projection-fixtures.js';
import { type PositionSource, waitForPosition } from './wait-for-position.js';

/**
 * Read-your-writes across read models, decided on checkpoints alone: what the API of server mode sees
 * of a projector in another process. A position taken from an event only one read model handles must
 * become "reached" for every other read model too, because the subscription's progress batches carry
 * their checkpoints through events of other types.
 */
describe('read-your-writes across read models, on checkpoints', () => {
  let stores: TestStores;
  let runners: { stop(): Promise<void> }[] = [];

  beforeEach(async () => {
    stores = await openTestStores();
  });

  afterEach(async () => {
    for (const runner of runners) await runner.stop();
    runners = [];
    await stores.close();
  });

  /** Reads the serving collection's stored checkpoint and nothing else: no look at the event store. */
  const checkpointsOnly: PositionSource = {
    reached: async (name, position) => {
      const serving = await stores.documentStore.resolve(name);
      return ((await stores.checkpointStore.load(serving))?.position ?? 0) >= position;
    },
  };

  function projector(options: Partial<ConstructorParameters<typeof ProjectionRunner>[0]> = {}): ProjectionRunner {
    const runner = new ProjectionRunner({
      definitions: [reviewsProjection(), unitsProjection()],
      eventStore: stores.eventStore,
      documentStore: stores.documentStore,
      checkpointStore: stores.checkpointStore,
      retry: { initialMs: 5, maxMs: 50 },
      lease: { ttlMs: 5_000 },
      ...options,
    });
    runners.push(runner);
    runner.start();
    return runner;
  }

  async function live(runner: ProjectionRunner): Promise<void> {
    const head = await stores.eventStore.headPosition();
    await until(
      () => runner.status().every((status) => status.state === 'live' && status.position >= head),
      20_000,
      'every projection live',
    );
  }

  it("an X-Min-Position from another read model's event is reached, and status shows no lag", async () => {
    await stores.eventStore.append('review-a', [newEvent('ReviewOpened.v1', { reviewId: 'a', unit: 'u1' })], {
      expectedRevision: 'no_stream',
    });
    const runner = projector();
    await live(runner);

    // Only `units` handles a transfer; `reviews` handles none of these events.
    let transferred = 0;
    for (let index = 0; index < 40; index += 1) {
      const appended = await stores.eventStore.append(
        `transfer-${index}`,
        [newEvent('ReviewTransferred.v1', { reviewId: 'a', from: `u${index + 1}`, to: `u${index + 2}` })],
        { expectedRevision: 'no_stream' },
      );
      transferred = appended.position;
    }

    expect(await waitForPosition(checkpointsOnly, 'units', transferred, 5_000)).toBe(true);
    expect(await waitForPosition(checkpointsOnly, 'reviews', transferred, 5_000)).toBe(true);
    await until(() => runner.statusOf('reviews').position >= transferred, 5_000, 'reviews status');
    expect(runner.statusOf('reviews')).toMatchObject({ state: 'live', lag: 0 });
  });

  it('saves checkpoint-only progress at most once per interval, and never holds back a batch with events', async () => {
    const commits = new FlakyDocumentStore(stores.documentStore);
    const runner = projector({
      definitions: [reviewsProjection()],
      documentStore: commits,
      progressIntervalMs: 60_000,
    });
    await live(runner);
    const before = commits.commits.length;

    for (let index = 0; index < 20; index += 1) {
      await stores.eventStore.append(`audit-${index}`, [newEvent('AuditSealed.v1', { index })], {
        expectedRevision: 'no_stream',
      });
    }
    const opened = await stores.eventStore.append(
      'review-b',
      [newEvent('ReviewOpened.v1', { reviewId: 'b', unit: 'u1' })],
      { expectedRevision: 'no_stream' },
    );

    expect(await waitForPosition(checkpointsOnly, 'reviews', opened.position, 5_000)).toBe(true);
    // Twenty wake-ups with nothing for `reviews`, inside one interval: no commit of their own; the
    // review's batch commits once and its checkpoint covers them.
    expect(commits.commits.slice(before)).toHaveLength(1);
    expect(commits.commits.at(-1)!.writes).toHaveLength(1);
  });

  it("a reactor's saved checkpoint follows the head through events its filter skips", async () => {
    const handled: number[] = [];
    const reactor = new ReactorRunner({
      reactor: {
        name: 'rare',
        filter: { eventTypes: ['SampleDrawn.v1'] },
        handle: (event) => {
          handled.push(event.position);
          return Promise.resolve();
        },
      },
      eventStore: stores.eventStore,
      checkpointStore: stores.checkpointStore,
      progressIntervalMs: 20,
    });
    runners.push(reactor);
    reactor.start();
    const drawn = await stores.eventStore.append('sampling-1', [newEvent('SampleDrawn.v1', { drawId: '1' })], {
      expectedRevision: 'no_stream',
    });
    await until(() => handled.length === 1, 5_000, 'the draw handled');

    let last = 0;
    for (let index = 0; index < 10; index += 1) {
      last = (
        await stores.eventStore.append(`audit-${index}`, [newEvent('AuditSealed.v1', { index })], {
          expectedRevision: 'no_stream',
        })
      ).position;
    }

    const saved = async (): Promise<number> =>
      (await stores.checkpointStore.load(reactorCheckpointName('rare')))?.position ?? 0;
    await until(async () => (await saved()) >= last, 5_000, "the reactor's checkpoint past the skipped events");
    expect(handled).toEqual([drawn.position]);
  });
});
