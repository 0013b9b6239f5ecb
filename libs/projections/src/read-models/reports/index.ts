import type { ProjectionDefinition } from '../../projection.js';

/** Read models of the reports context (filled by its feature work). */
export const REPORTS_READ_MODELS: readonly ProjectionDefinition[] = [];
