import type { Rule } from '../roles.js';

/**
 * The legal department's avoidable-appeal quota (001:252–280). The SGG unit records and corrects the
 * monthly figures; management and the area heads receive them (001:266–268 "dem für den Leistungsbereich
 * verantwortlichen Bereichsleiter", "Die Geschäftsführung wird regelmäßig in Kenntnis gesetzt") with the
 * small-cell rule on per-team figures; the auditor reads the record.
 */
export const LEGAL_QUOTA_RULES = {
  'legal-quota.record': { legal: 'tenant' },
  'legal-quota.correct': { legal: 'tenant' },
  'legal-quota.read': { legal: 'tenant', area_head: 'tenant', management: 'tenant', auditor: 'tenant' },
} as const satisfies Record<string, Rule>;
