import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StreamStates } from '@pruefpfad/application';
import {
  ORGANISATION_EVENT_SCHEMAS,
  type OrganisationEvent,
  organisationStreamId,
  type Principal,
  type Role,
} from '@pruefpfad/domain';
import { SqliteEventStore } from '@pruefpfad/event-store';
import { EmbeddedReadStore } from '@pruefpfad/read-store';
import { ActingRights } from './acting-rights.js';

/**
 * Acting rights against the organisation's stream in the real embedded event store (the read model stays
 * empty: decisions never read it); "today" is 2026-03-10 in Berlin.
 */
describe('ActingRights', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-'));
  const readStore = EmbeddedReadStore.open({ file: path.join(dir, 'read.db') });
  let events: SqliteEventStore;
  let rights: ActingRights;

  const unit = (unitId: string, kind: 'area' | 'team', parentId: string | null): OrganisationEvent => ({
    type: 'UnitDefined',
    data: { unitId, kind, parentId, name: unitId, process: kind === 'team' ? 'allgemeine-vermittlung' : null },
  });
  const lead = (teamId: string): OrganisationEvent => ({
    type: 'TeamLeadAssigned',
    data: {
      teamId,
      leadSubject: `tl-${teamId}`,
      leadName: null,
      leadNameFingerprint: null,
      deputySubject: `dep-${teamId}`,
      deputyName: null,
      deputyNameFingerprint: null,
      since: '2026-01-01',
    },
  });
  const absence = (absenceId: string, teamId: string, from: string, to: string): OrganisationEvent => ({
    type: 'AbsenceRecorded',
    data: { absenceId, teamId, from, to, recordedByRole: 'team_lead' },
  });
  const delegation = (delegationId: string, toSubject: string, from: string, to: string): OrganisationEvent => ({
    type: 'DelegationApproved',
    data: { delegationId, teamId: 't-present', toSubject, from, to, reason: { ct: 'sealed' } as never },
  });
  const append = (history: readonly OrganisationEvent[]) =>
    events.append(
      organisationStreamId('jc-a'),
      history.map((event, index) => ({
        id: `00000000-0000-7000-8000-${String(index).padStart(12, '0')}`,
        type: event.type,
        schemaVersion: ORGANISATION_EVENT_SCHEMAS[event.type],
        data: event.data,
        metadata: {
          occurredAt: '2026-03-01T08:00:00.000Z',
          actor: { userId: 'setup', role: 'management' },
          tenant: 'jc-a',
          correlationId: 'setup',
          causationId: null,
          rulesVersion: 'test',
        },
      })),
      { expectedRevision: 'any' },
    );

  beforeAll(async () => {
    events = await SqliteEventStore.open({ file: ':memory:', chainKey: randomBytes(32) });
    rights = new ActingRights(new StreamStates(events), readStore.documents, {
      now: () => new Date('2026-03-10T10:00:00.000Z'),
    });
    await append([
      unit('mi', 'area', null),
      unit('leistung', 'area', null),
      unit('t-away', 'team', 'mi'),
      unit('t-present', 'team', 'mi'),
      unit('t-leistung', 'team', 'leistung'),
      lead('t-away'),
      lead('t-present'),
      lead('t-leistung'),
      absence('past', 't-away', '2026-03-01', '2026-03-09'),
      absence('now', 't-away', '2026-03-10', '2026-03-10'),
      absence('later', 't-present', '2026-03-11', '2026-03-20'),
      // Recorded today and cancelled again: it does not count.
      absence('cancelled', 't-present', '2026-03-10', '2026-03-10'),
      { type: 'AbsenceCancelled', data: { absenceId: 'cancelled', teamId: 't-present' } },
      delegation('d-now', 'sb-now', '2026-03-01', '2026-03-31'),
      delegation('d-old', 'sb-old', '2026-02-01', '2026-02-28'),
    ]);
  });

  afterAll(async () => {
    await events.close();
    await readStore.close();
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

  it('decides on the stream as it is now: an absence recorded a moment ago counts at once', async () => {
    const deputy = principal('dep-t-leistung', ['deputy'], ['t-leistung']);
    expect(await code(rights.assertMayAct(deputy, ACT, 'jc-a', 't-leistung'))).toBe('RULE_VIOLATION');
    await append([absence('sudden', 't-leistung', '2026-03-10', '2026-03-12')]);
    await expect(rights.assertMayAct(deputy, ACT, 'jc-a', 't-leistung')).resolves.toMatchObject({ asDeputy: true });
  });
});
