import path from 'node:path';
import type { RecordedEvent } from '@pruefpfad/event-store';
import {
  type CheckpointStore,
  type Doc,
  type DocumentStore,
  type DocumentWrite,
  EmbeddedReadStore,
  type Filter,
  type FindOptions,
  type Pipeline,
} from '@pruefpfad/read-store';
import type { ProjectionDefinition } from './projection.js';
import { type ProcessorOutcome, ProjectionProcessor } from './projection-processor.js';
import { foldInMemory } from './testing/fold-in-memory.js';
import {
  allDocs,
  newEvent,
  openTestStores,
  reviewsProjection,
  seedReviews,
  type TestStores,
} from './testing/projection-fixtures.js';

const COLLECTION = 'reviews_v1';
const fastRetry = { initialMs: 1, maxMs: 5 };

interface Attempt {
  readonly checkpoint: number;
  ok: boolean;
}

/**
 * The real store, observed: every commit lands a turn after it was called (as one on a writer thread or a
 * server does), or waits while `hold` is set; chosen attempts fail. Counts reads made while a commit is in
 * flight, i.e. the next batch being folded meanwhile.
 */
class ObservedDocumentStore implements DocumentStore {
  readonly attempts: Attempt[] = [];
  readonly failAttempts = new Set<number>();
  committing = 0;
  maxCommitting = 0;
  readsWhileCommitting = 0;
  hold = false;
  private readonly held: (() => void)[] = [];

  constructor(private readonly inner: DocumentStore) {}

  get waiting(): number {
    return this.held.length;
  }

  release(): void {
    this.hold = false;
    for (const go of this.held.splice(0)) go();
  }

  async commit(
    writes: readonly DocumentWrite[],
    checkpoint: { readonly name: string; readonly position: number },
  ): Promise<void> {
    const attempt: Attempt = { checkpoint: checkpoint.position, ok: false };
    const index = this.attempts.push(attempt) - 1;
    this.committing += 1;
    this.maxCommitting = Math.max(this.maxCommitting, this.committing);
    try {
      await new Promise<void>((resolve) => (this.hold ? this.held.push(resolve) : setImmediate(resolve)));
      if (this.failAttempts.has(index)) throw new Error('commit failed (simulated outage)');
      await this.inner.commit(writes, checkpoint);
      attempt.ok = true;
    } finally {
      this.committing -= 1;
    }
  }

  getMany(collection: string, ids: readonly string[]): Promise<readonly Doc[]> {
    this.sawRead();
    return this.inner.getMany(collection, ids);
  }

  get(collection: string, id: string): Promise<Doc | null> {
    this.sawRead();
    return this.inner.get(collection, id);
  }

  find(collection: string, filter?: Filter, options?: FindOptions): Promise<Doc[]> {
    return this.inner.find(collection, filter, options);
  }
  count(collection: string, filter?: Filter): Promise<number> {
    return this.inner.count(collection, filter);
  }
  aggregate(collection: string, pipeline: Pipeline): Promise<Record<string, unknown>[]> {
    return this.inner.aggregate(collection, pipeline);
  }
  put(collection: string, doc: Doc): Promise<void> {
    return this.inner.put(collection, doc);
  }
  putIf(...args: Parameters<DocumentStore['putIf']>): Promise<boolean> {
    return this.inner.putIf(...args);
  }
  deleteIf(...args: Parameters<DocumentStore['deleteIf']>): Promise<boolean> {
    return this.inner.deleteIf(...args);
  }
  ensureIndexes(...args: Parameters<DocumentStore['ensureIndexes']>): Promise<void> {
    return this.inner.ensureIndexes(...args);
  }
  delete(collection: string, id: string): Promise<void> {
    return this.inner.delete(collection, id);
  }
  resolve(collection: string): Promise<string> {
    return this.inner.resolve(collection);
  }
  switchAlias(alias: string, physical: string): Promise<void> {
    return this.inner.switchAlias(alias, physical);
  }
  dropCollection(physical: string): Promise<void> {
    return this.inner.dropCollection(physical);
  }
  listCollections(): Promise<string[]> {
    return this.inner.listCollections();
  }
  close(): Promise<void> {
    return this.inner.close();
  }

  private sawRead(): void {
    if (this.committing > 0) this.readsWhileCommitting += 1;
  }
}

