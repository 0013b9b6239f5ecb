/**
 * Roles, scopes and the shape of a rule: what the policy (`authorization.policy.ts`) and its rule tables
 * (`rules/*.rules.ts`) share. Kept apart so that the tables import only this, not the policy that
 * imports them (no import circle).
 */
export const ROLES = [
  'team_lead',
  'deputy',
  'area_head',
  'management',
  'legal',
  'regional',
  'central',
  'auditor',
  'operator',
  'employee',
] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export interface Principal {
  readonly subject: string;
  readonly tenant: string;
  readonly roles: readonly Role[];
  /** Org unit ids (teams, areas) the person belongs to or leads. */
  readonly units: readonly string[];
  readonly region?: string;
}

/**
 * How far a granted role reaches:
 * - `tenant`: any resource of the principal's own tenant;
 * - `unit`: resources whose unit, or one of its parent units (the team's area), is one of the principal's units;
 * - `own-team`: resources whose own unit is one of the principal's units (a parent unit does not count);
 * - `technical`: system state that belongs to no tenant (projections, chain integrity); any tenant
 *   resource is out of reach, so an operator never sees case data through it;
 * - `none`: explicitly not granted (the same as leaving the role out: deny by default).
 */
export type Scope = 'tenant' | 'unit' | 'own-team' | 'technical' | 'none';

/** Which roles may perform an action and how far they reach. A role that is not listed is denied. */
export type Rule = Readonly<Partial<Record<Role, Scope>>>;
