import type { ProjectionDefinition } from '../../projection.js';

/** Read models of the organisation context (filled by its feature work). */
export const ORGANISATION_READ_MODELS: readonly ProjectionDefinition[] = [];
