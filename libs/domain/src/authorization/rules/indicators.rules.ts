import type { Rule } from '../roles.js';

/**
 * The monthly team indicators (004:100): provided to the team lead for the own team (never per employee),
 * rated by the team lead, the team's risk rated jointly with the area head, discussed by the area head
 * with management. Deputies act only during a recorded absence of the team lead (ActingRights). Figures
 * that leave the team (area overview, management) keep the small-cell rule.
 */
const TEAM_LEADERSHIP = { team_lead: 'own-team', deputy: 'own-team', area_head: 'unit' } as const satisfies Rule;

export const INDICATOR_RULES = {
  // The monthly import of a team's case rows or ready counts.
  'indicators.import': TEAM_LEADERSHIP,
  // A team agreement on shorter contact intervals (004:42); the decider keeps it to the team's side.
  'indicators.settings': { team_lead: 'own-team', deputy: 'own-team' },
  'indicators.rate': { team_lead: 'own-team', deputy: 'own-team' },
  // Proposing and confirming the team's joint risk rating (team lead ↔ area head).
  'indicators.risk': TEAM_LEADERSHIP,
  'indicators.read': { ...TEAM_LEADERSHIP, auditor: 'tenant' },
  // The area head's monthly overview of the area's teams for the management dialogue (004:100).
  'indicators.overview': { area_head: 'unit', management: 'tenant' },
} as const satisfies Record<string, Rule>;
