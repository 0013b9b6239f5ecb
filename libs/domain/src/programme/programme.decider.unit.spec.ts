import { fold } from '../shared/decider.js';
import { DomainError } from '../shared/domain-error.js';
import { programmeDecider, type ProgrammeCommand } from './programme.decider.js';
import type { ProgrammeEvent, ProgrammeSettings, StaffCouncilParticipation } from './programme.events.js';

const context = {
  now: '2026-01-05T09:00:00.000Z',
  today: '2026-01-05',
  actor: { userId: 'u1', role: 'area_head' },
  tenant: 'jc-a',
};
const settings: ProgrammeSettings = {
  title: 'Verlaufsbezogene Kundenbetrachtung',
  areaId: 'area-mi',
  customerProcess: 'allgemeine-vermittlung',
  questionnaireId: null,
  minimumCasesPerTeamLead: 10,
  drawnBy: 'area_head',
  errorRatePolicy: { kind: 'none' },
  reviewDeadlineDaysAfterMonth: 0,
  retentionMonths: 12,
  reportDueDay: 15,
  deputiesReview: true,
  excludeDrawnWithinMonths: 6,
  coverageRule: 'least-recently-covered',
  section16aConsent: null,
};
const define: ProgrammeCommand = {
  type: 'DefineProgramme',
  programmeId: 'p1',
  settings,
  reason: 'Einführung',
  note: null,
};

function run(history: ProgrammeEvent[], command: ProgrammeCommand): readonly ProgrammeEvent[] {
  return programmeDecider.decide(command, fold(programmeDecider, history), context);
}

describe('programme decider', () => {
  it('defines a programme once, stamped with the server time', () => {
    const events = run([], define);
    expect(events).toEqual([
      {
        type: 'ProgrammeDefined',
        data: { programmeId: 'p1', settings, reason: 'Einführung', note: null, definedAt: context.now },
      },
    ]);
    expect(() => run([...events], define)).toThrow(expect.objectContaining({ code: 'ALREADY_EXISTS' }));
  });

  it('refuses invalid numbers with the offending fields', () => {
    try {
      run([], { ...define, settings: { ...settings, minimumCasesPerTeamLead: 0, reportDueDay: 31 } });
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).details).toEqual({
        fields: { minimumCasesPerTeamLead: expect.any(String), reportDueDay: expect.any(String) },
      });
    }
  });

  it('numbers revisions, records only real changes and requires the staff council for sampling changes', () => {
    const history = [...run([], define)];
    const revise = (
      changes: Partial<ProgrammeSettings>,
      staffCouncil: StaffCouncilParticipation | null,
    ): ProgrammeCommand => ({
      type: 'ReviseProgramme',
      programmeId: 'p1',
      changes,
      reason: 'Risikobewertung Q1',
      staffCouncil,
      note: null,
    });
    expect(() => run(history, revise({ minimumCasesPerTeamLead: 12 }, null))).toThrow(/Personalrat/);
    const [revised] = run(
      history,
      revise({ minimumCasesPerTeamLead: 12, reportDueDay: 15 }, { date: '2026-02-01', outcome: 'agreed' }),
    );
    expect(revised).toMatchObject({
      type: 'ProgrammeRevised',
      data: { revision: 1, changes: { minimumCasesPerTeamLead: 12 } },
    });
    history.push(revised!);
    expect(fold(programmeDecider, history)).toMatchObject({
      status: 'defined',
      revisions: 1,
      settings: { minimumCasesPerTeamLead: 12 },
    });
    expect(() => run(history, revise({ minimumCasesPerTeamLead: 12 }, null))).toThrow(/changes nothing/);
    expect(() => run(history, { ...revise({ title: 'x' }, null), reason: ' ' })).toThrow(/reason/);
  });

  it('refuses revising a programme that does not exist', () => {
    expect(() =>
      run([], {
        type: 'ReviseProgramme',
        programmeId: 'p9',
        changes: { title: 'x' },
        reason: 'r',
        staffCouncil: null,
        note: null,
      }),
    ).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
