import type { Rule } from '../authorization.policy.js';

/** Actions of the organisation context (filled by its feature work). */
export const ORGANISATION_RULES = {} as const satisfies Record<string, Rule>;
