import type { ProjectionDefinition } from '../../projection.js';

/** Read models of the trends context (filled by its feature work). */
export const TRENDS_READ_MODELS: readonly ProjectionDefinition[] = [];
