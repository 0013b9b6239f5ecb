import type { Rule } from '../authorization.policy.js';

/**
 * Trends are anonymous aggregates (never per employee, 000:73). Management sees the whole Jobcenter,
 * area heads their area, auditors read. Regional and central levels see aggregates of their region or
 * the nation once the privacy issue brings cross-tenant views with small-cell suppression; until then
 * they read the aggregates of the Jobcenter their token names, and only at scope `tenant` (no per-team
 * breakdown: see `TrendsQueries`). Suspending a routine is management's decision (001:202).
 */
export const TRENDS_RULES = {
  'trends.read': { management: 'tenant', area_head: 'unit', auditor: 'tenant', regional: 'tenant', central: 'tenant' },
  'routine.read': { management: 'tenant', area_head: 'unit', auditor: 'tenant' },
  'routine.decide': { management: 'tenant' },
} as const satisfies Record<string, Rule>;
