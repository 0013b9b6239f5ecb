import {
  ACTIONS,
  AccessDeniedError,
  POLICY,
  ROLES,
  assertCanAccess,
  decide,
  grantedScopes,
  scopeReaches,
  isAction,
  isRole,
  visibility,
  type Action,
  type Principal,
  type Role,
  type Rule,
  type Scope,
} from './authorization.policy.js';

const principal = (roles: Role[], units: string[] = ['team-1'], tenant = 'jc-heinsberg'): Principal => ({
  subject: 'u-1',
  tenant,
  roles,
  units,
});

const scopeOf = (action: Action, role: Role): Scope => (POLICY[action] as Rule)[role] ?? 'none';

/** Every (action, role) pair of the table, with the scope the table grants. */
const matrix = ACTIONS.flatMap((action) => ROLES.map((role) => [action, role, scopeOf(action, role)] as const));

describe('authorisation policy: the table', () => {
  it('covers every action with at least one granted role', () => {
    for (const action of ACTIONS) {
      expect(ROLES.some((role) => scopeOf(action, role) !== 'none')).toBe(true);
    }
  });

  it('names only known roles', () => {
    for (const action of ACTIONS) {
      for (const role of Object.keys(POLICY[action])) expect(isRole(role)).toBe(true);
    }
  });

  it('lets every role read its own session (the web application starts with it)', () => {
    expect(ROLES.filter((role) => scopeOf('session.read', role) !== 'none')).toEqual([...ROLES]);
  });

  it('lets every employee of the tenant read programmes (000:77), but not the IT operator', () => {
    expect(ROLES.filter((role) => scopeOf('programme.read', role) === 'tenant')).toEqual(
      ROLES.filter((role) => role !== 'operator'),
    );
  });
});

describe.each(matrix)('%s × %s (scope %s)', (action, role, scope) => {
  const own = { tenant: 'jc-heinsberg', unit: 'team-1' };
  const otherTenant = { tenant: 'jc-krefeld', unit: 'team-1' };
  const otherTeam = { tenant: 'jc-heinsberg', unit: 'team-9' };

  it('role check without a resource follows the table', () => {
    expect(decide(principal([role]), action)).toEqual(
      scope === 'none' ? { allowed: false, reason: 'forbidden' } : { allowed: true },
    );
  });

  it('resource checks follow the scope', () => {
    const p = principal([role]);
    switch (scope) {
      case 'none':
        // The role check comes first: a role without the action is forbidden whatever the resource.
        for (const resource of [own, otherTenant, otherTeam]) {
          expect(decide(p, action, resource)).toEqual({ allowed: false, reason: 'forbidden' });
        }
        break;
      case 'technical':
        for (const resource of [own, otherTenant, otherTeam]) {
          expect(decide(p, action, resource)).toEqual({ allowed: false, reason: 'not-found' });
        }
        break;
      case 'tenant':
        expect(decide(p, action, own)).toEqual({ allowed: true });
        expect(decide(p, action, otherTeam)).toEqual({ allowed: true });
        expect(decide(p, action, { tenant: 'jc-heinsberg' })).toEqual({ allowed: true });
        expect(decide(p, action, otherTenant)).toEqual({ allowed: false, reason: 'not-found' });
        break;
      case 'unit':
      case 'own-team':
        expect(decide(p, action, own)).toEqual({ allowed: true });
        expect(decide(p, action, otherTeam)).toEqual({ allowed: false, reason: 'not-found' });
        expect(decide(p, action, otherTenant)).toEqual({ allowed: false, reason: 'not-found' });
        expect(decide(p, action, { tenant: 'jc-heinsberg' })).toEqual({ allowed: false, reason: 'not-found' });
        break;
    }
  });

  it('nobody unauthenticated', () => {
    expect(decide(null, action)).toEqual({ allowed: false, reason: 'unauthenticated' });
    expect(decide(undefined, action, own)).toEqual({ allowed: false, reason: 'unauthenticated' });
  });
});

