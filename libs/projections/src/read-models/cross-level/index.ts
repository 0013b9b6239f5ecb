import type { ProjectionDefinition } from '../../projection.js';
import { caseCopiesProjection } from './case-copies.projection.js';
import { crossLevelReviewsProjection } from './cross-level-reviews.projection.js';
import { tenantRegionsProjection } from './tenant-regions.projection.js';

/** Read models of cross-level views and pseudonymised copies for cross-level reviews (no personal data). */
export const CROSS_LEVEL_READ_MODELS: readonly ProjectionDefinition[] = [
  tenantRegionsProjection,
  crossLevelReviewsProjection,
  caseCopiesProjection,
];
