import type { OrganisationEvent, Sealed } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import { expectReplaysChangeNothing, foldInMemory, interleavedHistory } from '../../testing/fold-in-memory.js';
import type { OrganisationUnitDoc } from './organisation-unit.doc.js';
import { organisationUnitsProjection } from './organisation-units.projection.js';

const sealed = (ct: string): Sealed => ({ $sealed: 1, kid: 'organisation:jc-a', iv: 'iv', ct, tag: 'tag' });

const lead = (teamId: string, leadSubject: string, deputySubject: string | null, since: string): OrganisationEvent => ({
  type: 'TeamLeadAssigned',
  data: {
    teamId,
    leadSubject,
    leadName: sealed(leadSubject),
    leadNameFingerprint: `fp-${leadSubject}`,
    deputySubject,
    deputyName: deputySubject === null ? null : sealed(deputySubject),
    deputyNameFingerprint: deputySubject === null ? null : `fp-${deputySubject}`,
    since,
  },
});

/** Two tenants' organisation streams, each event followed by a foreign one, as the store delivers them. */
function history(): RecordedEvent[] {
  const tenants: Record<string, OrganisationEvent[]> = {
    'jc-a': [
      { type: 'UnitDefined', data: { unitId: 'mi', kind: 'area', parentId: null, name: 'M&I', process: null } },
      {
        type: 'UnitDefined',
        data: { unitId: 'leistung', kind: 'area', parentId: null, name: 'Leistung', process: null },
      },
      { type: 'UnitDefined', data: { unitId: 't1', kind: 'team', parentId: 'mi', name: 'Team 1', process: 'av' } },
      lead('t1', 'tl-1', 'dep-1', '2026-01-02'),
      {
        type: 'AbsenceRecorded',
        data: { absenceId: 'a1', teamId: 't1', from: '2026-02-01', to: '2026-02-05', recordedByRole: 'team_lead' },
      },
      {
        type: 'AbsenceRecorded',
        data: { absenceId: 'a2', teamId: 't1', from: '2026-03-01', to: '2026-03-02', recordedByRole: 'area_head' },
      },
      { type: 'AbsenceCancelled', data: { absenceId: 'a1', teamId: 't1' } },
      {
        type: 'DelegationApproved',
        data: {
          delegationId: 'd1',
          teamId: 't1',
          toSubject: 'sb-4',
          from: '2026-03-01',
          to: '2026-03-31',
          reason: sealed('r'),
        },
      },
      lead('t1', 'tl-9', null, '2026-03-15'),
      {
        type: 'UnitRevised',
        data: { unitId: 't1', kind: 'team', parentId: 'leistung', name: 'Team Nord', process: 'lei' },
      },
    ],
    'jc-b': [
      { type: 'UnitDefined', data: { unitId: 'mi', kind: 'area', parentId: null, name: 'Markt', process: null } },
      { type: 'UnitDefined', data: { unitId: 't1', kind: 'team', parentId: 'mi', name: 'B-Team', process: 'av' } },
    ],
  };
  return interleavedHistory(
    Object.entries(tenants).map(([tenant, events]) => ({
      streamId: `organisation-${tenant}`,
      events,
      metadata: { tenant, actor: { userId: 'gf', role: 'management' } },
    })),
    'ProgrammeDefined',
  );
}

describe('organisation-units projection', () => {
  it('keeps one document per unit and tenant, with lead, deputy, live absences and delegations', async () => {
    const collection = foldInMemory(organisationUnitsProjection);
    await collection.feed(history(), 1000);
    expect(collection.sortedDocs().map((doc) => doc._id)).toEqual([
      'jc-a:leistung',
      'jc-a:mi',
      'jc-a:t1',
      'jc-b:mi',
      'jc-b:t1',
    ]);
    const team = collection.docs.get('jc-a:t1') as OrganisationUnitDoc;
    expect(team).toMatchObject({
      tenant: 'jc-a',
      unitId: 't1',
      kind: 'team',
      parentId: 'leistung',
      name: 'Team Nord',
      process: 'lei',
      // The new lead, without a deputy: the team (and its reviews) stayed the same document.
      teamLead: { subject: 'tl-9', name: sealed('tl-9'), since: '2026-03-15' },
      deputy: null,
      absences: [{ absenceId: 'a2', from: '2026-03-01', to: '2026-03-02' }],
      delegations: [{ delegationId: 'd1', toSubject: 'sb-4', from: '2026-03-01', to: '2026-03-31' }],
    });
    expect(collection.docs.get('jc-a:mi')).toMatchObject({ kind: 'area', parentId: null, teamLead: null });
    expect(collection.docs.get('jc-b:t1')).toMatchObject({ tenant: 'jc-b', name: 'B-Team', absences: [] });
  });

  it('changes nothing when every event is replayed twice, and rebuilds the same documents from position 0', async () => {
    const documents = await expectReplaysChangeNothing(organisationUnitsProjection, history());
    expect(documents.length).toBeGreaterThan(0);
  });
});
