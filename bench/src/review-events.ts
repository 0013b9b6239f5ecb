import type { AggregateType, CommandContext } from '../../libs/application/src/command-pipeline.js';
import type { IdGenerator } from '../../libs/application/src/clock.js';
import type { EventMetadata, NewEvent } from '../../libs/event-store/src/event-store.port.js';
import type { Envelope } from '../../libs/privacy/src/envelope.js';
import {
  REVIEW_SCHEMAS,
  reviewDecider,
  type ReviewCommand,
  type ReviewEvent,
  type ReviewState,
} from './review.decider.js';
import { reviewScript, sealReviewCommand } from './review-script.js';

export const reviewAggregate: AggregateType<ReviewCommand, ReviewState, ReviewEvent> = {
  name: 'review',
  decider: reviewDecider,
  schemas: REVIEW_SCHEMAS,
  streamId: (reviewId) => `review-${reviewId}`,
};

export const BENCH_TENANT = 'jobcenter-musterstadt-nord';
export const BENCH_RULES_VERSION = 'rules-2025.03.1';

/** What the API would derive from the caller's token and request headers. */
export function reviewerContext(reviewerId: string, ids: IdGenerator, causationId: string | null): CommandContext {
  return {
    tenant: BENCH_TENANT,
    actor: { userId: reviewerId, role: 'team_lead' },
    correlationId: ids.next(),
    causationId,
  };
}

/**
 * A whole review stream decided in memory, exactly as the pipeline would store it command by command
 * (same decider, same sealing, same metadata shape), for bulk loading and the raw-SQL baselines.
 */
export async function decideReviewStream(options: {
  readonly envelope: Envelope;
  readonly reviewId: string;
  readonly seed: number;
  readonly count: number;
  readonly reviewerId: string;
  readonly ids: IdGenerator;
  readonly now: () => string;
}): Promise<NewEvent[]> {
  const { envelope, reviewId, ids } = options;
  const events: NewEvent[] = [];
  let state = reviewDecider.initialState();
  let causationId: string | null = null;
  for (const plain of reviewScript(reviewId, options.seed, () => ids.next(), options.count)) {
    const command = await sealReviewCommand(envelope, reviewId, plain);
    const context = reviewerContext(options.reviewerId, ids, causationId);
    const occurredAt = options.now();
    const metadata: EventMetadata = {
      occurredAt,
      actor: context.actor,
      tenant: context.tenant,
      correlationId: context.correlationId,
      causationId: context.causationId,
      rulesVersion: BENCH_RULES_VERSION,
    };
    for (const event of reviewDecider.decide(command, state, {
      now: occurredAt,
      today: occurredAt.slice(0, 10),
      actor: context.actor,
      tenant: context.tenant,
    })) {
      state = reviewDecider.evolve(state, event);
      const id = ids.next();
      events.push({ id, type: event.type, schemaVersion: REVIEW_SCHEMAS[event.type], data: event.data, metadata });
      causationId = id;
    }
  }
  return events;
}
