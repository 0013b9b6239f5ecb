import type { Rule } from '../authorization.policy.js';

/** Actions of the audit context (filled by its feature work). */
export const AUDIT_RULES = {} as const satisfies Record<string, Rule>;
