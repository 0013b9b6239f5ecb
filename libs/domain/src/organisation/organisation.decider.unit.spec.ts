import { fold, type DecisionContext } from '../shared/decider.js';
import { DomainError } from '../shared/domain-error.js';
import type { Sealed } from '../shared/sealed.js';
import type { AreaInput, PersonInput } from './organisation.commands.js';
import { organisationDecider, type OrganisationCommand } from './organisation.decider.js';
import type { OrganisationEvent } from './organisation.events.js';

const context: DecisionContext = {
  now: '2026-03-02T08:00:00.000Z',
  today: '2026-03-02',
  actor: { userId: 'gf-1', role: 'management' },
  tenant: 'jc-a',
};
const sealed = (ct: string): Sealed => ({ $sealed: 1, kid: 'organisation:jc-a', iv: 'iv', ct, tag: 'tag' });
const person = (subject: string, name = `Name ${subject}`): PersonInput => ({
  subject,
  name: sealed(name),
  nameFingerprint: `fp(${name})`,
});

const areas = (): AreaInput[] => [
  {
    id: 'markt-integration',
    name: 'Markt & Integration',
    teams: [
      { id: 'team-mi-1', name: 'Team M&I 1', process: 'allgemeine-vermittlung', lead: person('tl-1'), deputy: null },
      {
        id: 'team-mi-2',
        name: 'Team M&I 2',
        process: 'allgemeine-vermittlung',
        lead: person('tl-2'),
        deputy: person('dep-2'),
      },
    ],
  },
  { id: 'leistung', name: 'Leistung', teams: [] },
];

function run(history: readonly OrganisationEvent[], command: OrganisationCommand, ctx = context) {
  return organisationDecider.decide(command, fold(organisationDecider, history), ctx);
}

