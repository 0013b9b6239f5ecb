import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { berlinDate, DEFAULT_READ_MODEL_RULES, type IdGenerator } from '@pruefpfad/application';
import { ProjectionOperations } from '@pruefpfad/composition';
import type { AnswersRecorded } from '@pruefpfad/domain';
import type { EventFilter, EventStore } from '@pruefpfad/event-store';
import type { Envelope } from '@pruefpfad/privacy';
import { type ProjectionDefinition, rebuildProjection, type RebuildResult } from '@pruefpfad/projections';
import type { CheckpointStore, DocumentStore } from '@pruefpfad/read-store';
import type { Progress } from './bench-report.js';
import type { RebuildReply, RebuildRequest } from './rebuild-protocol.js';
import { type BenchReviews, decideReviewStream, reviewAggregate } from './review-events.js';

export interface Generated {
  readonly events: number;
  readonly reviews: number;
  readonly ms: number;
  readonly byType: ReadonlyMap<string, number>;
  /** Distinct questions answered, summed over reviews (what the `reviews` documents must hold). */
  readonly answeredQuestions: number;
  /** Mean length of the stored `data` + `metadata` JSON text. */
  readonly meanPayloadChars: number;
}

/**
 * Loads `total` events as whole review streams of the real review aggregate (one append of up to 30
 * events with `no_stream` per review), `streamsPerCommit` appends issued together so the adapter commits
 * them in one group commit. Every review gets its own data key in the key store, as in production.
 */
export async function generateReviewStreams(options: {
  readonly store: EventStore;
  readonly envelope: Envelope;
  readonly reviews: BenchReviews;
  readonly ids: IdGenerator;
  readonly total: number;
  readonly eventsPerReview: number;
  readonly streamsPerCommit: number;
  readonly progress?: Progress;
}): Promise<Generated> {
  const { store, envelope, ids, total } = options;
  const byType = new Map<string, number>();
  let produced = 0;
  let reviews = 0;
  let answeredQuestions = 0;
  let payloadChars = 0;
  let payloadEvents = 0;
  // Event times advance by a second per event from a fixed start, like a busy Jobcenter's weeks.
  let clock = Date.parse('2025-01-02T07:30:00.000Z');
  const now = (): string => new Date((clock += 1000)).toISOString();
  const started = performance.now();
  while (produced < total) {
    const appends: Promise<unknown>[] = [];
    for (let k = 0; k < options.streamsPerCommit && produced < total; k += 1) {
      const today = berlinDate(new Date(clock));
      const review = options.reviews.next({
        seed: reviews + 1,
        month: today.slice(0, 7),
        dialogueDate: today,
        count: Math.min(options.eventsPerReview, total - produced),
      });
      const events = await decideReviewStream({ envelope, review, ids, now });
      const answered = new Set<string>();
      for (const event of events) {
        byType.set(event.type, (byType.get(event.type) ?? 0) + 1);
        if (event.type === 'AnswersRecorded')
          for (const entry of (event.data as AnswersRecorded['data']).answers) answered.add(entry.questionId);
        // Every 97th review is measured: enough for a mean, without serialising everything twice.
        if (reviews % 97 === 0) {
          payloadChars += JSON.stringify(event.data).length + JSON.stringify(event.metadata).length;
          payloadEvents += 1;
        }
      }
      answeredQuestions += answered.size;
      appends.push(
        store.append(reviewAggregate.streamId(review.setting.reviewId), events, { expectedRevision: 'no_stream' }),
      );
      produced += events.length;
      reviews += 1;
    }
    await Promise.all(appends);
    options.progress?.update(produced, total);
  }
  return {
    events: produced,
    reviews,
    ms: performance.now() - started,
    byType,
    answeredQuestions,
    meanPayloadChars: payloadEvents > 0 ? payloadChars / payloadEvents : 0,
  };
}

/** Reads the whole store through the adapter's `readAll` (upcasting and parsing included). */
export async function adapterReadAll(options: {
  readonly store: EventStore;
  readonly pageSize: number;
  readonly filter?: EventFilter;
  readonly total: number;
  readonly progress?: Progress;
}): Promise<{ readonly events: number; readonly ms: number }> {
  let after = 0;
  let events = 0;
  const started = performance.now();
  for (;;) {
    const page = await options.store.readAll({ after, maxCount: options.pageSize, filter: options.filter });
    events += page.events.length;
    after = page.lastPosition;
    options.progress?.update(events, options.total);
    if (page.isEnd) break;
  }
  return { events, ms: performance.now() - started };
}

