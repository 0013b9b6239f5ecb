import type { Rule } from '../roles.js';

/**
 * Dashboards show team-level figures only, never per employee (000:73, 004:100). Area heads see per-team
 * figures of their area (the content of the anonymised team reports); management the whole Jobcenter.
 */
export const DASHBOARD_RULES = {
  'dashboard.team': { team_lead: 'own-team', deputy: 'own-team', area_head: 'unit', management: 'tenant' },
  'dashboard.area': { area_head: 'unit', management: 'tenant' },
  'dashboard.management': { management: 'tenant' },
} as const satisfies Record<string, Rule>;
