import type { ProjectionDefinition } from '../../projection.js';
import { indicatorMonthsProjection } from './indicator-months.projection.js';

/** Read models of the monthly team indicators. */
export const INDICATOR_READ_MODELS: readonly ProjectionDefinition[] = [indicatorMonthsProjection];
