import type { Rule } from '../roles.js';

export const SESSION_RULES = {
  // Who am I: every signed-in person may read their own session (the web application starts with it).
  // Operators too; a session is no tenant data, so their technical scope suffices.
  'session.read': {
    team_lead: 'tenant',
    deputy: 'tenant',
    area_head: 'tenant',
    management: 'tenant',
    legal: 'tenant',
    regional: 'tenant',
    central: 'tenant',
    auditor: 'tenant',
    operator: 'technical',
    employee: 'tenant',
  },
} as const satisfies Record<string, Rule>;
