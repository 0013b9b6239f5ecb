import type { EventStore } from '@pruefpfad/event-store';
import { DocumentLease, LEASE_COLLECTION } from './lease.js';
import { physicalCollection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';
import { PoisonEventError, RebuildInProgressError, type RebuildProgress } from './projection-status.js';
import { confirmRebuild, readRebuildRecord, rebuildProjection, RebuildInterruptedError } from './rebuild.js';
import {
  allDocs,
  FlakyDocumentStore,
  newEvent,
  openTestStores,
  reviewsProjection,
  seedReviews,
  type TestStores,
  until,
} from './testing/projection-fixtures.js';

const fast = { retry: { initialMs: 5, maxMs: 20 } };

describe('rebuildProjection (embedded stores)', () => {
  let stores: TestStores;
  let runners: ProjectionRunner[] = [];
  let references = 0;

  beforeEach(async () => {
    stores = await openTestStores();
  });

  afterEach(async () => {
    for (const runner of runners) await runner.stop();
    runners = [];
    await stores.close();
  });

  async function serveV1(): Promise<ProjectionRunner> {
    const runner = new ProjectionRunner({
      definitions: [reviewsProjection()],
      eventStore: stores.eventStore,
      documentStore: stores.documentStore,
      checkpointStore: stores.checkpointStore,
    });
    runners.push(runner);
    runner.start();
    const head = await stores.eventStore.headPosition();
    await until(
      () => runner.statusOf('reviews').state === 'live' && runner.statusOf('reviews').position >= head,
      20_000,
      'v1 live',
    );
    return runner;
  }

  /**
   * The reference: the same definition folded by the live path (a runner following a collection that
   * already serves) into a separate read store, in small batches with other boundaries than the rebuild's.
   */
  async function liveBuilt(definition = reviewsProjection({ version: 2, extra: true })) {
    const other = stores.openOtherReadStore(`reference-${(references += 1)}`);
    await other.documents.switchAlias(definition.name, physicalCollection(definition));
    const runner = new ProjectionRunner({
      definitions: [definition],
      eventStore: stores.eventStore,
      documentStore: other.documents,
      checkpointStore: other.checkpoints,
      batchSize: 7,
    });
    runner.start();
    const head = await stores.eventStore.headPosition();
    await until(() => runner.statusOf(definition.name).position >= head, 20_000, 'reference built');
    await runner.stop();
    expect(runner.statusOf(definition.name).rebuild).toBeNull();
    expect(await readRebuildRecord(other.documents, definition.name)).toBeNull(); // built live, not by a rebuild
    return allDocs(other.documents, definition.name);
  }

  it('builds a new version while the old one serves, switches atomically, and equals a live-built collection', async () => {
    const head = await seedReviews(stores.eventStore, 300);
    await serveV1();
    const v1Docs = await allDocs(stores.documentStore, 'reviews');

    const progress: RebuildProgress[] = [];
    // Another connection, as the HTTP thread has one. The embedded adapter answers synchronously, so
    // each promise holds what a reader saw between two batches of the build.
    const reader = stores.openReadStore();
    const seenByReaders: Promise<[string, Record<string, unknown>[]]>[] = [];
    const result = await rebuildProjection(reviewsProjection({ version: 2, extra: true }), {
      ...stores,
      ...fast,
      batchSize: 200,
      onProgress: (p) => {
        progress.push(p);
        seenByReaders.push(
          Promise.all([
            reader.documents.resolve('reviews'),
            reader.documents.find('reviews', {}, { sort: { _id: 1 } }),
          ]),
        );
      },
    });
    for (const [serving, docs] of await Promise.all(seenByReaders)) {
      expect(serving).toBe('reviews_v1');
      expect(docs).toEqual(v1Docs);
    }

    expect(result).toMatchObject({
      projection: 'reviews',
      target: 'reviews_v2',
      previous: 'reviews_v1',
      resumedFrom: 0,
      position: head,
    });
    expect(result.eventsDone).toBe(300 * 4 + 60);
    // Progress: monotonic, with rate and estimate; complete at the end.
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.map((p) => p.eventsDone)).toEqual([...progress.map((p) => p.eventsDone)].sort((a, b) => a - b));
    expect(progress.every((p) => p.target === 'reviews_v2' && p.eventsPerSecond >= 0 && p.headPosition === head)).toBe(
      true,
    );
    expect(progress.some((p) => p.percent < 100 && p.etaSeconds !== null)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ percent: 100, etaSeconds: 0, position: head });

    expect(await reader.documents.resolve('reviews')).toBe('reviews_v2');
    const rebuilt = await allDocs(reader.documents, 'reviews');
    expect(rebuilt).toEqual(await liveBuilt());
    expect(rebuilt[0]).toHaveProperty('openedBy', 'u-1');
    // The old version is kept until confirmed.
    expect(await allDocs(stores.documentStore, 'reviews_v1')).toEqual(v1Docs);
    expect(await readRebuildRecord(stores.documentStore, 'reviews')).toMatchObject({
      state: 'switched',
      retained: ['reviews_v1'],
    });
    expect(await confirmRebuild('reviews', stores)).toEqual({ dropped: ['reviews_v1'] });
    expect(await stores.documentStore.listCollections()).not.toContain('reviews_v1');
    expect(await stores.checkpointStore.load('reviews_v1')).toBeNull();
    expect(await readRebuildRecord(stores.documentStore, 'reviews')).toMatchObject({
      state: 'confirmed',
      retained: [],
    });
  });

  it('rebuilds the same version into a build-suffixed collection, and the live runner follows the switch', async () => {
    await seedReviews(stores.eventStore, 50);
    const runner = await serveV1();
    const before = await allDocs(stores.documentStore, 'reviews');

    const result = await runner.rebuild('reviews');
    expect(result).toMatchObject({ target: 'reviews_v1_r1', previous: 'reviews_v1' });
    expect(await stores.documentStore.resolve('reviews')).toBe('reviews_v1_r1');
    expect(await allDocs(stores.documentStore, 'reviews')).toEqual(before);
    await until(
      () => runner.statusOf('reviews').collection === 'reviews_v1_r1',
      10_000,
      'runner follows the new collection',
    );

    const opened = await stores.eventStore.append(
      'review-after',
      [newEvent('ReviewOpened.v1', { reviewId: 'after', unit: 'u' })],
      {
        expectedRevision: 'no_stream',
      },
    );
    expect(await runner.waitForPosition('reviews', opened.position, 10_000)).toBe(true);
    expect(await stores.documentStore.get('reviews_v1_r1', 'after')).not.toBeNull();
    expect(await stores.documentStore.get('reviews_v1', 'after')).toBeNull();

    // A second same-version rebuild takes the next build number; the kept ones are never reused.
    const second = await runner.rebuild('reviews');
    expect(second).toMatchObject({ target: 'reviews_v1_r2', previous: 'reviews_v1_r1' });
    expect(await readRebuildRecord(stores.documentStore, 'reviews')).toMatchObject({
      retained: ['reviews_v1', 'reviews_v1_r1'],
    });
    expect((await runner.confirmRebuild('reviews')).dropped).toEqual(['reviews_v1', 'reviews_v1_r1']);
  });

  it('refuses a second rebuild of the same projection while one runs', async () => {
    await seedReviews(stores.eventStore, 100);
    await serveV1();
    const definition = reviewsProjection({ version: 2 });
    const outcomes = await Promise.allSettled([
      rebuildProjection(definition, { ...stores, ...fast, owner: 'operator-a', batchSize: 50 }),
      rebuildProjection(definition, { ...stores, ...fast, owner: 'operator-b', batchSize: 50 }),
    ]);
    const fulfilled = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(RebuildInProgressError);
    expect(await stores.documentStore.resolve('reviews')).toBe('reviews_v2');
  });

  it('refuses while another owner holds a fresh lease, and takes a stale one over', async () => {
    await seedReviews(stores.eventStore, 10);
    await serveV1();
    let now = Date.parse('2025-03-01T10:00:00Z');
    const clock = (): number => now;
    const other = new DocumentLease({
      documentStore: stores.documentStore,
      key: 'rebuild:reviews',
      owner: 'cli-1',
      ttlMs: 30_000,
      clock,
    });
    expect(await other.acquire()).toBe(true);

    await expect(
      rebuildProjection(reviewsProjection({ version: 2 }), { ...stores, ...fast, clock }),
    ).rejects.toMatchObject({
      code: 'REBUILD_IN_PROGRESS',
      holder: 'cli-1',
    });
    now += 30_001; // cli-1 stopped renewing: its lease is stale
    await expect(
      rebuildProjection(reviewsProjection({ version: 2 }), { ...stores, ...fast, clock }),
    ).resolves.toMatchObject({
      target: 'reviews_v2',
    });
    await expect(other.renew()).rejects.toMatchObject({ code: 'LEASE_LOST' });
    expect(await stores.documentStore.get(LEASE_COLLECTION, 'rebuild:reviews')).toBeNull();
  });

  it('resumes an interrupted rebuild from its own checkpoint; the alias keeps serving the old collection meanwhile', async () => {
    const head = await seedReviews(stores.eventStore, 300);
    await serveV1();
    let now = Date.parse('2025-03-01T10:00:00Z');
    const clock = (): number => now;
    const definition = reviewsProjection({ version: 2, extra: true });

    // The "process" dies after two committed batches: every later call fails, so it cannot even release
    // its lease. The abort ends its retry loop, as the kernel would end the process.
    const dying = new FlakyDocumentStore(stores.documentStore);
    dying.dieAfterCommits = 2;
    const abort = new AbortController();
    const crashed = rebuildProjection(definition, {
      ...stores,
      ...fast,
      documentStore: dying,
      batchSize: 100,
      clock,
      signal: abort.signal,
      owner: 'crashed-process',
    });
    await until(() => dying.dead, 10_000, 'simulated crash');
    abort.abort();
    await expect(crashed).rejects.toBeInstanceOf(RebuildInterruptedError);

    const interruptedAt = (await stores.checkpointStore.load('reviews_v2'))?.position ?? 0;
    expect(interruptedAt).toBeGreaterThan(0);
    expect(interruptedAt).toBeLessThan(head);
    expect(await stores.documentStore.resolve('reviews')).toBe('reviews_v1');
    expect(await readRebuildRecord(stores.documentStore, 'reviews')).toMatchObject({
      state: 'building',
      target: 'reviews_v2',
    });

    // Its lease is still fresh: a new rebuild is refused until it expires, then resumes.
    await expect(rebuildProjection(definition, { ...stores, ...fast, clock })).rejects.toBeInstanceOf(
      RebuildInProgressError,
    );
    now += 60_000;
    const resumed = await rebuildProjection(definition, { ...stores, ...fast, clock, batchSize: 100 });
    expect(resumed).toMatchObject({ target: 'reviews_v2', resumedFrom: interruptedAt, position: head });
    expect(resumed.eventsDone).toBeLessThan(300 * 4 + 60);
    expect(await stores.documentStore.resolve('reviews')).toBe('reviews_v2');
    expect(await allDocs(stores.documentStore, 'reviews')).toEqual(await liveBuilt(definition));
  });

  it('restarts cleanly with fresh: true', async () => {
    await seedReviews(stores.eventStore, 100);
    await serveV1();
    const definition = reviewsProjection({ version: 2 });
    const abort = new AbortController();
    let batches = 0;
    const interrupted = rebuildProjection(definition, {
      ...stores,
      ...fast,
      batchSize: 50,
      signal: abort.signal,
      onProgress: () => {
        batches += 1;
        if (batches === 2) abort.abort();
      },
    });
    await expect(interrupted).rejects.toBeInstanceOf(RebuildInterruptedError);
    const result = await rebuildProjection(definition, { ...stores, ...fast, fresh: true });
    expect(result).toMatchObject({ resumedFrom: 0, eventsDone: 100 * 4 + 20 });
    expect(await allDocs(stores.documentStore, 'reviews')).toEqual(await liveBuilt(definition));
  });

  it('stops on a poison event, marks the build failed and leaves the old collection serving', async () => {
    await seedReviews(stores.eventStore, 20);
    await stores.eventStore.append(
      'review-bad',
      [newEvent('FindingRecorded.v1', { reviewId: 'bad', severity: 'fatal' })],
      {
        expectedRevision: 'no_stream',
      },
    );
    await serveV1();
    await expect(
      rebuildProjection(reviewsProjection({ version: 2, poisonOn: 'fatal' }), { ...stores, ...fast }),
    ).rejects.toBeInstanceOf(PoisonEventError);
    expect(await stores.documentStore.resolve('reviews')).toBe('reviews_v1');
    expect(await readRebuildRecord(stores.documentStore, 'reviews')).toMatchObject({
      state: 'failed',
      target: 'reviews_v2',
    });
    // After the fix the next rebuild starts over into a fresh build target.
    const fixed = await rebuildProjection(reviewsProjection({ version: 2 }), { ...stores, ...fast });
    expect(fixed).toMatchObject({ resumedFrom: 0, target: 'reviews_v2' });
  });

  it('a new version deployed to a running system is built by the runner and then served', async () => {
    await seedReviews(stores.eventStore, 30);
    const v1 = await serveV1();
    await v1.stop();
    const v2 = new ProjectionRunner({
      definitions: [reviewsProjection({ version: 2, extra: true })],
      eventStore: stores.eventStore,
      documentStore: stores.documentStore,
      checkpointStore: stores.checkpointStore,
    });
    runners.push(v2);
    v2.start();
    const head = await stores.eventStore.headPosition();
    await until(
      () => v2.statusOf('reviews').state === 'live' && v2.statusOf('reviews').position >= head,
      20_000,
      'v2 live',
    );
    expect(v2.statusOf('reviews').collection).toBe('reviews_v2');
    expect(await stores.documentStore.resolve('reviews')).toBe('reviews_v2');
    expect(await readRebuildRecord(stores.documentStore, 'reviews')).toMatchObject({ retained: ['reviews_v1'] });
  });

  it('passes over the events of streams a retention purge deleted but the store still returns (KurrentDB before a scavenge)', async () => {
    await seedReviews(stores.eventStore, 6);
    // Purge records as the purge reactor writes them; the review streams stay readable, as on KurrentDB
    // between the delete and the scavenge.
    for (const reviewId of ['r-00001', 'r-00002'])
      await stores.eventStore.append(
        `purge-${reviewId}`,
        [
          newEvent('ReviewPurged', {
            reviewId,
            tenant: 'jc-a',
            measureIds: [],
            streamsDeleted: [`review-${reviewId}`],
            keysDestroyed: 1,
            retentionEndedOn: '2027-01-01',
            purgedAt: '2027-01-02T02:00:00.000Z',
          }),
        ],
        { expectedRevision: 'no_stream' },
      );
    const definition = reviewsProjection({ version: 2 });
    // The embedded store removes a deleted stream's events at once; here it plays KurrentDB before a
    // scavenge, which still returns them.
    const likeKurrentDb = Object.create(stores.eventStore, { returnsDeletedEvents: { value: true } }) as EventStore;
    const result = await rebuildProjection(definition, { ...stores, eventStore: likeKurrentDb, ...fast });
    const ids = (await allDocs(stores.documentStore, result.target)).map((doc) => doc._id);
    expect(ids).not.toContain('r-00001');
    expect(ids).not.toContain('r-00002');
    // r-00000 and r-00005 purged themselves in the fixture (ReviewPurged.v1); the others are untouched.
    expect(ids).toEqual(['r-00003', 'r-00004']);
  });
});
