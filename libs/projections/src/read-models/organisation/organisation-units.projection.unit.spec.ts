import type { OrganisationEvent } from '../../../../domain/src/organisation/organisation.events.js';
import type { Sealed } from '../../../../domain/src/shared/sealed.js';
import type { RecordedEvent } from '../../../../event-store/src/event-store.port.js';
import type { Doc, DocumentWrite } from '../../../../read-store/src/read-store.port.js';
import { foldBatch } from '../../fold-batch.js';
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
  const events: RecordedEvent[] = [];
  let position = 0;
  for (let step = 0; step < 10; step += 1) {
    for (const [tenant, stream] of Object.entries(tenants)) {
      const event = stream[step];
      if (event === undefined) continue;
      position += 1;
      const recorded: RecordedEvent = {
        id: `e-${position}`,
        type: event.type,
        schemaVersion: 1,
        data: event.data,
        metadata: {
          occurredAt: '2026-03-02T09:00:00.000Z',
          actor: { userId: 'gf', role: 'management' },
          tenant,
          correlationId: 'c',
          causationId: null,
          rulesVersion: '1',
        },
        streamId: `organisation-${tenant}`,
        revision: step,
        position,
        recordedAt: '2026-03-02T09:00:00.000Z',
        chain: '',
      };
      events.push(recorded);
      position += 1;
      events.push({ ...recorded, id: `x-${position}`, type: 'ProgrammeDefined', position });
    }
  }
  return events;
}

function memoryCollection() {
  const docs = new Map<string, Doc>();
  return {
    docs,
    load: (ids: readonly string[]) => Promise.resolve(new Map(ids.map((id) => [id, docs.get(id) ?? null]))),
    apply(writes: readonly DocumentWrite[]) {
      for (const write of writes) {
        if (write.op === 'put') docs.set(write.doc._id, structuredClone(write.doc));
        else docs.delete(write.id);
      }
    },
  };
}

async function feed(collection: ReturnType<typeof memoryCollection>, events: readonly RecordedEvent[], batch: number) {
  for (let start = 0; start < events.length; start += batch) {
    const slice = events.slice(start, start + batch);
    const folded = await foldBatch(
      organisationUnitsProjection,
      'organisation-units_v1',
      slice,
      slice.at(-1)!.position,
      collection.load,
    );
    collection.apply(folded.writes);
  }
}

const sorted = (docs: Map<string, Doc>) => [...docs.values()].sort((a, b) => a._id.localeCompare(b._id));

describe('organisation-units projection', () => {
  it('keeps one document per unit and tenant, with lead, deputy, live absences and delegations', async () => {
    const collection = memoryCollection();
    await feed(collection, history(), 1000);
    expect(sorted(collection.docs).map((doc) => doc._id)).toEqual([
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
    const events = history();
    const once = memoryCollection();
    await feed(once, events, 1000);
    const expected = sorted(once.docs);

    await feed(once, events, 3);
    await feed(once, events, 1);
    expect(sorted(once.docs)).toEqual(expected);

    const rebuilt = memoryCollection();
    await feed(rebuilt, events, 2);
    expect(sorted(rebuilt.docs)).toEqual(expected);
  });
});
