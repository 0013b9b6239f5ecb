import { ACCESS_LOG_RULES } from './rules/access-log.rules.js';
import { AUDIT_RULES } from './rules/audit.rules.js';
import { CROSS_LEVEL_RULES } from './rules/cross-level.rules.js';
import { DASHBOARD_RULES } from './rules/dashboard.rules.js';
import { INBOX_RULES } from './rules/inbox.rules.js';
import { INDICATOR_RULES } from './rules/indicators.rules.js';
import { LEGAL_QUOTA_RULES } from './rules/legal-quota.rules.js';
import { MEASURE_RULES } from './rules/measure.rules.js';
import { OPERATIONS_RULES } from './rules/operations.rules.js';
import { ORGANISATION_RULES } from './rules/organisation.rules.js';
import { PLATFORM_RULES } from './rules/platform.rules.js';
import { QUESTIONNAIRE_RULES } from './rules/questionnaire.rules.js';
import { REPORT_RULES } from './rules/report.rules.js';
import { RETENTION_RULES } from './rules/retention.rules.js';
import { REVIEW_RULES } from './rules/review.rules.js';
import { RISK_RULES } from './rules/risk.rules.js';
import { SAMPLING_RULES } from './rules/sampling.rules.js';
import { SESSION_RULES } from './rules/session.rules.js';
import { TRENDS_RULES } from './rules/trends.rules.js';
import { isRole, type Principal, type Rule, type Scope } from './roles.js';

/**
 * The one authorisation policy. Pure: the HTTP guard asks it whether a role may perform an action at
 * all (403 otherwise); handlers ask it again with the resource in hand, and a resource outside the
 * principal's tenant or units is reported as not found (404), so nobody learns that it exists.
 */

export { isRole, ROLES, type Principal, type Role, type Rule, type Scope } from './roles.js';

/**
 * The registry of actions, one rule table per context under `rules/`. Adding an action is one line
 * there; `Action` and the generated matrix tests follow from it.
 */
export const POLICY = {
  ...PLATFORM_RULES,
  ...ORGANISATION_RULES,
  ...QUESTIONNAIRE_RULES,
  ...SAMPLING_RULES,
  ...REVIEW_RULES,
  ...MEASURE_RULES,
  ...INDICATOR_RULES,
  ...REPORT_RULES,
  ...DASHBOARD_RULES,
  ...AUDIT_RULES,
  ...TRENDS_RULES,
  ...RISK_RULES,
  ...OPERATIONS_RULES,
  ...ACCESS_LOG_RULES,
  ...CROSS_LEVEL_RULES,
  ...RETENTION_RULES,
  ...SESSION_RULES,
  ...LEGAL_QUOTA_RULES,
  ...INBOX_RULES,
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof POLICY;

export const ACTIONS = Object.keys(POLICY) as Action[];

export function isAction(value: unknown): value is Action {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(POLICY, value);
}

export interface Resource {
  readonly tenant: string;
  /** The unit the resource belongs to (usually a team). */
  readonly unit?: string;
  /** Units above `unit` (the team's area), so `unit`-scoped roles of the area reach it. */
  readonly parentUnits?: readonly string[];
}

export type DenialReason = 'unauthenticated' | 'forbidden' | 'not-found';

export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly reason: DenialReason };

const ALLOWED: Decision = { allowed: true };
const deny = (reason: DenialReason): Decision => ({ allowed: false, reason });

/** The scopes the principal's roles grant for `action` (empty: the role check fails). */
export function grantedScopes(principal: Principal, action: Action): Exclude<Scope, 'none'>[] {
  if (!isAction(action)) return [];
  const rule: Rule = POLICY[action];
  const scopes = new Set<Exclude<Scope, 'none'>>();
  for (const role of principal.roles) {
    if (!isRole(role)) continue;
    const scope = rule[role];
    if (scope !== undefined && scope !== 'none') scopes.add(scope);
  }
  return [...scopes];
}

/** Whether one granted scope reaches the resource (exported for tests of scopes no action uses yet). */
export function scopeReaches(scope: Exclude<Scope, 'none'>, principal: Principal, resource: Resource): boolean {
  switch (scope) {
    case 'technical':
      return false;
    case 'tenant':
      return resource.tenant === principal.tenant;
    case 'own-team':
      return (
        resource.tenant === principal.tenant && resource.unit !== undefined && principal.units.includes(resource.unit)
      );
    case 'unit': {
      if (resource.tenant !== principal.tenant || resource.unit === undefined) return false;
      const chain = [resource.unit, ...(resource.parentUnits ?? [])];
      return chain.some((unit) => principal.units.includes(unit));
    }
  }
}

/**
 * Without a resource only the role is checked (what the HTTP guard does before a handler runs).
 * With a resource, one of the granted scopes must reach it; otherwise the answer is `not-found`.
 */
export function decide(principal: Principal | null | undefined, action: Action, resource?: Resource): Decision {
  if (!principal) return deny('unauthenticated');
  const scopes = grantedScopes(principal, action);
  if (scopes.length === 0) return deny('forbidden');
  if (resource === undefined) return ALLOWED;
  return scopes.some((scope) => scopeReaches(scope, principal, resource)) ? ALLOWED : deny('not-found');
}

/**
 * What a list query may show: filter read models with it instead of deciding per document.
 * `units` lists the principal's units that unit-scoped roles reach (match a document's unit or parent units).
 */
export type Visibility =
  | { readonly kind: 'nothing' }
  | { readonly kind: 'technical' }
  | { readonly kind: 'tenant'; readonly tenant: string }
  | {
      readonly kind: 'units';
      readonly tenant: string;
      readonly units: readonly string[];
      readonly includeParents: boolean;
    };

export function visibility(principal: Principal, action: Action): Visibility {
  const scopes = grantedScopes(principal, action);
  if (scopes.includes('tenant')) return { kind: 'tenant', tenant: principal.tenant };
  if (scopes.includes('unit'))
    return { kind: 'units', tenant: principal.tenant, units: principal.units, includeParents: true };
  if (scopes.includes('own-team'))
    return { kind: 'units', tenant: principal.tenant, units: principal.units, includeParents: false };
  if (scopes.includes('technical')) return { kind: 'technical' };
  return { kind: 'nothing' };
}

/** Stable codes; the HTTP layer maps them (UNAUTHENTICATED → 401, FORBIDDEN → 403, NOT_FOUND → 404). */
export type AccessDeniedCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';

const DENIAL_CODE: Record<DenialReason, AccessDeniedCode> = {
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'FORBIDDEN',
  'not-found': 'NOT_FOUND',
};

const DENIAL_MESSAGE: Record<DenialReason, string> = {
  unauthenticated: 'Nicht angemeldet / Not authenticated',
  forbidden: 'Keine Berechtigung für diese Aktion / Not permitted to perform this action',
  // Deliberately the same words as a missing resource: a resource out of reach must not be told apart.
  'not-found': 'Nicht gefunden / Not found',
};

export class AccessDeniedError extends Error {
  readonly code: AccessDeniedCode;
  constructor(
    readonly reason: DenialReason,
    readonly action: Action,
  ) {
    super(DENIAL_MESSAGE[reason]);
    this.code = DENIAL_CODE[reason];
    this.name = 'AccessDeniedError';
  }
}

/** For handlers once the resource is known: throws `AccessDeniedError` (usually NOT_FOUND) unless allowed. */
export function assertCanAccess(principal: Principal | null | undefined, action: Action, resource: Resource): void {
  const decision = decide(principal, action, resource);
  if (!decision.allowed) throw new AccessDeniedError(decision.reason, action);
}
