import type { ProjectionDefinition } from '../../projection.js';
import { teamFiguresProjection } from './team-figures.projection.js';

/** Read models of the dashboards context: the anonymous facts behind per-team-month figures. */
export const DASHBOARDS_READ_MODELS: readonly ProjectionDefinition[] = [teamFiguresProjection];
