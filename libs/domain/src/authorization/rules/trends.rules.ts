import type { Rule } from '../authorization.policy.js';

/** Actions of the trends context (filled by its feature work). */
export const TRENDS_RULES = {} as const satisfies Record<string, Rule>;