function refusal(action: () => unknown): DomainError {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

type Command<T extends OrganisationCommand['type']> = Extract<OrganisationCommand, { type: T }>;

const load = (input: AreaInput[]): OrganisationCommand => ({ type: 'LoadOrganisation', areas: input });

describe('organisation decider', () => {
  describe('loading the structure as data', () => {
    it('defines areas, then their teams with their leads, in file order', () => {
      const events = run([], load(areas()));
      expect(events.map((event) => event.type)).toEqual([
        'UnitDefined',
        'UnitDefined',
        'TeamLeadAssigned',
        'UnitDefined',
        'TeamLeadAssigned',
        'UnitDefined',
      ]);
      expect(events[1]).toEqual({
        type: 'UnitDefined',
        data: {
          unitId: 'team-mi-1',
          kind: 'team',
          parentId: 'markt-integration',
          name: 'Team M&I 1',
          process: 'allgemeine-vermittlung',
        },
      });
      expect(events[4]).toEqual({
        type: 'TeamLeadAssigned',
        data: {
          teamId: 'team-mi-2',
          leadSubject: 'tl-2',
          leadName: sealed('Name tl-2'),
          leadNameFingerprint: 'fp(Name tl-2)',
          deputySubject: 'dep-2',
          deputyName: sealed('Name dep-2'),
          deputyNameFingerprint: 'fp(Name dep-2)',
          since: '2026-03-02',
        },
      });
    });

    it('appends nothing when the same file is loaded again (names are freshly sealed, fingerprints equal)', () => {
      const history = run([], load(areas()));
      const again = areas().map((area) => ({
        ...area,
        teams: area.teams.map((team) => ({ ...team, lead: { ...team.lead, name: sealed('other ciphertext') } })),
      }));
      expect(run(history, load(again))).toEqual([]);
    });

    it('appends only what changed: a renamed team, a moved team, a new lead, a renamed deputy, a dropped deputy', () => {
      const history = run([], load(areas()));
      const [mi, leistung] = areas();
      const changed: AreaInput[] = [
        {
          ...mi!,
          teams: [
            { ...mi!.teams[0]!, name: 'Team M&I Nord', lead: person('tl-9') },
            { ...mi!.teams[1]!, deputy: person('dep-2', 'Neuer Name') },
          ],
        },
        {
          ...leistung!,
          teams: [{ id: 'team-mi-3', name: 'Team L 1', process: 'leistung', lead: person('tl-3'), deputy: null }],
        },
      ];
      const events = run(history, load(changed));
      expect(events).toEqual([
        {
          type: 'UnitRevised',
          data: {
            unitId: 'team-mi-1',
            kind: 'team',
            parentId: 'markt-integration',
            name: 'Team M&I Nord',
            process: 'allgemeine-vermittlung',
          },
        },
        expect.objectContaining({ type: 'TeamLeadAssigned', data: expect.objectContaining({ leadSubject: 'tl-9' }) }),
        expect.objectContaining({
          type: 'TeamLeadAssigned',
          data: expect.objectContaining({ leadSubject: 'tl-2', deputyNameFingerprint: 'fp(Neuer Name)' }),
        }),
        expect.objectContaining({ type: 'UnitDefined', data: expect.objectContaining({ unitId: 'team-mi-3' }) }),
        expect.objectContaining({ type: 'TeamLeadAssigned', data: expect.objectContaining({ teamId: 'team-mi-3' }) }),
      ]);

      const moved = run(
        [...history, ...events],
        load([
          { ...changed[0]!, teams: [] },
          { ...leistung!, teams: [{ ...changed[0]!.teams[1]!, deputy: null }] },
        ]),
      );
      expect(moved).toEqual([
        {
          type: 'UnitRevised',
          data: {
            unitId: 'team-mi-2',
            kind: 'team',
            parentId: 'leistung',
            name: 'Team M&I 2',
            process: 'allgemeine-vermittlung',
          },
        },
        expect.objectContaining({
          type: 'TeamLeadAssigned',
          data: expect.objectContaining({ deputySubject: null, deputyName: null, deputyNameFingerprint: null }),
        }),
      ]);
    });

    it('refuses a bad file with every offending field, and writes nothing', () => {
      const [mi] = areas();
      const error = refusal(() =>
        run(
          [],
          load([
            { ...mi!, id: 'Markt Integration' },
            {
              id: 'leistung',
              name: ' ',
              teams: [
                { ...mi!.teams[0]!, id: 'leistung' },
                { ...mi!.teams[1]!, process: 'Leistung!', deputy: person('tl-2') },
                { ...mi!.teams[0]!, lead: person('') },
              ],
            },
          ]),
        ),
      );
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(Object.keys((error.details as { fields: object }).fields).sort()).toEqual([
        'areas.0.id',
        'areas.1.name',
        'areas.1.teams.0.id',
        'areas.1.teams.1.deputy.subject',
        // team-mi-2 and team-mi-1 again: already used under areas.0
        'areas.1.teams.1.id',
        'areas.1.teams.1.process',
        'areas.1.teams.2.id',
        'areas.1.teams.2.lead.subject',
      ]);
    });

    it('refuses to turn an existing area into a team (unit ids are unique across kinds)', () => {
      const history = run([], load(areas()));
      const error = refusal(() =>
        run(
          history,
          load([
            {
              id: 'markt-integration-neu',
              name: 'M&I',
              teams: [{ ...areas()[0]!.teams[0]!, id: 'leistung' }],
            },
          ]),
        ),
      );
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details).toEqual({ fields: { 'areas.0.teams.0.id': expect.stringMatching(/already defined/) } });
    });
  });

  describe('single structure commands', () => {
    it('defines a team only under an existing area, and a unit id only once', () => {
      const area: OrganisationCommand = {
        type: 'DefineUnit',
        unitId: 'recht',
        kind: 'area',
        parentId: null,
        name: 'Recht',
        process: null,
      };
      const team: OrganisationCommand = {
        type: 'DefineUnit',
        unitId: 'team-recht',
        kind: 'team',
        parentId: 'recht',
        name: 'Widerspruchsstelle',
        process: 'widerspruch',
      };
      expect(refusal(() => run([], team)).code).toBe('RULE_VIOLATION');
      const history = [...run([], area)];
      expect(refusal(() => run(history, area)).code).toBe('ALREADY_EXISTS');
      expect(run(history, team)).toEqual([
        {
          type: 'UnitDefined',
          data: {
            unitId: 'team-recht',
            kind: 'team',
            parentId: 'recht',
            name: 'Widerspruchsstelle',
            process: 'widerspruch',
          },
        },
      ]);
      expect(refusal(() => run(history, { ...team, parentId: 'nirgends' })).code).toBe('RULE_VIOLATION');
      expect(refusal(() => run(history, { ...team, process: null })).code).toBe('VALIDATION_FAILED');
    });

    it('assigns a new team lead as one event (reviews stay with the team) and ignores an unchanged one', () => {
      const history = run([], load(areas()));
      const assign = (lead: PersonInput, deputy: PersonInput | null): Command<'AssignTeamLead'> => ({
        type: 'AssignTeamLead',
        teamId: 'team-mi-1',
        lead,
        deputy,
      });
      expect(run(history, assign(person('tl-1'), null))).toEqual([]);
      expect(run(history, assign(person('tl-7'), person('dep-7')))).toEqual([
        expect.objectContaining({
          type: 'TeamLeadAssigned',
          data: expect.objectContaining({ teamId: 'team-mi-1', leadSubject: 'tl-7', deputySubject: 'dep-7' }),
        }),
      ]);
      expect(refusal(() => run(history, assign(person('tl-7'), person('tl-7')))).code).toBe('RULE_VIOLATION');
      expect(refusal(() => run(history, { ...assign(person('x'), null), teamId: 'leistung' })).code).toBe('NOT_FOUND');
    });
  });

  describe('absences and delegations', () => {
    const history = run([], load(areas()));
    const absence = (from: string, to: string): Command<'RecordAbsence'> => ({
      type: 'RecordAbsence',
      absenceId: 'a-1',
      teamId: 'team-mi-2',
      from,
      to,
    });
    const asTeamLead = { ...context, actor: { userId: 'tl-2', role: 'team_lead' } };

    it('records an absence of the team lead with the recording role, local dates inclusive', () => {
      expect(run(history, absence('2026-03-10', '2026-03-10'), asTeamLead)).toEqual([
        {
          type: 'AbsenceRecorded',
          data: {
            absenceId: 'a-1',
            teamId: 'team-mi-2',
            from: '2026-03-10',
            to: '2026-03-10',
            recordedByRole: 'team_lead',
          },
        },
      ]);
    });

    it('refuses a period that ends before it starts or is not a date (400 with fields), and unknown teams', () => {
      expect(refusal(() => run(history, absence('2026-03-10', '2026-03-09'))).details).toEqual({
        fields: { to: expect.any(String) },
      });
      expect(refusal(() => run(history, absence('2026-02-30', '10.03.2026'))).details).toEqual({
        fields: { from: expect.any(String), to: expect.any(String) },
      });
      expect(refusal(() => run(history, { ...absence('2026-03-10', '2026-03-11'), teamId: 'leistung' })).code).toBe(
        'NOT_FOUND',
      );
    });

    it('cancels a recorded absence once; another team or an unknown id is not found; ids are never reused', () => {
      const recorded = [...history, ...run(history, absence('2026-03-10', '2026-03-12'))];
      const cancel: OrganisationCommand = { type: 'CancelAbsence', absenceId: 'a-1', teamId: 'team-mi-2' };
      expect(refusal(() => run(recorded, { ...cancel, teamId: 'team-mi-1' })).code).toBe('NOT_FOUND');
      expect(refusal(() => run(recorded, { ...cancel, absenceId: 'a-9' })).code).toBe('NOT_FOUND');
      const cancelled = [...recorded, ...run(recorded, cancel)];
      expect(cancelled.at(-1)).toEqual({ type: 'AbsenceCancelled', data: { absenceId: 'a-1', teamId: 'team-mi-2' } });
      expect(refusal(() => run(cancelled, cancel)).code).toBe('NOT_FOUND');
      expect(refusal(() => run(cancelled, absence('2026-04-01', '2026-04-02'))).code).toBe('ALREADY_EXISTS');
    });

    it('records an approved delegation with its sealed reason; not to the team lead, not without a subject', () => {
      const approve = (toSubject: string): OrganisationCommand => ({
        type: 'ApproveDelegation',
        delegationId: 'd-1',
        teamId: 'team-mi-1',
        toSubject,
        from: '2026-03-01',
        to: '2026-03-31',
        reason: sealed('Elternzeit der Teamleitung'),
      });
      const [approved] = run(history, approve('sb-4'));
      expect(approved).toEqual({
        type: 'DelegationApproved',
        data: {
          delegationId: 'd-1',
          teamId: 'team-mi-1',
          toSubject: 'sb-4',
          from: '2026-03-01',
          to: '2026-03-31',
          reason: sealed('Elternzeit der Teamleitung'),
        },
      });
      expect(refusal(() => run(history, approve('tl-1'))).code).toBe('RULE_VIOLATION');
      expect(refusal(() => run(history, approve(''))).details).toEqual({ fields: { toSubject: expect.any(String) } });
      expect(refusal(() => run([...history, approved!], approve('sb-4'))).code).toBe('ALREADY_EXISTS');
    });
  });
});
