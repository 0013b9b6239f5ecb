import type { ProjectionDefinition } from '../../projection.js';

/** Read models of retention: legal holds and purge records (no content). */
export const RETENTION_READ_MODELS: readonly ProjectionDefinition[] = [];
