import type { ProjectionDefinition } from '../../projection.js';
import { legalQuotaProjection } from './legal-quota.projection.js';

/** Read models of the legal department's quota. */
export const LEGAL_QUOTA_READ_MODELS: readonly ProjectionDefinition[] = [legalQuotaProjection];
