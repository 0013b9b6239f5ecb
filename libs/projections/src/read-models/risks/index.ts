import type { ProjectionDefinition } from '../../projection.js';
import { areaRiskAnalysesProjection, risksProjection } from './risks.projection.js';

/** Read models of the risk register. */
export const RISKS_READ_MODELS: readonly ProjectionDefinition[] = [risksProjection, areaRiskAnalysesProjection];
