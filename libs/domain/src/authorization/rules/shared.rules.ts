import type { Rule } from '../roles.js';

/** Transparency (000:77): what every employee of the Jobcenter may read. Operators see no tenant data. */
export const EVERY_EMPLOYEE_OF_THE_TENANT = {
  team_lead: 'tenant',
  deputy: 'tenant',
  area_head: 'tenant',
  management: 'tenant',
  legal: 'tenant',
  regional: 'tenant',
  central: 'tenant',
  auditor: 'tenant',
  employee: 'tenant',
} as const satisfies Rule;
