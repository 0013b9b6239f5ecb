import type { Rule } from '../authorization.policy.js';

/** Actions of the dashboard context (filled by its feature work). */
export const DASHBOARD_RULES = {} as const satisfies Record<string, Rule>;
