import type { ProjectionDefinition } from '../../projection.js';
import { trendContextProjection } from './trend-context.projection.js';
import { trendMeasuresProjection } from './trend-measures.projection.js';
import { trendReviewsProjection } from './trend-reviews.projection.js';

/** Read models of the trends context: anonymous review facts, measures, and what they are measured against. */
export const TRENDS_READ_MODELS: readonly ProjectionDefinition[] = [
  trendReviewsProjection,
  trendMeasuresProjection,
  trendContextProjection,
];
