import type { ProjectionDefinition } from '../../projection.js';
import { accessLogProjection } from './access-log.projection.js';

/** Read models of the access log (Zugriffsprotokoll): who read which review's personal data, when, through which endpoint. */
export const ACCESS_LOG_READ_MODELS: readonly ProjectionDefinition[] = [accessLogProjection];
