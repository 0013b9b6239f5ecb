import type { ProjectionDefinition } from '../../projection.js';
import { questionnairesProjection } from './questionnaires.projection.js';

/** Read models of the questionnaires context. */
export const QUESTIONNAIRES_READ_MODELS: readonly ProjectionDefinition[] = [questionnairesProjection];
