import type { ProjectionDefinition } from '../../projection.js';
import { retentionProjection } from './retention.projection.js';

export * from './retention.doc.js';
export { retentionProjection } from './retention.projection.js';

/** Read models of retention: legal holds and purge records (no content). */
export const RETENTION_READ_MODELS: readonly ProjectionDefinition[] = [retentionProjection];
