import { performance } from 'node:perf_hooks';
import type { IdGenerator } from '../../libs/application/src/clock.js';
import type { CommandPipeline } from '../../libs/application/src/command-pipeline.js';
import type { Envelope } from '../../libs/privacy/src/envelope.js';
import type { Progress } from './bench-report.js';
import { reviewAggregate, reviewerContext } from './review-events.js';
import { type PlainReviewCommand, reviewScript, sealReviewCommand } from './review-script.js';

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

/** Hands out the commands of fresh reviews, one review after another. */
class ReviewCursor {
  private reviewId = '';
  private script: PlainReviewCommand[] = [];
  private index = 0;
  private causationId: string | null = null;
  readonly reviewerId: string;

  constructor(
    private readonly ids: IdGenerator,
    private seed: number,
  ) {
    this.reviewerId = ids.next();
  }

  next(): { readonly reviewId: string; readonly plain: PlainReviewCommand; readonly causationId: string | null } {
    if (this.index >= this.script.length) {
      this.reviewId = this.ids.next();
      this.script = reviewScript(this.reviewId, (this.seed += 7919), () => this.ids.next());
      this.index = 0;
      this.causationId = null;
    }
    const plain = this.script[this.index]!;
    this.index += 1;
    return { reviewId: this.reviewId, plain, causationId: this.causationId };
  }

  acknowledged(correlationId: string): void {
    this.causationId = correlationId;
  }
}

/** Runs one command; resolves with the milliseconds spent sealing. */
async function oneCommand(
  pipeline: CommandPipeline,
  envelope: Envelope,
  ids: IdGenerator,
  cursor: ReviewCursor,
): Promise<number> {
  const { reviewId, plain, causationId } = cursor.next();
  const sealStarted = performance.now();
  const command = await sealReviewCommand(envelope, reviewId, plain);
  const sealMs = performance.now() - sealStarted;
  const context = reviewerContext(cursor.reviewerId, ids, causationId);
  const result = await pipeline.execute(reviewAggregate, { aggregateId: reviewId, command, context });
  if (result.position === null) throw new Error(`command ${plain.type} on review ${reviewId} wrote nothing`);
  cursor.acknowledged(context.correlationId);
  return sealMs;
}

/** `writers` async loops issuing `total` commands between them, each timed from sealing to acknowledgement. */
export async function runCommands(options: {
  readonly pipeline: CommandPipeline;
  readonly envelope: Envelope;
  readonly ids: IdGenerator;
  readonly total: number;
  readonly writers: number;
  readonly seed: number;
  readonly progress?: Progress;
}): Promise<PipelineRun> {
  const { pipeline, envelope, ids, total, writers } = options;
  const latenciesMs = new Float64Array(total);
  let issued = 0;
  let done = 0;
  let sealMs = 0;
  const writer = async (index: number): Promise<void> => {
    const cursor = new ReviewCursor(ids, options.seed + index * 1_000_003);
    while (issued < total) {
      const slot = issued;
      issued += 1;
      const started = performance.now();
      sealMs += await oneCommand(pipeline, envelope, ids, cursor);
      latenciesMs[slot] = performance.now() - started;
      done += 1;
      options.progress?.update(done, total);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: writers }, (_, index) => writer(index)));
  return { commands: total, ms: performance.now() - started, latenciesMs, sealMs };
}
