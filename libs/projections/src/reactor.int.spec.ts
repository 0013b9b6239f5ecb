import type { RecordedEvent } from '@pruefpfad/event-store';
import type { PoisonEventReport } from './projection-status.js';
import {
  appendOnce,
  PermanentReactorError,
  type ReactorDefinition,
  ReactorRunner,
  reactorCheckpointName,
} from './reactor.js';
import { newEvent, openTestStores, type TestStores, until } from './testing/projection-fixtures.js';

interface SampleDrawn {
  readonly drawId: string;
  readonly caseIds: readonly string[];
}

describe('ReactorRunner (embedded stores)', () => {
  let stores: TestStores;

  beforeEach(async () => {
    stores = await openTestStores();
  });

  afterEach(async () => {
    await stores.close();
  });

  async function draw(drawId: string, count: number): Promise<number> {
    const caseIds = Array.from({ length: count }, (_, i) => `case-${i}`);
    const result = await stores.eventStore.append(
      `sampling-${drawId}`,
      [newEvent('SampleDrawn.v1', { drawId, caseIds })],
      {
        expectedRevision: 'no_stream',
      },
    );
    return result.position;
  }

  /** Opens one review stream per drawn case; the stream id is derived from the event, so a redo is refused. */
  function openReviews(
    log: { delivered: string[]; appended: number; alreadyDone: number },
    crashAfter?: { count: number; crash: () => void },
  ): ReactorDefinition {
    return {
      name: 'open-reviews',
      filter: { eventTypes: ['SampleDrawn.v1'] },
      async handle(event, context) {
        const data = event.data as SampleDrawn;
        log.delivered.push(data.drawId);
        for (const caseId of data.caseIds) {
          if (context.signal.aborted) throw new Error('process died');
          const outcome = await appendOnce(stores.eventStore, `review-${data.drawId}-${caseId}`, [
            newEvent('ReviewOpened.v1', { reviewId: `${data.drawId}-${caseId}`, drawId: data.drawId }),
          ]);
          if (outcome.outcome === 'appended') log.appended += 1;
          else log.alreadyDone += 1;
          if (crashAfter !== undefined && log.appended === crashAfter.count) crashAfter.crash();
        }
      },
    };
  }

  async function reviewStreams(drawId: string, count: number): Promise<number[]> {
    const lengths: number[] = [];
    for (let i = 0; i < count; i += 1)
      lengths.push((await stores.eventStore.readStream(`review-${drawId}-case-${i}`)).length);
    return lengths;
  }

  it('resumes after a crash half-way and every stream exists exactly once with one event', async () => {
    const first = await draw('d1', 40);
    await stores.eventStore.append('audit-x', [newEvent('AuditSealed.v1', {})], { expectedRevision: 'no_stream' });
    const second = await draw('d2', 10);

    const log = { delivered: [] as string[], appended: 0, alreadyDone: 0 };
    const crash: { done: Promise<void> | null } = { done: null };
    const crashing: ReactorRunner = new ReactorRunner({
      reactor: openReviews(log, {
        count: 15,
        crash: () => {
          crash.done = crashing.kill();
        },
      }),
      eventStore: stores.eventStore,
      checkpointStore: stores.checkpointStore,
      handlerRetry: { initialMs: 5, maxMs: 10 },
    });
    crashing.start();
    await until(() => crash.done !== null, 10_000, 'crash');
    await crash.done;
    expect(log.appended).toBe(15);
    // Nothing was saved for the draw being handled: the restart must see it again.
    expect((await stores.checkpointStore.load(reactorCheckpointName('open-reviews')))?.position ?? 0).toBeLessThan(
      first,
    );

    const restarted = new ReactorRunner({
      reactor: openReviews(log),
      eventStore: stores.eventStore,
      checkpointStore: stores.checkpointStore,
    });
    restarted.start();
    const head = await stores.eventStore.headPosition();
    await until(() => restarted.status().position >= second, 10_000, 'restarted reactor caught up');
    await restarted.stop();

    expect(log.delivered).toEqual(['d1', 'd1', 'd2']);
    expect(log.appended).toBe(50);
    expect(log.alreadyDone).toBe(15);
    expect(await reviewStreams('d1', 40)).toEqual(Array(40).fill(1));
    expect(await reviewStreams('d2', 10)).toEqual(Array(10).fill(1));
    expect((await stores.checkpointStore.load(reactorCheckpointName('open-reviews')))?.position).toBeGreaterThanOrEqual(
      second,
    );
    expect(head).toBeGreaterThanOrEqual(second);
    expect(restarted.status()).toMatchObject({ state: 'stopped', handled: 2, lastError: null });
  });

  it('continues from the stored checkpoint when another runner of the same reactor moved it on', async () => {
    const first = await draw('d1', 1);
    const second = await draw('d2', 1);
    const delivered: string[] = [];
    const runner = new ReactorRunner({
      reactor: {
        name: 'shared',
        filter: { eventTypes: ['SampleDrawn.v1'] },
        async handle(event: RecordedEvent) {
          delivered.push((event.data as SampleDrawn).drawId);
          // Meanwhile another runner (the CLI's purge beside the service) handled both draws and saved.
          if (event.position === first) await stores.checkpointStore.save(reactorCheckpointName('shared'), second);
        },
      },
      eventStore: stores.eventStore,
      checkpointStore: stores.checkpointStore,
      checkpointEvery: 1,
      // Bounded, so that a runner that keeps redoing d1 and being refused fails instead of looping.
      storeRetry: { initialMs: 1, maxMs: 5, maxAttempts: 5 },
    });
    runner.start();
    await until(
      () => runner.status().position >= second || runner.status().state === 'failed',
      10_000,
      'took over the stored checkpoint',
    );
    expect(runner.status()).toMatchObject({ state: 'running', lastError: null });
    const third = await draw('d3', 1);
    await until(() => runner.status().position >= third, 10_000, 'handled what came after');
    await runner.stop();
    // Its own save of d1 was refused (the checkpoint never moves back); it did not redo d1 again and again.
    expect(delivered).toEqual(['d1', 'd3']);
    expect((await stores.checkpointStore.load(reactorCheckpointName('shared')))?.position).toBe(third);
  });

  it('retries a failing handler with backoff until it succeeds', async () => {
    await draw('d1', 1);
    const attempts: number[] = [];
    const runner = new ReactorRunner({
      reactor: {
        name: 'flaky',
        filter: { eventTypes: ['SampleDrawn.v1'] },
        handle(_event: RecordedEvent, context) {
          attempts.push(context.attempt);
          return context.attempt < 3 ? Promise.reject(new Error('command bus busy')) : Promise.resolve();
        },
      },
      eventStore: stores.eventStore,
      checkpointStore: stores.checkpointStore,
      handlerRetry: { initialMs: 5, maxMs: 10 },
    });
    runner.start();
    await until(() => runner.status().handled === 1, 10_000, 'handled');
    await runner.stop();
    expect(attempts).toEqual([1, 2, 3]);
    expect(runner.status()).toMatchObject({ state: 'stopped', lastError: null });
  });

  it('reports a poison event after the retry budget, or at once for a permanent error, and stops', async () => {
    const good = await draw('d1', 1);
    const position = await draw('d2', 1);
    await draw('d3', 1);
    for (const [name, error, expectedAttempts] of [
      ['budget', new Error('always fails'), 3],
      ['permanent', new PermanentReactorError('cannot ever work'), 1],
    ] as const) {
      const reports: PoisonEventReport[] = [];
      const delivered: string[] = [];
      const runner = new ReactorRunner({
        reactor: {
          name,
          filter: { eventTypes: ['SampleDrawn.v1'] },
          handle(event) {
            const { drawId } = event.data as SampleDrawn;
            delivered.push(drawId);
            return drawId === 'd2' ? Promise.reject(error) : Promise.resolve();
          },
        },
        eventStore: stores.eventStore,
        checkpointStore: stores.checkpointStore,
        checkpointEvery: 10,
        handlerRetry: { initialMs: 5, maxMs: 10, maxAttempts: 3 },
        onPoison: (report) => reports.push(report),
      });
      runner.start();
      await runner.done();
      expect(delivered).toEqual(['d1', ...Array<string>(expectedAttempts).fill('d2')]);
      expect(runner.status().state).toBe('failed');
      expect(reports).toEqual([
        expect.objectContaining({ projection: name, eventType: 'SampleDrawn.v1', position, error: error.message }),
      ]);
      expect(runner.status().lastError?.poison?.position).toBe(position);
      // What was handled before the poison event is saved; the poison event itself is not.
      expect((await stores.checkpointStore.load(reactorCheckpointName(name)))?.position).toBe(good);
    }
  });
});
