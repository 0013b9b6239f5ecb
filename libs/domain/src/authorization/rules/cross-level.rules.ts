import type { Rule } from '../authorization.policy.js';

/**
 * Cross-level views (Regionaldirektion, Zentrale) and cross-level reviews (2021 directive): case data
 * without personal data only. Filled by the cross-level feature.
 */
export const CROSS_LEVEL_RULES = {} as const satisfies Record<string, Rule>;