const turns = async (count: number): Promise<void> => {
  for (let turn = 0; turn < count; turn += 1) await new Promise<void>((resolve) => setImmediate(resolve));
};

describe('ProjectionProcessor, pipelined (embedded stores)', () => {
  let stores: TestStores;
  let threaded: EmbeddedReadStore;

  beforeEach(async () => {
    stores = await openTestStores();
    threaded = EmbeddedReadStore.open({ file: path.join(stores.dir, 'threaded.db'), writerThread: true });
  });

  afterEach(async () => {
    await threaded.close();
    await stores.close();
  });

  /**
   * Many reviews interleaved, then a few with events close together, so consecutive small batches keep
   * writing the same documents (served from the batch in flight) and some are purged (deleted).
   */
  async function seed(): Promise<number> {
    await seedReviews(stores.eventStore, 30);
    return seedReviews(stores.eventStore, 4, 100);
  }

  async function handledEvents(definition: ProjectionDefinition, upTo = Number.MAX_SAFE_INTEGER) {
    const events: RecordedEvent[] = [];
    for (let after = 0; ;) {
      const page = await stores.eventStore.readAll({
        after,
        maxCount: 500,
        filter: { eventTypes: definition.eventTypes },
      });
      events.push(...page.events.filter((event) => event.position <= upTo));
      after = page.lastPosition;
      if (page.isEnd) break;
    }
    return events;
  }

  /** What a plain, one-batch-after-the-other fold of the same events gives. */
  async function sequentialDocs(definition: ProjectionDefinition, upTo?: number): Promise<Doc[]> {
    const reference = foldInMemory(definition, COLLECTION);
    await reference.feed(await handledEvents(definition, upTo), 1);
    return reference.sortedDocs();
  }

  function processor(
    documentStore: DocumentStore,
    checkpointStore: CheckpointStore,
    options: Partial<ConstructorParameters<typeof ProjectionProcessor>[0]> = {},
  ): ProjectionProcessor {
    return new ProjectionProcessor({
      definition: reviewsProjection(),
      collection: COLLECTION,
      eventStore: stores.eventStore,
      documentStore,
      checkpointStore,
      batchSize: 3,
      retry: fastRetry,
      untilCaughtUp: true,
      ...options,
    });
  }

  it('folds the next batch while the previous one commits, one commit at a time, into the sequential result', async () => {
    const head = await seed();
    const observed = new ObservedDocumentStore(stores.readStore.documents);
    const run = processor(observed, stores.checkpointStore);

    expect(await run.run()).toEqual({ kind: 'caught-up', position: head });

    const expected = await sequentialDocs(reviewsProjection());
    expect(await allDocs(stores.documentStore, COLLECTION)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(20);
    // Overlapped: the next batch was read while a commit was in flight, but never two commits at once.
    expect(observed.readsWhileCommitting).toBeGreaterThan(5);
    expect(observed.maxCommitting).toBe(1);
    const checkpoints = observed.attempts.map((attempt) => attempt.checkpoint);
    expect(checkpoints).toEqual([...checkpoints].sort((a, b) => a - b));
    expect(new Set(checkpoints).size).toBe(checkpoints.length);
    expect((await stores.checkpointStore.load(COLLECTION))?.position).toBe(head);
    expect(run.progress()).toMatchObject({
      position: head,
      eventsProcessed: (await handledEvents(reviewsProjection())).length,
    });
  });

  it('on the writer thread store gives the same documents, and replaying every event changes nothing', async () => {
    const head = await seed();
    const first = processor(threaded.documents, threaded.checkpoints, { batchSize: 4 });
    expect(await first.run()).toEqual({ kind: 'caught-up', position: head });
    const once = await allDocs(threaded.documents, COLLECTION);
    expect(once).toEqual(await sequentialDocs(reviewsProjection()));

    for (const [from, batchSize] of [
      [0, 5],
      [Math.floor(head / 2), 2],
    ] as const) {
      // A reset (delete, then save): a checkpoint refuses to move backwards.
      await threaded.checkpoints.delete(COLLECTION);
      await threaded.checkpoints.save(COLLECTION, from);
      const replay = processor(threaded.documents, threaded.checkpoints, { batchSize });
      expect(await replay.run()).toEqual({ kind: 'caught-up', position: head });
      expect(replay.progress().eventsProcessed).toBeGreaterThan(0);
      expect(await allDocs(threaded.documents, COLLECTION)).toEqual(once);
      expect((await threaded.checkpoints.load(COLLECTION))?.position).toBe(head);
    }
  });

  it('a commit failing mid-run discards the batch folded meanwhile and resumes: nothing lost, nothing twice', async () => {
    const head = await seed();
    const observed = new ObservedDocumentStore(threaded.documents);
    observed.failAttempts.add(4);
    const errors: string[] = [];
    const run = processor(observed, threaded.checkpoints, {
      onProgress: (progress) => {
        if (progress.lastError !== null) errors.push(progress.lastError.message);
      },
    });

    expect(await run.run()).toEqual({ kind: 'caught-up', position: head });

    expect(errors).toEqual(['commit failed (simulated outage)']);
    const failed = observed.attempts[4]!;
    expect(failed.ok).toBe(false);
    // The retry starts again at the failed batch: the batch folded while it failed was never committed.
    expect(observed.attempts[5]!.checkpoint).toBe(failed.checkpoint);
    const committed = observed.attempts.filter((attempt) => attempt.ok).map((attempt) => attempt.checkpoint);
    expect(new Set(committed).size).toBe(committed.length);
    expect(committed).toEqual([...committed].sort((a, b) => a - b));
    expect(await allDocs(threaded.documents, COLLECTION)).toEqual(await sequentialDocs(reviewsProjection()));
    // Every event counted once: none lost with the discarded fold, none counted again after the retry.
    expect(run.progress()).toMatchObject({
      position: head,
      eventsProcessed: (await handledEvents(reviewsProjection())).length,
      lastError: null,
    });
  });

  it('stop while a commit is in flight waits for it and ends at its checkpoint', async () => {
    await seed();
    const observed = new ObservedDocumentStore(threaded.documents);
    observed.hold = true;
    const run = processor(observed, threaded.checkpoints, { untilCaughtUp: false });
    const outcome = run.run();
    // The first commit is held; the run has folded the next batch meanwhile and waits for it.
    for (let turn = 0; observed.waiting === 0 || observed.readsWhileCommitting === 0; turn += 1) {
      if (turn > 1000) throw new Error('no commit in flight');
      await turns(1);
    }
    const heldCheckpoint = observed.attempts[0]!.checkpoint;
    expect(run.progress()).toMatchObject({ position: 0, eventsProcessed: 0 });

    let settledEarly = false;
    const stopped = run.stop().then((result) => {
      settledEarly = observed.waiting > 0;
      return result;
    });
    await turns(20);
    expect(observed.waiting).toBe(1);
    observed.release();
    const result: ProcessorOutcome | null = await stopped;

    expect(settledEarly).toBe(false);
    expect(await outcome).toEqual(result);
    expect(result?.kind).toBe('stopped');
    expect(result!.position).toBeGreaterThanOrEqual(heldCheckpoint);
    expect(observed.committing).toBe(0);
    expect(observed.attempts.every((attempt) => attempt.ok)).toBe(true);
    expect((await threaded.checkpoints.load(COLLECTION))?.position).toBe(result!.position);
    expect(await allDocs(threaded.documents, COLLECTION)).toEqual(
      await sequentialDocs(reviewsProjection(), result!.position),
    );
  });

  it('a poison event: the batches before it and its own events before it are committed, then it is reported', async () => {
    await seed();
    await stores.eventStore.append(
      'review-r-00101',
      [newEvent('FindingRecorded.v1', { reviewId: 'r-00101', severity: 'fatal' })],
      {
        expectedRevision: 'any',
      },
    );
    await seedReviews(stores.eventStore, 3, 200);
    const [bad] = (await handledEvents(reviewsProjection())).filter(
      (event) => (event.data as { severity?: string }).severity === 'fatal',
    );
    const observed = new ObservedDocumentStore(threaded.documents);
    const run = processor(observed, threaded.checkpoints, { definition: reviewsProjection({ poisonOn: 'fatal' }) });

    const outcome = await run.run();

    expect(outcome).toMatchObject({
      kind: 'failed',
      position: bad!.position - 1,
      error: { poison: { eventId: bad!.id, position: bad!.position } },
    });
    expect((await threaded.checkpoints.load(COLLECTION))?.position).toBe(bad!.position - 1);
    expect(await allDocs(threaded.documents, COLLECTION)).toEqual(
      await sequentialDocs(reviewsProjection(), bad!.position - 1),
    );
    expect(observed.maxCommitting).toBe(1);
  });
});
