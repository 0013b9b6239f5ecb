import type { Rule } from '../roles.js';

/**
 * Cross-level views (Regionaldirektion, Zentrale) and cross-level reviews (2021 directive): case data
 * without personal data only (003:94).
 *
 * Scope `tenant` here grants the role; how far a regional or central principal reaches is not a tenant
 * question but a region one, and the cross-level handlers decide it from the token's `region` claim and
 * the recorded regions of the Jobcenters (`cross-level-tenant-regions`): a regional principal reaches the
 * Jobcenters of its own region, a central one every Jobcenter with a recorded region. Anything else is
 * reported as not found.
 *
 * - `cross-level.region.assign`: the Jobcenter's management records the Jobcenter's region;
 * - `cross-level.region.read`: the tenants of a region (and a Jobcenter's management its own entry);
 * - `cross-level.trends.read`: the trend figures per Jobcenter of a region or nationwide, small cells
 *   suppressed, never per team, area or employee;
 * - `cross-level.review.approve`: the Zentrale approves and closes cross-level reviews (003:80, 003:88);
 * - `cross-level.review.read`: participants read approvals and their pseudonymised copies.
 */
const CROSS_LEVEL = { regional: 'tenant', central: 'tenant' } as const satisfies Rule;

export const CROSS_LEVEL_RULES = {
  'cross-level.region.assign': { management: 'tenant' },
  'cross-level.region.read': { management: 'tenant', ...CROSS_LEVEL },
  'cross-level.trends.read': CROSS_LEVEL,
  'cross-level.review.approve': { central: 'tenant' },
  'cross-level.review.read': CROSS_LEVEL,
} as const satisfies Record<string, Rule>;
