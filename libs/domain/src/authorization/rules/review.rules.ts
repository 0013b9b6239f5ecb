import type { Rule } from '../authorization.policy.js';

/** Actions of the review context (filled by its feature work). */
export const REVIEW_RULES = {} as const satisfies Record<string, Rule>;
