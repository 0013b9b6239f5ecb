import type { Rule } from '../roles.js';

/**
 * The access log (Zugriffsprotokoll): who read decrypted personal data, when, of which review, through
 * which endpoint. Auditors (Interne Revision) query it for the whole Jobcenter. It holds no customer data.
 */
export const ACCESS_LOG_RULES = {
  'access-log.read': { auditor: 'tenant' },
} as const satisfies Record<string, Rule>;
