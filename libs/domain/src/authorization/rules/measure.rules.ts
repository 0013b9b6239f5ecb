import type { Rule } from '../authorization.policy.js';

/** Actions of the measure context (filled by its feature work). */
export const MEASURE_RULES = {} as const satisfies Record<string, Rule>;
