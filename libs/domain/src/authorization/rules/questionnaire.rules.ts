import type { Rule } from '../roles.js';
import { EVERY_EMPLOYEE_OF_THE_TENANT } from './shared.rules.js';

/**
 * Questionnaires belong to the Jobcenter and a customer process, not to an area: the Geschäftsleitung
 * (management) decides the Fachaufsicht's standardised formats (000:57, 000:113) and area heads keep the
 * control plans of their areas up to date (000:109), so both publish with tenant scope (a questionnaire
 * carries no unit a `unit` scope could match). Regionaldirektionen add temporary regional questions to
 * the questionnaires of the Jobcenters of their region (003:62, 101). Every employee reads them
 * (transparency about what is reviewed, 000:77).
 */
export const QUESTIONNAIRE_RULES = {
  'questionnaire.publish': { management: 'tenant', area_head: 'tenant' },
  'questionnaire.add-regional-questions': { regional: 'tenant' },
  'questionnaire.read': EVERY_EMPLOYEE_OF_THE_TENANT,
} as const satisfies Record<string, Rule>;
