import type { Rule } from '../authorization.policy.js';

/** Actions of the operations context (filled by its feature work). */
export const OPERATIONS_RULES = {} as const satisfies Record<string, Rule>;
