import type { ProjectionDefinition } from '../../projection.js';

/** Read models of the dashboards context (filled by its feature work). */
export const DASHBOARDS_READ_MODELS: readonly ProjectionDefinition[] = [];
