import { performance } from 'node:perf_hooks';
import { berlinDate, type CommandPipeline, type IdGenerator, systemClock } from '@pruefpfad/application';
import type { Envelope } from '@pruefpfad/privacy';
import type { Progress } from './bench-report.js';
import { type BenchReview, type BenchReviews, commandContextFor, reviewAggregate } from './review-events.js';
import { type PlainReviewCommand, sealReviewCommand } from './review-script.js';

/**
 * Commands through the real `CommandPipeline`: seal the personal fields (as the controller does), then
 * read stream → fold → decide → append with the expected revision. Each writer works through its own
 * review streams one after another, so writers never conflict and their appends meet in group commits.
 */
export interface PipelineRun {
  readonly commands: number;
  readonly ms: number;
  readonly latenciesMs: Float64Array;
  /** Time spent sealing personal fields (key look-up or creation plus AES-GCM), summed over commands. */
  readonly sealMs: number;
}

/**
 * The reviews a run works through, generated before the clock starts (as the raw baseline prepares its
 * rows): the client-side script is the harness's work, not the project's. Sampled in the current month.
 */
class ReviewPool {
  private readonly reviews: BenchReview[] = [];
  private taken = 0;

  constructor(source: BenchReviews, count: number, seed: number) {
    const today = berlinDate(systemClock.now());
    for (let index = 0; index < count; index += 1)
      this.reviews.push(source.next({ seed: seed + index * 7919, month: today.slice(0, 7), dialogueDate: today }));
  }

  take(): BenchReview {
    const review = this.reviews[this.taken];
    if (review === undefined) throw new Error('bench: review pool exhausted');
    this.taken += 1;
    return review;
  }
}

/** One writer's position: its current review and the next of its commands. */
class ReviewCursor {
  private review: BenchReview | null = null;
  private index = 0;

  constructor(private readonly pool: ReviewPool) {}

  next(): { readonly review: BenchReview; readonly plain: PlainReviewCommand } {
    if (this.review === null || this.index >= this.review.commands.length) {
      this.review = this.pool.take();
      this.index = 0;
    }
    const plain = this.review.commands[this.index]!;
    this.index += 1;
    return { review: this.review, plain };
  }
}

/** Runs one command; resolves with the milliseconds spent sealing. */
async function oneCommand(
  pipeline: CommandPipeline,
  envelope: Envelope,
  ids: IdGenerator,
  review: BenchReview,
  plain: PlainReviewCommand,
): Promise<number> {
  const sealStarted = performance.now();
  const command = await sealReviewCommand(envelope, review.setting, plain);
  const sealMs = performance.now() - sealStarted;
  const context = commandContextFor(review, plain, ids);
  const result = await pipeline.execute(reviewAggregate, {
    aggregateId: review.setting.reviewId,
    command,
    context,
  });
  if (result.position === null)
    throw new Error(`command ${plain.type} on review ${review.setting.reviewId} wrote nothing`);
  return sealMs;
}

/** `writers` async loops issuing `total` commands between them, each timed from sealing to acknowledgement. */
export async function runCommands(options: {
  readonly pipeline: CommandPipeline;
  readonly envelope: Envelope;
  readonly ids: IdGenerator;
  readonly reviews: BenchReviews;
  readonly total: number;
  readonly writers: number;
  readonly seed: number;
  readonly progress?: Progress;
}): Promise<PipelineRun> {
  const { pipeline, envelope, ids, total, writers } = options;
  const latenciesMs = new Float64Array(total);
  // Every writer may leave one review unfinished; the others are done whole.
  const perReview = options.reviews.eventsPerReview;
  const pool = new ReviewPool(options.reviews, Math.ceil(total / perReview) + writers, options.seed);
  let issued = 0;
  let done = 0;
  let sealMs = 0;
  const writer = async (): Promise<void> => {
    const cursor = new ReviewCursor(pool);
    while (issued < total) {
      const slot = issued;
      issued += 1;
      const { review, plain } = cursor.next();
      const started = performance.now();
      sealMs += await oneCommand(pipeline, envelope, ids, review, plain);
      latenciesMs[slot] = performance.now() - started;
      done += 1;
      options.progress?.update(done, total);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: writers }, () => writer()));
  return { commands: total, ms: performance.now() - started, latenciesMs, sealMs };
}
