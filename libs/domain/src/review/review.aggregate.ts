import { reviewDecider, type ReviewCommand, type ReviewState } from './review.decider.js';
import { REVIEW_EVENT_SCHEMAS, reviewStreamId, type ReviewEvent } from './review.events.js';
import type { Decider } from '../shared/decider.js';

/**
 * The review aggregate as the command pipeline takes it (structurally an `AggregateType`): here rather
 * than in the API, so the sampling reactor opens and withdraws reviews through the same decider.
 */
export const reviewAggregate: {
  readonly name: 'review';
  readonly decider: Decider<ReviewCommand, ReviewState, ReviewEvent>;
  readonly schemas: typeof REVIEW_EVENT_SCHEMAS;
  streamId(reviewId: string): string;
} = {
  name: 'review',
  decider: reviewDecider,
  schemas: REVIEW_EVENT_SCHEMAS,
  streamId: reviewStreamId,
};
