import type { ProjectionDefinition } from '../../projection.js';

/** Read models of cross-level views and pseudonymised copies for cross-level reviews (no personal data). */
export const CROSS_LEVEL_READ_MODELS: readonly ProjectionDefinition[] = [];
