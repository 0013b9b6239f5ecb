import type { Rule } from '../roles.js';

/**
 * Deadlines and reminders (issue 12). Every signed-in role of a tenant may open its inbox; what it shows is
 * decided per deadline by the deadline's own action (`libs/domain/src/deadlines/deadline.ts`), so the
 * inbox shows nothing a role could not act on. Sending the digest now is management's (an operator has
 * no tenant and sees no deadlines).
 */
export const INBOX_RULES = {
  'inbox.read': {
    team_lead: 'tenant',
    deputy: 'tenant',
    area_head: 'tenant',
    management: 'tenant',
    legal: 'tenant',
    regional: 'tenant',
    central: 'tenant',
    auditor: 'tenant',
    employee: 'tenant',
  },
  'inbox.digest.send': { management: 'tenant' },
} as const satisfies Record<string, Rule>;
