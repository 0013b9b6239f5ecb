import type { ProjectionDefinition } from '../../projection.js';

/** Read models of the questionnaires context (filled by its feature work). */
export const QUESTIONNAIRES_READ_MODELS: readonly ProjectionDefinition[] = [];