/** Peak resident set size while some work runs: sampled on a timer and on every progress report. */
export class RssSampler {
  private peakBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  samples = 0;

  start(intervalMs: number): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): void {
    const rss = process.memoryUsage.rss();
    this.samples += 1;
    if (rss > this.peakBytes) this.peakBytes = rss;
  }

  stop(): number {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.sample();
    return this.peakBytes;
  }
}

export interface RebuildRun {
  readonly result: RebuildResult;
  readonly ms: number;
  readonly peakRssBytes: number;
  readonly rssSamples: number;
}

/** The project's rebuild (`rebuildProjection`) from position 0 into a fresh collection. */
export async function runRebuild(options: {
  readonly definition: ProjectionDefinition;
  readonly eventStore: EventStore;
  readonly documentStore: DocumentStore;
  readonly checkpointStore: CheckpointStore;
  readonly batchSize?: number;
  readonly total: number;
  readonly progress?: Progress;
}): Promise<RebuildRun> {
  const sampler = new RssSampler();
  sampler.start(50);
  const started = performance.now();
  const result = await rebuildProjection(options.definition, {
    eventStore: options.eventStore,
    documentStore: options.documentStore,
    checkpointStore: options.checkpointStore,
    batchSize: options.batchSize,
    onProgress: (progress) => {
      sampler.sample();
      options.progress?.update(
        progress.eventsDone,
        options.total,
        `${progress.eventsPerSecond.toLocaleString('en-US')} events/s`,
      );
    },
  });
  const ms = performance.now() - started;
  const peakRssBytes = sampler.stop();
  options.progress?.done();
  return { result, ms, peakRssBytes, rssSamples: sampler.samples };
}

/**
 * The same rebuild through the operator path: `ProjectionOperations` without a host, as the CLI's
 * `projections rebuild` runs it locally (and the API's operator endpoint, through its host's runner):
 * refusal checks, the rebuild record and lease, then `rebuildProjection`. Timed from `startRebuild` until
 * `settled` reports the run.
 */
export async function runOperatorRebuild(options: {
  readonly definition: ProjectionDefinition;
  readonly eventStore: EventStore;
  readonly documentStore: DocumentStore;
  readonly checkpointStore: CheckpointStore;
  readonly batchSize?: number;
  readonly total: number;
  readonly progress?: Progress;
}): Promise<RebuildRun> {
  const sampler = new RssSampler();
  sampler.start(50);
  const operations = new ProjectionOperations({
    definitions: [options.definition],
    rules: DEFAULT_READ_MODEL_RULES,
    eventStore: options.eventStore,
    documentStore: options.documentStore,
    checkpointStore: options.checkpointStore,
    host: null,
    batchSize: options.batchSize,
    onProgress: (progress) => {
      sampler.sample();
      options.progress?.update(
        progress.eventsDone,
        options.total,
        `${progress.eventsPerSecond.toLocaleString('en-US')} events/s`,
      );
    },
  });
  const name = options.definition.name;
  const started = performance.now();
  await operations.startRebuild(name);
  const run = await operations.settled(name);
  const ms = performance.now() - started;
  const peakRssBytes = sampler.stop();
  options.progress?.done();
  if (run === null || !run.ok || run.target === null) {
    throw new Error(`rebuild through ProjectionOperations failed: ${run?.error?.message ?? 'no run reported'}`);
  }
  const position = (await options.checkpointStore.load(run.target))?.position ?? 0;
  return {
    result: {
      projection: name,
      target: run.target,
      previous: null,
      resumedFrom: run.resumedFrom ?? 0,
      position,
      eventsDone: run.eventsDone ?? 0,
      durationMs: run.durationMs ?? ms,
    },
    ms,
    peakRssBytes,
    rssSamples: sampler.samples,
  };
}

export type RebuildDone = Extract<RebuildReply, { readonly type: 'done' }>;

/** Runs `runRebuild` in a fresh child process (see `rebuild-child-process.ts`) and waits for its figures. */
export function rebuildInChildProcess(request: RebuildRequest): Promise<RebuildDone> {
  return new Promise<RebuildDone>((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./rebuild-child-process.js', import.meta.url)), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const received: { reply: RebuildReply | null } = { reply: null };
    child.on('message', (message) => {
      received.reply = message as RebuildReply;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const { reply } = received;
      if (reply?.type === 'done') resolve(reply);
      else if (reply?.type === 'failed') reject(new Error(`rebuild failed in the child process: ${reply.message}`));
      else
        reject(
          new Error(
            `rebuild child process ended without a result (exit code ${String(code)}, signal ${String(signal)})`,
          ),
        );
    });
    child.send(request);
  });
}
