import type { ProjectionDefinition } from '../../projection.js';

/** Read models of the reviews context (filled by its feature work). */
export const REVIEWS_READ_MODELS: readonly ProjectionDefinition[] = [];
