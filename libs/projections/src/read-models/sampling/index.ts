import type { ProjectionDefinition } from '../../projection.js';

/** Read models of the sampling context (filled by its feature work). */
export const SAMPLING_READ_MODELS: readonly ProjectionDefinition[] = [];
