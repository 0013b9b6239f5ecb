import type { ProjectionDefinition } from '../../projection.js';
import { populationsProjection } from './populations.projection.js';
import { samplesProjection } from './samples.projection.js';

/** Read models of the sampling context. */
export const SAMPLING_READ_MODELS: readonly ProjectionDefinition[] = [samplesProjection, populationsProjection];
