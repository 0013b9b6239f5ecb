import type { Rule } from '../roles.js';

/**
 * Actions of the review context. Reviews belong to the team: its lead reviews (supervision is a
 * leadership task, 000:49), the deputy only during a recorded absence (enforced by ActingRights, not
 * expressible as a scope). Area heads see their area's reviews without customer data; access to the
 * stored checklists is for team leads, deputies while deputising and management (000:93).
 */
export const REVIEW_RULES = {
  'review.read': { team_lead: 'own-team', deputy: 'own-team', area_head: 'unit', management: 'tenant' },
  'review.act': { team_lead: 'own-team', deputy: 'own-team' },
  'worklist.read': { team_lead: 'own-team', deputy: 'own-team', area_head: 'unit', management: 'tenant' },
} as const satisfies Record<string, Rule>;
