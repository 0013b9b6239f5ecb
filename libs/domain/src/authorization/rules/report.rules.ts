import type { Rule } from '../authorization.policy.js';

/** Actions of the report context (filled by its feature work). */
export const REPORT_RULES = {} as const satisfies Record<string, Rule>;
