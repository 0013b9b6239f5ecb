import type { ProjectionDefinition } from '../../projection.js';
import { organisationUnitsProjection } from './organisation-units.projection.js';

/** Read models of the organisation context. */
export const ORGANISATION_READ_MODELS: readonly ProjectionDefinition[] = [organisationUnitsProjection];
