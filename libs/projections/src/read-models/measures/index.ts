import type { ProjectionDefinition } from '../../projection.js';

/** Read models of the measures context (filled by its feature work). */
export const MEASURES_READ_MODELS: readonly ProjectionDefinition[] = [];
