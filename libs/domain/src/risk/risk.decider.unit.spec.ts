import type { DecisionContext } from '../shared/decider.js';
import { fold } from '../shared/decider.js';
import { DomainError } from '../shared/domain-error.js';
import { DEFAULT_RISK_MATRIX } from './risk-matrix.js';
import {
  areaRiskAnalysisDecider,
  DEFAULT_RISK_RULES,
  type RiskCommand,
  riskDecider,
  riskMatrixDecider,
  type RiskState,
} from './risk.decider.js';
import type { RiskEvent } from './risk.events.js';

const context: DecisionContext = {
  now: '2026-03-31T10:00:00Z',
  today: '2026-03-31',
  actor: { userId: 'gf', role: 'management' },
  tenant: 'jc-a',
};

const identify: RiskCommand = {
  type: 'IdentifyRisk',
  riskId: 'r1',
  title: 'Fehlende Anhörung vor Sanktion',
  description: 'In mehreren Teams fehlt die Anhörung.',
  source: { kind: 'external-audit', auditor: 'bundesrechnungshof', reference: 'BRH 2025/17' },
  areaId: 'area-mi',
  process: 'Leistungsminderung',
  links: { defectCategories: ['Anhörung'], trends: [], teamReports: ['team-1-2026-Q1'], measures: [] },
  reason: 'Prüfbericht des BRH',
};

const assess = (impact: number, likelihood: number): RiskCommand => ({
  type: 'AssessRisk',
  riskId: 'r1',
  impact,
  likelihood,
  matrix: DEFAULT_RISK_MATRIX,
  matrixRevision: -1,
  reassessMonths: DEFAULT_RISK_RULES.reassessMonths,
  reason: 'Bewertung',
});

const accept = (recheckOn: string | null, againstAppetite = false): RiskCommand => ({
  type: 'DecideRiskTreatment',
  riskId: 'r1',
  strategy: 'accept',
  measureIds: [],
  transferTo: null,
  recheckOn,
  againstAppetite,
  maxRecheckMonths: 3,
  reason: 'hinnehmbar',
});

function run(
  commands: readonly RiskCommand[],
  at: DecisionContext = context,
): { events: RiskEvent[]; state: RiskState } {
  const events: RiskEvent[] = [];
  for (const command of commands) events.push(...riskDecider.decide(command, fold(riskDecider, events), at));
  return { events, state: fold(riskDecider, events) };
}

