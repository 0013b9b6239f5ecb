import { fold, type DecisionContext } from '../shared/decider.js';
import { DomainError } from '../shared/domain-error.js';
import { routineDecider, type RoutineCommand } from './routine.decider.js';
import type { RoutineEvent, ToleranceTest } from './routine.events.js';

const context = (today: string): DecisionContext => ({
  now: `${today}T09:00:00.000Z`,
  today,
  actor: { userId: 'gf-1', role: 'management' },
  tenant: 'jc-a',
});

type Suspend = Extract<RoutineCommand, { type: 'SuspendRoutine' }>;

/** 0 errors in 30 reviews: the exact one-sided 95 % bound 9.50 % lies below 10 %. */
const MET: ToleranceTest = {
  from: '2025-04',
  to: '2026-03',
  reviews: 30,
  withErrors: 0,
  rate: 0,
  upperBound: 0.095034,
  tolerancePercent: 10,
  belowTolerance: true,
  judging: { kind: 'clopper-pearson-upper-bound', confidence: 0.95 },
  rule: 'clopper-pearson-one-sided-95',
  rulesVersion: '2026.2',
  errorCounting: 'any-defect',
};
/** 3 errors in 40 reviews: the bound 18.26 % does not. */
const NOT_MET: ToleranceTest = {
  ...MET,
  reviews: 40,
  withErrors: 3,
  rate: 0.075,
  upperBound: 0.182587,
  belowTolerance: false,
};

const suspend = (recheckOn: string, overrides: Partial<Suspend> = {}): Suspend => ({
  type: 'SuspendRoutine',
  programmeId: 'p-le',
  recheckOn,
  reason: 'Fehlerquote 2025 unter der Toleranz',
  collectsErrorRates: true,
  maxRecheckMonths: 3,
  toleranceTest: MET,
  againstToleranceTest: false,
  ...overrides,
});

