import { fold } from '../shared/decider.js';
import { DomainError } from '../shared/domain-error.js';
import type { Sealed } from '../shared/sealed.js';
import { reportDecider, type ReportCommand } from './report.decider.js';
import type { ReportEvent, ReportFigures } from './report.events.js';

const sealed = (ct: string): Sealed => ({ $sealed: 1, kid: 'report:x', iv: 'iv', ct, tag: 'tag' });

const after = {
  now: '2026-04-10T08:00:00.000Z',
  today: '2026-04-10',
  actor: { userId: 'tl-1', role: 'team_lead' },
  tenant: 'jc-a',
};

const figures: ReportFigures = {
  reviewsSampled: 30,
  reviewsDone: 28,
  reviewsRequired: 30,
  goalDirected: 20,
  notGoalDirected: 8,
  defects: { Dokumentation: { minor: 3, serious: 2 }, Eingliederung: { minor: 1, serious: 0 } },
  seriousDefects: 2,
  financialLossDefects: 1,
  talksHeld: 8,
  teamDiscussionsHeld: 2,
  measuresAgreed: 4,
  measuresCompleted: 2,
  measuresCancelled: 0,
  measuresOpen: 2,
  measuresOverdue: 1,
  asOf: '2026-03-31',
  programmes: [{ programmeId: 'p1', title: 'VKB', reviewsRequired: 30, reviewsDone: 28 }],
};

const team: ReportCommand = {
  type: 'SubmitTeamReport',
  reportId: 'jc-a-team-1-2026-Q1',
  unitId: 'team-1',
  areaId: 'mi',
  year: 2026,
  quarter: 1,
  figures,
  seriousDefects: [
    { category: 'Dokumentation', legalNorm: '§ 15 SGB II', description: sealed('a') },
    { category: 'Dokumentation', legalNorm: null, description: sealed('b') },
  ],
  assessment: sealed('c'),
  dueDate: '2026-04-15',
};

const legal = (nil: boolean, findings: Extract<ReportCommand, { type: 'SubmitLegalReport' }>['findings']) =>
  ({
    type: 'SubmitLegalReport',
    reportId: 'jc-a-legal-2026-Q1',
    unitId: 'legal',
    year: 2026,
    quarter: 1,
    nil,
    findings,
    assessment: null,
    dueDate: '2026-04-15',
  }) satisfies ReportCommand;

function run(history: ReportEvent[], command: ReportCommand, context = after): readonly ReportEvent[] {
  return reportDecider.decide(command, fold(reportDecider, history), context);
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

describe('report decider', () => {
  it('submits a team report with the figures snapshot, the server time and the due date', () => {
    expect(run([], team)).toEqual([
      {
        type: 'ReportSubmitted',
        data: {
          reportId: team.reportId,
          kind: 'team',
          unitId: 'team-1',
          areaId: 'mi',
          year: 2026,
          quarter: 1,
          figures,
          seriousDefects: team.seriousDefects,
          assessment: team.assessment,
          submittedAt: after.now,
          dueDate: '2026-04-15',
        },
      },
    ]);
  });

  it('refuses a second submission of the same quarter (409), whether team or legal', () => {
    const history = [...run([], team)];
    expect(refusal(() => run(history, team)).code).toBe('ALREADY_EXISTS');
    const legalHistory = [...run([], legal(true, []))];
    expect(refusal(() => run(legalHistory, legal(true, []))).code).toBe('ALREADY_EXISTS');
  });

  it('refuses a report before the quarter has ended, including on its last day', () => {
    const lastDay = { ...after, now: '2026-03-31T20:00:00.000Z', today: '2026-03-31' };
    const error = refusal(() => run([], team, lastDay));
    expect(error.code).toBe('RULE_VIOLATION');
    expect(error.message).toMatch(/Quartalsende/);
    expect(run([], team, { ...after, today: '2026-04-01' })).toHaveLength(1);
  });

  it('requires exactly one anonymised description per serious defect, by category', () => {
    const missing = refusal(() => run([], { ...team, seriousDefects: team.seriousDefects.slice(0, 1) }));
    expect(missing.code).toBe('VALIDATION_FAILED');
    expect(missing.details).toMatchObject({
      fields: { seriousDefects: expect.any(String) },
      categories: ['Dokumentation'],
    });
    const wrongCategory = refusal(() =>
      run([], {
        ...team,
        seriousDefects: [team.seriousDefects[0]!, { ...team.seriousDefects[1]!, category: 'Eingliederung' }],
      }),
    );
    expect(wrongCategory.details).toMatchObject({ categories: ['Dokumentation', 'Eingliederung'] });
    const none = { ...figures, defects: { Dokumentation: { minor: 1, serious: 0 } }, seriousDefects: 0 };
    expect(run([], { ...team, figures: none, seriousDefects: [] })).toHaveLength(1);
  });

  it('takes an explicit nil report from the legal department (Fehlanzeige, 000:103)', () => {
    const [event] = run([], legal(true, []));
    expect(event).toMatchObject({ type: 'LegalReportSubmitted', data: { nil: true, findings: [], kind: 'legal' } });
  });

  it('refuses a legal report that is neither nil nor has findings, a nil one with findings, and impossible counts', () => {
    const finding = {
      legalNorm: '§ 22 SGB II',
      reason: 'fact-finding',
      teamId: null,
      upheldAppeals: 2,
      avoidable: 3,
      note: null,
    };
    expect(refusal(() => run([], legal(false, []))).details).toEqual({ fields: { findings: expect.any(String) } });
    expect(refusal(() => run([], legal(true, [{ ...finding, avoidable: 1 }]))).details).toEqual({
      fields: { findings: expect.any(String) },
    });
    expect(refusal(() => run([], legal(false, [finding]))).details).toEqual({
      fields: { 'findings.0.avoidable': expect.any(String) },
    });
    expect(run([], legal(false, [{ ...finding, avoidable: 2 }]))).toHaveLength(1);
  });
});
