import { jest } from '@jest/globals';
import { foldBatch } from './fold-batch.js';
import { ProjectionRunner } from './projection-runner.js';
import { CheckpointPositionSource } from './wait-for-position.js';
import type { PoisonEventReport, ProjectionStatus } from './projection-status.js';
import {
  allDocs,
  FlakyDocumentStore,
  newEvent,
  openTestStores,
  reviewsProjection,
  seedReviews,
  type TestStores,
  unitsProjection,
  until,
} from './testing/projection-fixtures.js';

const fastRetry = { initialMs: 5, maxMs: 50 };

describe('ProjectionRunner (embedded stores)', () => {
  let stores: TestStores;
  let runners: ProjectionRunner[] = [];

  beforeEach(async () => {
    stores = await openTestStores();
  });

  afterEach(async () => {
    for (const runner of runners) await runner.stop();
    runners = [];
    await stores.close();
  });

  function runner(options: Partial<ConstructorParameters<typeof ProjectionRunner>[0]> = {}): ProjectionRunner {
    const created = new ProjectionRunner({
      definitions: [reviewsProjection()],
      eventStore: stores.eventStore,
      documentStore: stores.documentStore,
      checkpointStore: stores.checkpointStore,
      retry: fastRetry,
      ...options,
    });
    runners.push(created);
    return created;
  }

  async function live(created: ProjectionRunner, name = 'reviews'): Promise<ProjectionStatus> {
    const head = await stores.eventStore.headPosition();
    await until(
      () => created.statusOf(name).state === 'live' && created.statusOf(name).position >= head,
      20_000,
      `${name} live`,
    );
    return created.statusOf(name);
  }

  it('folds history into documents and writes each batch with its checkpoint in one commit', async () => {
    const head = await seedReviews(stores.eventStore, 120);
    const flaky = new FlakyDocumentStore(stores.documentStore);
    const projections = runner({ documentStore: flaky, batchSize: 100, rebuildBatchSize: 100 });
    projections.start();
    const status = await live(projections);

    expect(status).toMatchObject({
      name: 'reviews',
      version: 1,
      collection: 'reviews_v1',
      position: head,
      lag: 0,
      lastError: null,
    });
    expect(await stores.documentStore.resolve('reviews')).toBe('reviews_v1');
    const docs = await allDocs(stores.documentStore, 'reviews');
    expect(docs).toHaveLength(96); // every 5th review was purged
    expect(docs.find((doc) => doc._id === 'r-00001')).toEqual({
      _id: 'r-00001',
      unit: 'unit-1',
      status: 'closed',
      findings: 2,
      severities: ['major', 'minor'],
      _position: expect.any(Number),
    });
    expect((await stores.checkpointStore.load('reviews_v1'))?.position).toBe(head);
    // One commit per batch, each carrying the checkpoint of exactly the documents it wrote.
    const commits = flaky.commits.filter((commit) => commit.checkpoint.name === 'reviews_v1');
    expect(commits.length).toBeGreaterThanOrEqual(6);
    for (const commit of commits) {
      for (const write of commit.writes) {
        if (write.op === 'put') expect(write.doc._position).toBeLessThanOrEqual(commit.checkpoint.position);
      }
    }
    expect(new Set(commits.map((commit) => commit.checkpoint.position)).size).toBe(commits.length);
  });

  it('yields identical documents when every event is applied twice', async () => {
    const head = await seedReviews(stores.eventStore, 60);
    const first = runner();
    first.start();
    await live(first);
    await first.stop();
    const once = await allDocs(stores.documentStore, 'reviews_v1');

    // (1) Replay from checkpoint 0, and from the middle (where no creation event resets a document and
    // only the stored positions stop a second application), over the finished collection.
    for (const from of [0, Math.floor(head / 2)]) {
      // A reset (delete, then save): a checkpoint refuses to move backwards.
      await stores.checkpointStore.delete('reviews_v1');
      await stores.checkpointStore.save('reviews_v1', from);
      const replay = runner();
      replay.start();
      await live(replay);
      await replay.stop();
      expect(replay.statusOf('reviews').eventsProcessed).toBeGreaterThan(0);
      expect(await allDocs(stores.documentStore, 'reviews_v1')).toEqual(once);
    }

    // (2) Feed the same batches (the whole history, and its second half) twice through fold and commit.
    for (const after of [0, Math.floor(head / 2)]) {
      const page = await stores.eventStore.readAll({
        after,
        maxCount: 5000,
        filter: { eventTypes: reviewsProjection().eventTypes },
      });
      for (let round = 0; round < 2; round += 1) {
        const folded = await foldBatch(
          reviewsProjection(),
          'reviews_v1',
          page.events,
          page.lastPosition,
          async (ids) => {
            const docs = await Promise.all(ids.map((id) => stores.documentStore.get('reviews_v1', id)));
            return new Map(ids.map((id, i) => [id, docs[i] ?? null]));
          },
        );
        await stores.documentStore.commit(folded.writes, { name: 'reviews_v1', position: head });
        expect(await allDocs(stores.documentStore, 'reviews_v1')).toEqual(once);
      }
    }
  });

  it('deletes the document when evolve returns null', async () => {
    await seedReviews(stores.eventStore, 3, 1);
    const projections = runner();
    projections.start();
    await live(projections);
    expect(await stores.documentStore.get('reviews_v1', 'r-00002')).not.toBeNull();

    const purge = await stores.eventStore.append(
      'review-r-00002',
      [newEvent('ReviewPurged.v1', { reviewId: 'r-00002' })],
      {
        expectedRevision: 4,
      },
    );
    expect(await projections.waitForPosition('reviews', purge.position, 10_000)).toBe(true);
    expect(await stores.documentStore.get('reviews_v1', 'r-00002')).toBeNull();
    expect(await stores.documentStore.get('reviews_v1', 'r-00001')).not.toBeNull();
  });

  it('stops on a poison event with a report instead of retrying or skipping it', async () => {
    await seedReviews(stores.eventStore, 10);
    const reports: PoisonEventReport[] = [];
    const projections = runner({
      definitions: [reviewsProjection({ poisonOn: 'fatal' })],
      onPoison: (report) => reports.push(report),
    });
    projections.start();
    await live(projections);

    const bad = await stores.eventStore.append(
      'review-bad',
      [
        newEvent('ReviewOpened.v1', { reviewId: 'bad', unit: 'x' }),
        newEvent('FindingRecorded.v1', { reviewId: 'bad', severity: 'fatal' }),
      ],
      { expectedRevision: 'no_stream' },
    );
    await seedReviews(stores.eventStore, 5, 100);
    await until(() => projections.statusOf('reviews').state === 'failed', 10_000, 'failed state');

    const [poisonEvent] = await stores.eventStore.readStream('review-bad', { fromRevision: 1 });
    expect(reports).toEqual([
      expect.objectContaining({
        projection: 'reviews',
        collection: 'reviews_v1',
        eventId: poisonEvent!.id,
        eventType: 'FindingRecorded.v1',
        streamId: 'review-bad',
        position: bad.position,
        documentId: 'bad',
        error: 'cannot grade severity fatal',
      }),
    ]);
    const status = projections.statusOf('reviews');
    expect(status.lastError?.poison?.eventId).toBe(poisonEvent!.id);
    expect(status.position).toBe(bad.position - 1);
    expect(status.lag).toBeGreaterThan(0);
    expect((await stores.checkpointStore.load('reviews_v1'))?.position).toBe(bad.position - 1);
    // Everything before the poison event is there; nothing after it was applied.
    expect(await stores.documentStore.get('reviews_v1', 'bad')).toMatchObject({ status: 'open', findings: 0 });
    expect(await stores.documentStore.get('reviews_v1', 'r-00100')).toBeNull();
    expect(await projections.waitForPosition('reviews', bad.position, 50)).toBe(false);
  });

  it('a poison event during the first build fails the projection and never switches the alias', async () => {
    await seedReviews(stores.eventStore, 5);
    const bad = await stores.eventStore.append(
      'review-bad',
      [newEvent('FindingRecorded.v1', { reviewId: 'bad', severity: 'fatal' })],
      {
        expectedRevision: 'no_stream',
      },
    );
    const reports: PoisonEventReport[] = [];
    const projections = runner({
      definitions: [reviewsProjection({ poisonOn: 'fatal' })],
      onPoison: (report) => reports.push(report),
    });
    projections.start();
    await until(() => projections.statusOf('reviews').state === 'failed', 10_000, 'failed state');
    expect(reports.map((report) => report.position)).toEqual([bad.position]);
    expect(projections.statusOf('reviews')).toMatchObject({
      collection: null,
      lastError: { poison: { position: bad.position } },
    });
    expect(await stores.documentStore.resolve('reviews')).toBe('reviews');
    expect((await stores.checkpointStore.load('reviews_v1'))?.position).toBe(bad.position - 1);
  });

  it('retries store errors with backoff and then succeeds', async () => {
    const head = await seedReviews(stores.eventStore, 20);
    const flaky = new FlakyDocumentStore(stores.documentStore);
    flaky.failNextCommits = 3;
    const errors: number[] = [];
    const projections = runner({
      documentStore: flaky,
      onStatus: (status) => {
        if (status.lastError?.attempts !== undefined) errors.push(status.lastError.attempts);
      },
    });
    projections.start();
    const status = await live(projections);
    expect(flaky.failedCommits).toBe(3);
    expect(errors).toEqual([1, 2, 3]);
    expect(status.lastError).toBeNull();
    expect(status.position).toBe(head);
    expect(await stores.documentStore.count('reviews')).toBe(16);
  });

  it('reports lag and head while catching up, then live', async () => {
    await seedReviews(stores.eventStore, 50);
    const seen: ProjectionStatus[] = [];
    const projections = runner({ rebuildBatchSize: 20, onStatus: (status) => seen.push(status) });
    projections.start();
    const status = await live(projections);
    // The first start builds reviews_v1 before it serves: its progress is the status meanwhile.
    const building = seen.filter((s) => s.state === 'catching-up' && s.rebuild !== null);
    expect(building.length).toBeGreaterThan(3);
    expect(building.every((s) => s.collection === null && s.rebuild?.target === 'reviews_v1')).toBe(true);
    expect(building.some((s) => s.lag > 0 && s.headPosition === status.headPosition)).toBe(true);
    expect(status).toMatchObject({ collection: 'reviews_v1', lag: 0, rebuild: null });
    expect(status.eventsProcessed).toBe(50 * 4 + 10);
  });

  it('runs several projections, one event touching several documents', async () => {
    await seedReviews(stores.eventStore, 6);
    const transfer = await stores.eventStore.append(
      'review-r-00000',
      [newEvent('ReviewTransferred.v1', { reviewId: 'r-00000', from: 'unit-0', to: 'unit-1' })],
      { expectedRevision: 5 },
    );
    const projections = runner({ definitions: [reviewsProjection(), unitsProjection()] });
    projections.start();
    expect(await projections.waitForPosition('units', transfer.position, 10_000)).toBe(true);
    expect(await allDocs(stores.documentStore, 'units')).toEqual([
      { _id: 'unit-0', reviews: 1, _position: transfer.position },
      { _id: 'unit-1', reviews: 3, _position: transfer.position },
      { _id: 'unit-2', reviews: 2, _position: expect.any(Number) },
    ]);
    expect(projections.status().map((s) => s.name)).toEqual(['reviews', 'units']);
  });

  it('waitForPosition: waits for a new event, passes positions of other types, and gives up after its bound', async () => {
    await seedReviews(stores.eventStore, 5);
    const projections = runner();
    projections.start();
    await live(projections);

    const opened = await stores.eventStore.append(
      'review-new',
      [newEvent('ReviewOpened.v1', { reviewId: 'new', unit: 'u' })],
      {
        expectedRevision: 'no_stream',
      },
    );
    expect(await projections.waitForPosition('reviews', opened.position, 10_000)).toBe(true);
    expect(await stores.documentStore.get('reviews', 'new')).toMatchObject({ status: 'open' });

    // An event the projection does not handle: reached without a batch ever arriving.
    const other = await stores.eventStore.append('audit-1', [newEvent('AuditSealed.v1', { reviewId: 'n/a' })], {
      expectedRevision: 'no_stream',
    });
    expect(await projections.waitForPosition('reviews', other.position, 10_000)).toBe(true);

    // Stopped runner: the position is never reached, the wait returns false at its bound.
    await projections.stop();
    const later = await stores.eventStore.append(
      'review-late',
      [newEvent('ReviewOpened.v1', { reviewId: 'late', unit: 'u' })],
      {
        expectedRevision: 'no_stream',
      },
    );
    const started = Date.now();
    expect(await projections.waitForPosition('reviews', later.position, 150)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('waitForPosition: passes a stretch without its events longer than a filtered page, scanned once', async () => {
    await seedReviews(stores.eventStore, 5);
    // Progress batches would move the checkpoint past the stretch within the interval; held back here, the
    // stretch after the checkpoint is what the store is asked about.
    const projections = runner({ progressIntervalMs: 60_000 });
    projections.start();
    const { position: checkpoint } = await live(projections);
    // More events of other types than the store examines per filtered page (20,000): within the progress
    // interval the subscription delivers nothing for them, so the checkpoint stays where it was.
    const unrelated = Array.from({ length: 25_000 }, (_, index) => newEvent('AuditSealed.v1', { index }));
    const { position } = await stores.eventStore.append('audit-long', unrelated, { expectedRevision: 'no_stream' });
    const readAll = jest.spyOn(stores.eventStore, 'readAll');
    expect(await projections.waitForPosition('reviews', position, 2_000)).toBe(true);
    expect(projections.statusOf('reviews').position).toBe(checkpoint);
    expect(readAll.mock.calls.length).toBeGreaterThanOrEqual(2);
    // The stretch is remembered: the same wait again reads nothing; one more event reads only past it.
    readAll.mockClear();
    expect(await projections.waitForPosition('reviews', position, 2_000)).toBe(true);
    expect(readAll).not.toHaveBeenCalled();
    const next = await stores.eventStore.append('audit-next', [newEvent('AuditSealed.v1', {})], {
      expectedRevision: 'no_stream',
    });
    expect(await projections.waitForPosition('reviews', next.position, 2_000)).toBe(true);
    expect(readAll.mock.calls.map(([options]) => options.after)).toEqual([position]);

    // The API of server mode, reading checkpoints only, passes the same stretch.
    const api = new CheckpointPositionSource({ definitions: [reviewsProjection()], ...stores });
    expect(await api.waitForPosition('reviews', next.position, 2_000)).toBe(true);
    readAll.mockRestore();
  });

  it('stop() commits the batch in hand with its checkpoint, and a restart continues from it', async () => {
    await seedReviews(stores.eventStore, 2);
    const stop: { requested: Promise<void> | null } = { requested: null };
    let stopAt = Number.POSITIVE_INFINITY;
    const projections = runner({
      batchSize: 10,
      onStatus: (status) => {
        // Ask for a stop while live batches are still coming.
        if (stop.requested === null && status.eventsProcessed >= stopAt) stop.requested = projections.stop();
      },
    });
    projections.start();
    await live(projections);
    stopAt = projections.statusOf('reviews').eventsProcessed + 30;
    await seedReviews(stores.eventStore, 38, 2);
    await until(() => stop.requested !== null, 10_000, 'stop requested');
    await stop.requested;
    const stopped = projections.statusOf('reviews');
    expect(stopped.state).toBe('stopped');
    expect((await stores.checkpointStore.load('reviews_v1'))?.position).toBe(stopped.position);
    expect(stopped.position).toBeLessThan(await stores.eventStore.headPosition());

    const restarted = runner();
    restarted.start();
    const status = await live(restarted);
    expect(status.eventsProcessed).toBeLessThan(200);
    expect(await stores.documentStore.count('reviews')).toBe(32);
  });

  it('server mode: one active runner per projection through a lease, taken over when the holder dies', async () => {
    await seedReviews(stores.eventStore, 5);
    const lease = { ttlMs: 300 };
    const dying = new FlakyDocumentStore(stores.documentStore);
    const a = runner({ owner: 'node-a', lease, documentStore: dying });
    a.start();
    await live(a);
    const b = runner({ owner: 'node-b', lease });
    b.start();
    await until(() => b.statusOf('reviews').state === 'standby', 10_000, 'b on standby');
    expect(await stores.documentStore.get('_leases', 'projection:reviews')).toMatchObject({ owner: 'node-a' });

    // node-a loses its database connection for good: it can neither write nor renew.
    dying.dead = true;
    const opened = await stores.eventStore.append(
      'review-x',
      [newEvent('ReviewOpened.v1', { reviewId: 'x', unit: 'u' })],
      {
        expectedRevision: 'no_stream',
      },
    );
    expect(await b.waitForPosition('reviews', opened.position, 10_000)).toBe(true);
    expect(b.statusOf('reviews')).toMatchObject({ state: 'live', collection: 'reviews_v1' });
    expect(await stores.documentStore.get('_leases', 'projection:reviews')).toMatchObject({ owner: 'node-b' });
    expect(await stores.documentStore.get('reviews', 'x')).toMatchObject({ status: 'open' });

    // The API process runs no projections in server mode: it waits on the checkpoint store instead.
    const api = new CheckpointPositionSource({ definitions: [reviewsProjection()], ...stores });
    const closed = await stores.eventStore.append('review-x', [newEvent('ReviewClosed.v1', { reviewId: 'x' })], {
      expectedRevision: 0,
    });
    expect(await api.waitForPosition('reviews', closed.position, 10_000)).toBe(true);
    expect(await stores.documentStore.get('reviews', 'x')).toMatchObject({ status: 'closed' });
    await b.stop();
    const late = await stores.eventStore.append(
      'review-y',
      [newEvent('ReviewOpened.v1', { reviewId: 'y', unit: 'u' })],
      {
        expectedRevision: 'no_stream',
      },
    );
    expect(await api.waitForPosition('reviews', late.position, 100)).toBe(false);
    const unrelated = await stores.eventStore.append('audit-1', [newEvent('AuditSealed.v1', {})], {
      expectedRevision: 'no_stream',
    });
    expect(await api.reached('reviews', unrelated.position)).toBe(false); // review-y is still unprojected
  });
});
