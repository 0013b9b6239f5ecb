import type { ProjectionDefinition } from '../../projection.js';
import { reviewsProjection } from './reviews.projection.js';

/** Read models of the reviews context. */
export const REVIEWS_READ_MODELS: readonly ProjectionDefinition[] = [reviewsProjection];
