import type { Rule } from '../roles.js';
import { EVERY_EMPLOYEE_OF_THE_TENANT } from './shared.rules.js';

/**
 * Actions of the audit context. The record of a review (its events and its measures' events) is read by
 * the same people who may read the review (review.read), plus the auditors (Interne Revision, domain
 * roles table: every event, personal fields pseudonymised). Who sees personal fields in clear is not a
 * scope question: the handler opens them only for the team's lead, the deputy while deputising and
 * management (000:93); auditors and area heads get placeholders.
 *
 * Past states of programmes and questionnaires: both are visible to every employee (000:77) and their
 * change history is the Änderungshistorie (000:113), so their past is as visible as their present.
 *
 * Sample verification by month: auditors and management (who draw in Heinsberg, 000:71) for the whole
 * Jobcenter, area heads for their area (who draw in the federal process, 002:88); team leads verify their
 * own team's samples through `sampling.verify`.
 */
const RECORD_READERS = {
  team_lead: 'own-team',
  deputy: 'own-team',
  area_head: 'unit',
  management: 'tenant',
  auditor: 'tenant',
} as const satisfies Rule;

export const AUDIT_RULES = {
  'audit.history.read': RECORD_READERS,
  'audit.export.read': RECORD_READERS,
  'audit.as-of.read': EVERY_EMPLOYEE_OF_THE_TENANT,
  'audit.samples.read': { area_head: 'unit', management: 'tenant', auditor: 'tenant' },
} as const satisfies Record<string, Rule>;
