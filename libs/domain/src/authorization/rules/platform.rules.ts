import type { Rule } from '../roles.js';
import { EVERY_EMPLOYEE_OF_THE_TENANT } from './shared.rules.js';

export const PLATFORM_RULES = {
  // Area heads maintain their area's programmes; management decides changes for the whole Jobcenter.
  'programme.define': { area_head: 'unit', management: 'tenant' },
  'programme.revise': { area_head: 'unit', management: 'tenant' },
  // Transparency (000:77): programmes and who supervises are visible to every employee.
  'programme.read': EVERY_EMPLOYEE_OF_THE_TENANT,
  'operator.projections.read': { operator: 'technical' },
  'operator.projections.rebuild': { operator: 'technical' },
  // Auditors verify their Jobcenter's streams; operators check the integrity of the store as a whole.
  'audit.verify-chain': { auditor: 'tenant', operator: 'technical' },
} as const satisfies Record<string, Rule>;
