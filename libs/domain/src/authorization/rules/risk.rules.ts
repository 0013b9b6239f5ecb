import type { Rule } from '../roles.js';

/**
 * The risk register (001:107–125) is tenant-wide and owned by management ("die umfassende und abschließende
 * Verantwortung liegt bei der Geschäftsführung", 001:125), maintained with the area heads: they read the whole
 * register (risks cross areas), identify and (re)assess risks of their own area and consolidate their teams'
 * reports into the area's risk analysis. The strategy (which risks are accepted, 001:119), closing a risk and
 * the matrix with its appetite line are management's decisions. Auditors (Interne Revision) read everything,
 * with the history. Risks concern processes, never persons, so team leads and employees are not involved here.
 */
const REGISTER_READERS = { management: 'tenant', area_head: 'tenant', auditor: 'tenant' } as const satisfies Rule;

export const RISK_RULES = {
  'risk.read': REGISTER_READERS,
  'risk.history.read': REGISTER_READERS,
  'risk.report.read': REGISTER_READERS,
  'risk.maintain': { management: 'tenant', area_head: 'unit' },
  'risk.decide': { management: 'tenant' },
  'risk.matrix.set': { management: 'tenant' },
  /**
   * The matrix itself (its levels, labels and appetite line, no risk) is also the scale on which a team
   * lead or deputy rates the team's risk with the area head (004:100), so they read it too.
   */
  'risk.matrix.read': { ...REGISTER_READERS, team_lead: 'tenant', deputy: 'tenant' },
  'risk.analysis.consolidate': { area_head: 'unit', management: 'tenant' },
  /**
   * The area's risk analysis consolidates its team reports, which an area head reads for the own area only
   * (`report.read`): so the analyses too; management and auditors read every area's.
   */
  'risk.analysis.read': { management: 'tenant', auditor: 'tenant', area_head: 'unit' },
} as const satisfies Record<string, Rule>;
