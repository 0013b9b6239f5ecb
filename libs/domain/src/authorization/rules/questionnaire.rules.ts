import type { Rule } from '../authorization.policy.js';

/** Actions of the questionnaire context (filled by its feature work). */
export const QUESTIONNAIRE_RULES = {} as const satisfies Record<string, Rule>;
