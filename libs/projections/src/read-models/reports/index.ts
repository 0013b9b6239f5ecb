import type { ProjectionDefinition } from '../../projection.js';
import { reportsProjection } from './reports.projection.js';

/** Read models of the reports context. */
export const REPORTS_READ_MODELS: readonly ProjectionDefinition[] = [reportsProjection];