describe('authorisation policy: scopes', () => {
  it('unit scope reaches a team through its parent area, own-team scope does not', () => {
    const areaHead = principal(['area_head'], ['area-1']);
    const teamOfArea = { tenant: 'jc-heinsberg', unit: 'team-3', parentUnits: ['area-1'] };
    expect(decide(areaHead, 'programme.define', teamOfArea)).toEqual({ allowed: true });
    expect(decide(areaHead, 'programme.define', { tenant: 'jc-heinsberg', unit: 'area-2' })).toEqual({
      allowed: false,
      reason: 'not-found',
    });
    // Same unit ids in another tenant are a different organisation.
    expect(decide(areaHead, 'programme.define', { ...teamOfArea, tenant: 'jc-krefeld' })).toEqual({
      allowed: false,
      reason: 'not-found',
    });
  });

  it("own-team scope needs the resource's own unit; a parent unit is not enough", () => {
    const teamLead = principal(['team_lead'], ['team-1']);
    const areaHead = principal(['area_head'], ['area-1']);
    const review = { tenant: 'jc-heinsberg', unit: 'team-1', parentUnits: ['area-1'] };
    expect(scopeReaches('own-team', teamLead, review)).toBe(true);
    expect(scopeReaches('own-team', areaHead, review)).toBe(false);
    expect(scopeReaches('unit', areaHead, review)).toBe(true);
    expect(scopeReaches('own-team', teamLead, { tenant: 'jc-heinsberg' })).toBe(false);
    expect(scopeReaches('own-team', teamLead, { ...review, tenant: 'jc-krefeld' })).toBe(false);
    expect(scopeReaches('technical', principal(['operator']), review)).toBe(false);
  });

  it('combines roles: the widest granted scope wins', () => {
    const both = principal(['area_head', 'management'], ['area-1']);
    expect(decide(both, 'programme.revise', { tenant: 'jc-heinsberg', unit: 'area-7' })).toEqual({ allowed: true });
    const auditorOperator = principal(['auditor', 'operator']);
    expect(decide(auditorOperator, 'audit.verify-chain', { tenant: 'jc-heinsberg' })).toEqual({ allowed: true });
    expect(decide(auditorOperator, 'audit.verify-chain')).toEqual({ allowed: true });
  });

  it('denies by default: no roles, unknown roles and unknown actions grant nothing', () => {
    expect(decide(principal([]), 'programme.read')).toEqual({ allowed: false, reason: 'forbidden' });
    const smuggled = { ...principal([]), roles: ['superuser'] } as unknown as Principal;
    expect(decide(smuggled, 'programme.read')).toEqual({ allowed: false, reason: 'forbidden' });
    expect(decide(principal(['management']), 'programme.delete' as Action)).toEqual({
      allowed: false,
      reason: 'forbidden',
    });
    expect(decide(principal(['management']), 'toString' as Action)).toEqual({ allowed: false, reason: 'forbidden' });
    expect(isAction('toString')).toBe(false);
    expect(isAction('programme.read')).toBe(true);
  });

  it('visibility turns the scopes into a list filter', () => {
    expect(visibility(principal(['team_lead']), 'programme.read')).toEqual({ kind: 'tenant', tenant: 'jc-heinsberg' });
    expect(visibility(principal(['area_head'], ['area-1']), 'programme.define')).toEqual({
      kind: 'units',
      tenant: 'jc-heinsberg',
      units: ['area-1'],
      includeParents: true,
    });
    expect(visibility(principal(['operator']), 'operator.projections.read')).toEqual({ kind: 'technical' });
    expect(visibility(principal(['employee']), 'programme.define')).toEqual({ kind: 'nothing' });
    expect(grantedScopes(principal(['employee', 'team_lead']), 'programme.read')).toEqual(['tenant']);
  });

  it('assertCanAccess throws a NOT_FOUND error for resources out of reach, FORBIDDEN for roles lacking the action', () => {
    const teamLead = principal(['team_lead']);
    expect(() => assertCanAccess(teamLead, 'programme.read', { tenant: 'jc-heinsberg' })).not.toThrow();

    const outOfReach = catchError(() => assertCanAccess(teamLead, 'programme.read', { tenant: 'jc-krefeld' }));
    expect(outOfReach).toBeInstanceOf(AccessDeniedError);
    expect(outOfReach).toMatchObject({ code: 'NOT_FOUND', reason: 'not-found', message: 'Nicht gefunden / Not found' });

    const lacking = catchError(() => assertCanAccess(teamLead, 'programme.define', { tenant: 'jc-heinsberg' }));
    expect(lacking).toMatchObject({ code: 'FORBIDDEN', reason: 'forbidden' });

    const anonymous = catchError(() => assertCanAccess(null, 'programme.read', { tenant: 'jc-heinsberg' }));
    expect(anonymous).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

function catchError(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
