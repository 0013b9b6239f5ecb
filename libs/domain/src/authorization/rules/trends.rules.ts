import type { Rule } from '../roles.js';

/**
 * Trends are anonymous aggregates (never per employee, 000:73). Management sees the whole Jobcenter,
 * area heads their area, auditors read. Regional and central levels do not read a Jobcenter's trends
 * here: they read the cross-level views of their region or the nation, per Jobcenter with small cells
 * suppressed (`cross-level.trends.read`, cross-level.rules.ts). Suspending a routine is management's
 * decision (001:202).
 */
export const TRENDS_RULES = {
  'trends.read': { management: 'tenant', area_head: 'unit', auditor: 'tenant' },
  'routine.read': { management: 'tenant', area_head: 'unit', auditor: 'tenant' },
  'routine.decide': { management: 'tenant' },
} as const satisfies Record<string, Rule>;
