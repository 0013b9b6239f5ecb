import fs from 'node:fs';
import path from 'node:path';
import { ClaimMappingError, loadClaimMapping, mapClaims, parseClaimMapping } from './claim-mapping.js';

const mapping = parseClaimMapping({
  groupsClaim: 'realm_access.roles',
  rules: [
    { group: 'jc-demo-tl-1', tenant: 'jc-demo', roles: ['team_lead'], units: ['team-1'] },
    { group: 'jc-demo-deputy-2', tenant: 'jc-demo', roles: ['deputy'], units: ['team-2'] },
    { group: 'rd-nrw', tenant: 'jc-demo', roles: ['regional'], region: 'rd-nrw' },
    { group: 'jc-other-gf', tenant: 'jc-other', roles: ['management'] },
  ],
});

describe('claim mapping', () => {
  it('joins the roles and units of every matching rule, from a nested claim', () => {
    expect(
      mapClaims(mapping, { sub: 'u-1', realm_access: { roles: ['jc-demo-tl-1', 'jc-demo-deputy-2', 'x'] } }),
    ).toEqual({
      ok: true,
      principal: { subject: 'u-1', tenant: 'jc-demo', roles: ['team_lead', 'deputy'], units: ['team-1', 'team-2'] },
    });
    expect(mapClaims(mapping, { sub: 'u-2', realm_access: { roles: 'rd-nrw' } })).toMatchObject({
      ok: true,
      principal: { roles: ['regional'], region: 'rd-nrw', units: [] },
    });
  });

  it('grants nothing without a matching group, to two tenants, or without a subject', () => {
    expect(mapClaims(mapping, { sub: 'u-1', realm_access: { roles: ['x'] } })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^Für Ihr Konto ist keine Rolle/),
    });
    expect(mapClaims(mapping, { sub: 'u-1' })).toMatchObject({ ok: false });
    expect(mapClaims(mapping, { sub: 'u-1', realm_access: { roles: ['jc-demo-tl-1', 'jc-other-gf'] } })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('mehreren Jobcentern'),
    });
    expect(mapClaims(mapping, { realm_access: { roles: ['jc-demo-tl-1'] } })).toMatchObject({ ok: false });
  });

  it('names every problem of a bad file at once', () => {
    let error: unknown;
    try {
      parseClaimMapping({ rules: [{ group: '', tenant: 'jc', roles: ['king'], units: 'x', extra: 1 }], other: 1 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ClaimMappingError);
    const problems = (error as ClaimMappingError).problems.join('\n');
    for (const field of ['other', 'groupsClaim', 'rules.0.group', 'rules.0.roles.0', 'rules.0.units', 'rules.0.extra'])
      expect(problems).toContain(field);
  });

  it('accepts the documented example file', () => {
    const example = path.resolve('deploy/oidc-claim-mapping.example.json');
    expect(fs.existsSync(example)).toBe(true);
    expect(loadClaimMapping(example).rules.length).toBeGreaterThan(0);
  });
});