function decideOn(history: readonly RoutineEvent[], command: RoutineCommand, today: string): readonly RoutineEvent[] {
  return routineDecider.decide(command, fold(routineDecider, history), context(today));
}

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('routine decider', () => {
  it('records a suspension with the decision date and a re-check date', () => {
    expect(decideOn([], suspend('2026-05-31'), '2026-03-10')).toEqual([
      {
        type: 'RoutineSuspended',
        data: {
          programmeId: 'p-le',
          decidedOn: '2026-03-10',
          recheckOn: '2026-05-31',
          reason: 'Fehlerquote 2025 unter der Toleranz',
          toleranceTest: MET,
          againstToleranceTest: false,
        },
      },
    ]);
  });

  it('suspends a routine that fails the tolerance test only when management confirms deciding against it', () => {
    const refused = refusal(() => decideOn([], suspend('2026-05-31', { toleranceTest: NOT_MET }), '2026-03-10'));
    expect(refused.code).toBe('RULE_VIOLATION');
    expect(refused.message).toMatch(/3 von 40 Prüfungen mit Fehlern \(2025-04 – 2026-03\), obere Grenze 18,26 %/);
    expect(refused.message).toMatch(/clopper-pearson-one-sided-95, not below the tolerance of 10 %/);
    expect(refused.problemExtensions).toEqual({ toleranceTest: NOT_MET });
    const noReviews = { ...NOT_MET, reviews: 0, withErrors: 0, rate: null, upperBound: null };
    expect(
      refusal(() => decideOn([], suspend('2026-05-31', { toleranceTest: noReviews }), '2026-03-10')).message,
    ).toMatch(/keine abgeschlossene Prüfung/);
    const against = decideOn(
      [],
      suspend('2026-05-31', { toleranceTest: NOT_MET, againstToleranceTest: true, reason: 'Personalwechsel' }),
      '2026-03-10',
    );
    expect(against).toEqual([
      expect.objectContaining({
        type: 'RoutineSuspended',
        data: expect.objectContaining({
          reason: 'Personalwechsel',
          toleranceTest: NOT_MET,
          againstToleranceTest: true,
        }),
      }),
    ]);
    // A confirmation the test does not need changes nothing: the decision followed the test.
    expect(decideOn([], suspend('2026-05-31', { againstToleranceTest: true }), '2026-03-10')[0]!.data).toMatchObject({
      againstToleranceTest: false,
    });
    // The reason is needed either way.
    expect(
      refusal(() =>
        decideOn(
          [],
          suspend('2026-05-31', { toleranceTest: NOT_MET, againstToleranceTest: true, reason: ' ' }),
          '2026-03-10',
        ),
      ).message,
    ).toMatch(/Begründung/);
  });

  it('refuses a re-check date in the past, today, or beyond the configured months', () => {
    expect(refusal(() => decideOn([], suspend('2026-03-10'), '2026-03-10')).code).toBe('RULE_VIOLATION');
    expect(decideOn([], suspend('2026-06-10'), '2026-03-10')).toHaveLength(1);
    const late = refusal(() => decideOn([], suspend('2026-06-11'), '2026-03-10'));
    expect(late.code).toBe('RULE_VIOLATION');
    expect(late.details).toMatchObject({ latest: '2026-06-10' });
    // From 30 November, three months end on the last day of February.
    expect(refusal(() => decideOn([], suspend('2026-03-01'), '2025-11-30')).details).toMatchObject({
      latest: '2026-02-28',
    });
    expect(decideOn([], suspend('2026-12-10', { maxRecheckMonths: 12 }), '2026-03-10')).toHaveLength(1);
    expect(refusal(() => decideOn([], suspend('2026-02-30'), '2026-01-10')).code).toBe('VALIDATION_FAILED');
  });

  it('refuses routines without error rates, a second suspension and an empty reason', () => {
    expect(
      refusal(() => decideOn([], suspend('2026-04-30', { collectsErrorRates: false }), '2026-03-10')).message,
    ).toMatch(/003:58/);
    const suspended = decideOn([], suspend('2026-04-30'), '2026-03-10');
    expect(refusal(() => decideOn(suspended, suspend('2026-05-30'), '2026-03-20')).code).toBe('RULE_VIOLATION');
    expect(refusal(() => decideOn([], suspend('2026-04-30', { reason: '  ' }), '2026-03-10')).code).toBe(
      'RULE_VIOLATION',
    );
  });

  it('renews a suspension after its re-check and resumes it; both need a suspended routine', () => {
    const suspended = decideOn([], suspend('2026-04-30'), '2026-03-10');
    const renewal: RoutineCommand = {
      type: 'RenewRoutineSuspension',
      programmeId: 'p-le',
      recheckOn: '2026-07-31',
      reason: 'Überprüft: weiter unter der Toleranz',
      maxRecheckMonths: 3,
      toleranceTest: MET,
      againstToleranceTest: false,
    };
    expect(refusal(() => decideOn(suspended, { ...renewal, toleranceTest: NOT_MET }, '2026-05-02')).message).toMatch(
      /Eine Verlängerung der Aussetzung gegen den Test/,
    );
    expect(
      decideOn(suspended, { ...renewal, toleranceTest: NOT_MET, againstToleranceTest: true }, '2026-05-02')[0]!.data,
    ).toMatchObject({ toleranceTest: NOT_MET, againstToleranceTest: true });
    const renewed = decideOn(suspended, renewal, '2026-05-02');
    expect(renewed).toEqual([
      {
        type: 'RoutineSuspensionRenewed',
        data: {
          programmeId: 'p-le',
          decidedOn: '2026-05-02',
          recheckOn: '2026-07-31',
          reason: 'Überprüft: weiter unter der Toleranz',
          toleranceTest: MET,
          againstToleranceTest: false,
        },
      },
    ]);
    const history = [...suspended, ...renewed];
    expect(fold(routineDecider, history)).toEqual({
      status: 'suspended',
      suspensions: 1,
      since: '2026-03-10',
      recheckOn: '2026-07-31',
    });
    const resume: RoutineCommand = { type: 'ResumeRoutine', programmeId: 'p-le', reason: 'Rechtsänderung' };
    const resumed = decideOn(history, resume, '2026-06-01');
    expect(resumed).toEqual([
      { type: 'RoutineResumed', data: { programmeId: 'p-le', decidedOn: '2026-06-01', reason: 'Rechtsänderung' } },
    ]);
    expect(fold(routineDecider, [...history, ...resumed])).toEqual({ status: 'active', suspensions: 1 });
    expect(refusal(() => decideOn([], resume, '2026-06-01')).code).toBe('RULE_VIOLATION');
    expect(refusal(() => decideOn([], renewal, '2026-06-01')).code).toBe('RULE_VIOLATION');
  });
});