function refusal(commands: readonly RiskCommand[]): DomainError {
  try {
    run(commands);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('risk register decider', () => {
  it('identifies a risk with its source, area, process and links', () => {
    const { events, state } = run([identify]);
    expect(events[0]).toMatchObject({
      type: 'RiskIdentified',
      data: { tenant: 'jc-a', identifiedOn: '2026-03-31', source: { auditor: 'bundesrechnungshof' } },
    });
    expect(state).toMatchObject({ status: 'open', areaId: 'area-mi', assessment: null });
    expect(refusal([identify, identify]).code).toBe('ALREADY_EXISTS');
  });

  it('asks an external audit for its auditor and other sources for none', () => {
    const noAuditor = { ...identify, source: { kind: 'external-audit' as const } };
    expect(refusal([noAuditor]).details).toEqual({ fields: { 'source.auditor': expect.any(String) } });
    const stray = { ...identify, source: { kind: 'complaints' as const, auditor: 'interne-revision' as const } };
    expect(refusal([stray]).details).toEqual({ fields: { 'source.auditor': 'only for source.kind external-audit' } });
    expect(run([{ ...identify, source: { kind: 'complaints' } }]).state.status).toBe('open');
    expect(refusal([{ ...identify, title: ' ', reason: 'x' }]).details).toEqual({
      fields: { title: expect.any(String) },
    });
    expect(refusal([{ ...identify, reason: '  ' }]).code).toBe('RULE_VIOLATION');
  });

  it('assesses first, reassesses after, with the quarterly due date and the previous assessment', () => {
    const { events, state } = run([identify, assess(3, 2), assess(2, 2)]);
    expect(events[1]).toMatchObject({
      type: 'RiskAssessed',
      data: {
        score: 6,
        aboveAppetite: true,
        damagePotential: false,
        assessedOn: '2026-03-31',
        reassessBy: '2026-06-30',
      },
    });
    expect(events[2]).toMatchObject({
      type: 'RiskReassessed',
      data: { previous: { impact: 3, likelihood: 2, score: 6 }, score: 4, aboveAppetite: false },
    });
    expect(state).toMatchObject({ assessments: 2, assessment: { impact: 2, likelihood: 2 } });
    expect(refusal([identify, assess(5, 1)]).code).toBe('VALIDATION_FAILED');
  });

  it('bounds the re-check of an accepted risk like a suspended routine: after today, within 3 months', () => {
    expect(run([identify, assess(2, 2), accept('2026-06-30')]).state).toMatchObject({
      treatment: { strategy: 'accept', recheckOn: '2026-06-30', againstAppetite: false },
    });
    expect(run([identify, assess(2, 2), accept('2026-04-01')]).events).toHaveLength(3);
    expect(refusal([identify, assess(2, 2), accept('2026-07-01')]).details).toEqual({
      recheckOn: '2026-07-01',
      latest: '2026-06-30',
    });
    expect(refusal([identify, assess(2, 2), accept('2026-03-31')]).code).toBe('RULE_VIOLATION');
    expect(refusal([identify, assess(2, 2), accept(null)]).code).toBe('VALIDATION_FAILED');
  });

  it('accepts above the appetite only when confirmed, and a damage potential never', () => {
    expect(refusal([identify, assess(3, 2), accept('2026-05-01')]).message).toContain('againstAppetite');
    expect(run([identify, assess(3, 2), accept('2026-05-01', true)]).state).toMatchObject({
      treatment: { againstAppetite: true },
    });
    expect(refusal([identify, assess(4, 1), accept('2026-05-01', true)]).message).toContain('001:117');
  });

  it('reduces with measures, transfers to someone, decides only after an assessment', () => {
    const reduce: RiskCommand = {
      type: 'DecideRiskTreatment',
      riskId: 'r1',
      strategy: 'reduce',
      measureIds: ['m1', 'm1', 'm2'],
      transferTo: null,
      recheckOn: null,
      againstAppetite: false,
      maxRecheckMonths: 3,
      reason: 'Schulung',
    };
    expect(run([identify, assess(4, 3), reduce]).events[2]).toMatchObject({ data: { measureIds: ['m1', 'm2'] } });
    expect(refusal([identify, assess(4, 3), { ...reduce, measureIds: [] }]).details).toEqual({
      fields: { measureIds: expect.any(String) },
    });
    expect(refusal([identify, { ...reduce, strategy: 'transfer', transferTo: ' ' }]).code).toBe('RULE_VIOLATION');
    expect(refusal([identify, assess(4, 3), { ...reduce, strategy: 'transfer', transferTo: ' ' }]).code).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('closes with a reason and refuses every later change', () => {
    const close: RiskCommand = { type: 'CloseRisk', riskId: 'r1', reason: 'Prozess entfallen' };
    const { state } = run([identify, close]);
    expect(state).toMatchObject({ status: 'closed', closedOn: '2026-03-31' });
    expect(refusal([identify, close, assess(1, 1)]).message).toContain('geschlossen');
    expect(refusal([assess(1, 1)]).code).toBe('NOT_FOUND');
  });

  it('sets the matrix only when valid, and consolidates an area analysis from team reports', () => {
    expect(
      riskMatrixDecider.decide(
        { type: 'SetRiskMatrix', matrix: DEFAULT_RISK_MATRIX, reason: 'GF' },
        { matrix: null, decidedOn: null },
        context,
      ),
    ).toHaveLength(1);
    expect(() =>
      riskMatrixDecider.decide(
        {
          type: 'SetRiskMatrix',
          matrix: { ...DEFAULT_RISK_MATRIX, appetite: { maxAcceptedScore: 16, alwaysTreatFromImpact: null } },
          reason: 'GF',
        },
        { matrix: null, decidedOn: null },
        context,
      ),
    ).toThrow(DomainError);
    const consolidate = {
      type: 'ConsolidateAreaRiskAnalysis' as const,
      areaId: 'area-mi',
      year: 2026,
      quarter: 1,
      teamReports: ['team-1-2026-Q1', 'team-1-2026-Q1'],
      riskIds: ['r1'],
      summary: 'Anhörungen fehlen',
      reason: 'Quartal',
    };
    expect(areaRiskAnalysisDecider.decide(consolidate, { consolidations: 0 }, context)[0]).toMatchObject({
      data: { teamReports: ['team-1-2026-Q1'], consolidatedOn: '2026-03-31' },
    });
    expect(() =>
      areaRiskAnalysisDecider.decide({ ...consolidate, teamReports: [] }, { consolidations: 0 }, context),
    ).toThrow(DomainError);
  });
});
