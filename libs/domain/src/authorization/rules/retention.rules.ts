import type { Rule } from '../roles.js';

/**
 * Retention (Aufbewahrung, 000:92): stored checklists are destroyed 12 months after completion. Purge
 * records carry no content. A legal hold (a review kept past its retention for a recorded reason) is
 * placed and lifted by management or the legal department (Sachgebiet Recht: lawsuits and appeals);
 * management and auditors read holds, purge records and what is due. Operators run purges across tenants
 * (technical: they see which review ids go and when, never case content).
 */
export const RETENTION_RULES = {
  'retention.hold': { management: 'tenant', legal: 'tenant' },
  'retention.read': { management: 'tenant', legal: 'tenant', auditor: 'tenant' },
  'retention.purge': { operator: 'technical' },
} as const satisfies Record<string, Rule>;
