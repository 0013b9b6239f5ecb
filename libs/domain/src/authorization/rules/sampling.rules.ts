import type { Rule } from '../authorization.policy.js';

/** Actions of the sampling context (filled by its feature work). */
export const SAMPLING_RULES = {} as const satisfies Record<string, Rule>;
