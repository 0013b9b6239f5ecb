import type { Rule } from '../roles.js';
import { EVERY_EMPLOYEE_OF_THE_TENANT } from './shared.rules.js';

/** Actions of the organisation context. */
export const ORGANISATION_RULES = {
  // The structure is decided by the Geschäftsleitung and loaded for the whole Jobcenter.
  'organisation.load': { management: 'tenant' },
  // Transparency (000:77): every employee learns who supervises (areas, teams, team leads, deputies).
  'organisation.read': EVERY_EMPLOYEE_OF_THE_TENANT,
  // Not a route of its own: who additionally sees a team's absences, delegations and the people's subjects
  // (the team itself, its area head, management); plain employees only see who supervises.
  'organisation.read-absences': { team_lead: 'own-team', deputy: 'own-team', area_head: 'unit', management: 'tenant' },
  // The team lead's absence is recorded by the team lead or the area head (issue 3, "Organisation and access").
  'organisation.record-absence': { team_lead: 'own-team', area_head: 'unit' },
  // Any deviation from the deputy rule needs the area head's approval (000:49).
  'organisation.approve-delegation': { area_head: 'unit' },
  // Whether the caller may act for a team today (the rule other contexts apply through ActingRights).
  'organisation.act-for-team': { team_lead: 'own-team', deputy: 'own-team' },
} as const satisfies Record<string, Rule>;
