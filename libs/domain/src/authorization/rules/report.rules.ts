import type { Rule } from '../roles.js';

/**
 * Quarterly reports (000:91, 000:103). Team reports are anonymised: the team lead writes and submits the
 * own team's report, the area head receives the area's reports (000:91 "der zuständigen Bereichsleitung")
 * and consolidates them for the Geschäftsleitung (000:105–113), which sees the whole Jobcenter.
 */
export const REPORT_RULES = {
  'report.draft': { team_lead: 'own-team', deputy: 'own-team', area_head: 'unit', management: 'tenant' },
  // Deputies only during a recorded absence of the team lead (checked by ActingRights).
  'report.submit': { team_lead: 'own-team', deputy: 'own-team' },
  'report.read': {
    team_lead: 'own-team',
    deputy: 'own-team',
    area_head: 'unit',
    management: 'tenant',
    auditor: 'tenant',
  },
  // Submitted / due / overdue per unit; legal sees its own row only (no team is its own).
  'report.status': {
    team_lead: 'own-team',
    deputy: 'own-team',
    area_head: 'unit',
    management: 'tenant',
    legal: 'own-team',
  },
  'report.area-summary': { area_head: 'unit', management: 'tenant' },
  // The legal department reports to the area heads of the operative areas (000:99–103).
  'report.legal.submit': { legal: 'tenant' },
  'report.legal.read': { legal: 'tenant', area_head: 'tenant', management: 'tenant', auditor: 'tenant' },
} as const satisfies Record<string, Rule>;
