import type { Rule } from '../roles.js';

/**
 * Actions of the measure context. The role check here is the outer gate; which kinds a role may agree
 * or cancel is the measure decider's (000:90 team lead, 000:110 area head), and a deputy's rights hold
 * only during the team lead's recorded absence (ActingRights).
 */
const TEAM_LEADERSHIP = { team_lead: 'own-team', deputy: 'own-team', area_head: 'unit' } as const satisfies Rule;

export const MEASURE_RULES = {
  'measure.agree': TEAM_LEADERSHIP,
  'measure.follow-up': TEAM_LEADERSHIP,
  'measure.complete': TEAM_LEADERSHIP,
  'measure.cancel': TEAM_LEADERSHIP,
  // Area heads read measures of their area without owners (the query leaves them out).
  'measure.read': TEAM_LEADERSHIP,
  // Counts of open and overdue measures per team, never per employee (000:73, 004:100).
  'measure.counts.read': { area_head: 'unit', management: 'tenant' },
} as const satisfies Record<string, Rule>;
