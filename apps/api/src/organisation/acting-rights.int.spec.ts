import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Principal, Role } from '../../../../libs/domain/src/authorization/authorization.policy.js';
import { EmbeddedReadStore } from '../../../../libs/read-store/src/embedded/embedded-read-store.js';
import {
  ORGANISATION_UNITS,
  organisationUnitDocId,
  type OrganisationUnitDoc,
} from '../../../../libs/projections/src/read-models/organisation/organisation-unit.doc.js';
import { ActingRights } from './acting-rights.js';

/** Acting rights against the real embedded read store; "today" is 2026-03-10 in Berlin. */
describe('ActingRights', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-'));
  const store = EmbeddedReadStore.open({ file: path.join(dir, 'read.db') });
  const rights = new ActingRights(store.documents, { now: () => new Date('2026-03-10T10:00:00.000Z') });

  const team = (unitId: string, parentId: string, extra: Partial<OrganisationUnitDoc> = {}): OrganisationUnitDoc => ({
    _id: organisationUnitDocId('jc-a', unitId),
    tenant: 'jc-a',
    unitId,
    kind: 'team',
    parentId,
    name: unitId,
    process: 'allgemeine-vermittlung',
    teamLead: { subject: `tl-${unitId}`, name: null, since: '2026-01-01' },
    deputy: { subject: `dep-${unitId}`, name: null },
    absences: [],
    delegations: [],
    ...extra,
  });

  beforeAll(async () => {
    await store.documents.put(ORGANISATION_UNITS, {
      ...team('mi', 'mi'),
      _id: organisationUnitDocId('jc-a', 'mi'),
      kind: 'area',
      parentId: null,
    });
    await store.documents.put(
      ORGANISATION_UNITS,
      team('t-away', 'mi', {
        absences: [
          { absenceId: 'past', from: '2026-03-01', to: '2026-03-09' },
          { absenceId: 'now', from: '2026-03-10', to: '2026-03-10' },
        ],
      }),
    );
    await store.documents.put(
      ORGANISATION_UNITS,
      team('t-present', 'mi', {
        absences: [{ absenceId: 'later', from: '2026-03-11', to: '2026-03-20' }],
        delegations: [
          { delegationId: 'd-now', toSubject: 'sb-now', from: '2026-03-01', to: '2026-03-31' },
          { delegationId: 'd-old', toSubject: 'sb-old', from: '2026-02-01', to: '2026-02-28' },
        ],
      }),
    );
    await store.documents.put(ORGANISATION_UNITS, team('t-leistung', 'leistung'));
  });

  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const principal = (subject: string, roles: Role[], units: string[], tenant = 'jc-a'): Principal => ({
    subject,
    tenant,
    roles,
    units,
  });
  const ACT = 'organisation.act-for-team' as const;
  const code = async (promise: Promise<unknown>) =>
    promise.then(
      () => 'allowed',
      (error: { code?: string }) => error.code ?? 'no code',
    );

  it('lets the team lead act for the own team, not for another team (404)', async () => {
    const lead = principal('tl-t-present', ['team_lead'], ['t-present']);
    await expect(rights.assertMayAct(lead, ACT, 'jc-a', 't-present')).resolves.toEqual({
      teamId: 't-present',
      areaId: 'mi',
      asDeputy: false,
    });
    expect(await code(rights.assertMayAct(lead, ACT, 'jc-a', 't-away'))).toBe('NOT_FOUND');
  });

  it('lets the designated deputy act only on a day inside a recorded absence (dates inclusive)', async () => {
    const away = principal('dep-t-away', ['deputy'], ['t-away']);
    await expect(rights.assertMayAct(away, ACT, 'jc-a', 't-away')).resolves.toMatchObject({ asDeputy: true });
    // The absence starts tomorrow: today the team lead is present.
    const present = principal('dep-t-present', ['deputy'], ['t-present']);
    expect(await code(rights.assertMayAct(present, ACT, 'jc-a', 't-present'))).toBe('RULE_VIOLATION');
    // Another deputy-role member of the absent lead's team is not the designated deputy.
    const other = principal('someone-else', ['deputy'], ['t-away']);
    expect(await code(rights.assertMayAct(other, ACT, 'jc-a', 't-away'))).toBe('RULE_VIOLATION');
  });

  it('refuses deputies altogether when the programme says deputies do not review', async () => {
    const away = principal('dep-t-away', ['deputy'], ['t-away']);
    expect(await code(rights.assertMayAct(away, ACT, 'jc-a', 't-away', { deputiesAllowed: false }))).toBe(
      'RULE_VIOLATION',
    );
    await expect(rights.assertMayAct(away, ACT, 'jc-a', 't-away', { deputiesAllowed: true })).resolves.toMatchObject({
      asDeputy: true,
    });
  });

  it('lets a delegate act inside the approved delegation only', async () => {
    const now = principal('sb-now', ['deputy'], ['t-present']);
    await expect(rights.assertMayAct(now, ACT, 'jc-a', 't-present')).resolves.toMatchObject({ asDeputy: true });
    const expired = principal('sb-old', ['deputy'], ['t-present']);
    expect(await code(rights.assertMayAct(expired, ACT, 'jc-a', 't-present'))).toBe('RULE_VIOLATION');
  });

  it('does not let a further role that grants nothing for the action skip the absence rule', async () => {
    const both = principal('dep-t-present', ['deputy', 'employee'], ['t-present']);
    expect(await code(rights.assertMayAct(both, ACT, 'jc-a', 't-present'))).toBe('RULE_VIOLATION');
  });

  it('lets the area head reach the teams of the own area, not those of another area (404)', async () => {
    const areaHead = principal('bl-mi', ['area_head'], ['mi']);
    const action = 'organisation.record-absence' as const;
    await expect(rights.assertMayRead(areaHead, action, 'jc-a', 't-away')).resolves.toEqual({
      teamId: 't-away',
      areaId: 'mi',
      asDeputy: false,
    });
    await expect(rights.assertMayAct(areaHead, action, 'jc-a', 't-present')).resolves.toMatchObject({
      asDeputy: false,
    });
    expect(await code(rights.assertMayRead(areaHead, action, 'jc-a', 't-leistung'))).toBe('NOT_FOUND');
  });

  it('answers 404 for another tenant, an unknown team and an area taken for a team', async () => {
    const lead = principal('tl-t-present', ['team_lead'], ['t-present']);
    expect(await code(rights.assertMayAct(lead, ACT, 'jc-b', 't-present'))).toBe('NOT_FOUND');
    const foreign = principal('tl-t-present', ['team_lead'], ['t-present'], 'jc-b');
    expect(await code(rights.assertMayAct(foreign, ACT, 'jc-b', 't-present'))).toBe('NOT_FOUND');
    expect(await code(rights.assertMayAct(lead, ACT, 'jc-a', 'nope'))).toBe('NOT_FOUND');
    const areaHead = principal('bl-mi', ['area_head'], ['mi']);
    expect(await code(rights.assertMayRead(areaHead, 'organisation.record-absence', 'jc-a', 'mi'))).toBe('NOT_FOUND');
  });
});
