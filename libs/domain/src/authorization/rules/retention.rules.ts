import type { Rule } from '../authorization.policy.js';

/**
 * Retention (Aufbewahrung, 000:92): stored checklists are destroyed 12 months after completion. Purge
 * records carry no content. A legal hold (a review kept past its retention for a recorded reason) is
 * placed and lifted by management or the legal department; auditors read holds and purge records.
 * Operators run purges (technical: they see which review ids go, never case content).
 */
export const RETENTION_RULES = {} as const satisfies Record<string, Rule>;
