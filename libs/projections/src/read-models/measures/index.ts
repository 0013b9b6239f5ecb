import type { ProjectionDefinition } from '../../projection.js';
import { measuresProjection } from './measures.projection.js';

/** Read models of the measures context. */
export const MEASURES_READ_MODELS: readonly ProjectionDefinition[] = [measuresProjection];
