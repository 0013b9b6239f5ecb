import type { Rule } from '../roles.js';

/** Actions of the operations context (filled by its feature work). */
export const OPERATIONS_RULES = {} as const satisfies Record<string, Rule>;
