import { DEFAULT_RISK_MATRIX } from '../risk/risk-matrix.js';
import { fold, type DecisionContext } from '../shared/decider.js';
import { DomainError } from '../shared/domain-error.js';
import type { Sealed } from '../shared/sealed.js';
import {
  computeIndicatorFigures,
  DEFAULT_INDICATOR_SETTINGS,
  type IndicatorFigures,
  indicatorPercent,
} from './indicator-figures.js';
import {
  type IndicatorMonthCommand,
  indicatorMonthDecider,
  type IndicatorMonthState,
  indicatorSettingsDecider,
} from './indicators.decider.js';
import type { IndicatorMonthEvent } from './indicators.events.js';

const sealed: Sealed = { $sealed: 1, kid: 'k', iv: 'i', ct: 'c', tag: 't' };
const context: DecisionContext = {
  now: '2025-07-02T08:00:00.000Z',
  today: '2025-07-02',
  actor: { userId: 'u', role: 'team_lead' },
  tenant: 'jc',
};

const figures: IndicatorFigures = computeIndicatorFigures(
  {
    firstConsultation: [
      {
        reason: 'first-application',
        applicationDate: '2025-06-02',
        exception: null,
        firstConsultationDate: '2025-06-10',
      },
      { reason: 're-application', applicationDate: '2025-06-03', exception: null, firstConsultationDate: null },
      { reason: 'new-bg-number', applicationDate: '2025-06-04', exception: 'alg-top-up', firstConsultationDate: null },
    ],
    counsellingContact: [
      { placementStatus: 'unemployed', compulsorySchooling: false, lastContactDate: '2024-12-30' },
      { placementStatus: 'unset', compulsorySchooling: false, lastContactDate: '2024-12-29' },
      { placementStatus: 'job-seeking', compulsorySchooling: true, lastContactDate: null },
    ],
    graduateManagement: [
      { participationEnd: '2025-06-10', counsellingDates: ['2025-06-10'] },
      { participationEnd: '2025-06-10', counsellingDates: ['2025-06-24'] },
      { participationEnd: '2025-06-25', counsellingDates: [] },
    ],
    counsellingCapacity: { usedSlots: 72, possibleSlots: null, workingHours: 160 },
  },
  '2025-06-30',
  DEFAULT_INDICATOR_SETTINGS,
);

const importCommand = (overrides: Partial<Extract<IndicatorMonthCommand, { type: 'ImportIndicatorData' }>> = {}) =>
  ({
    type: 'ImportIndicatorData',
    areaId: 'area-1',
    teamId: 'team-1',
    month: '2025-06',
    referenceDate: '2025-06-30',
    source: 'cases',
    rowCount: 10,
    fingerprint: 'abc',
    settings: DEFAULT_INDICATOR_SETTINGS,
    figures,
    reason: null,
    actingRole: 'team_lead',
    ...overrides,
  }) as const satisfies IndicatorMonthCommand;

function run(history: readonly IndicatorMonthEvent[], command: IndicatorMonthCommand): IndicatorMonthEvent[] {
  const state: IndicatorMonthState = fold(indicatorMonthDecider, history);
  return [...indicatorMonthDecider.decide(command, state, context)];
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

describe('computed figures of a month', () => {
  it('counts eligible and fulfilled cases per indicator with the exceptions left out', () => {
    expect(figures.firstConsultation).toEqual({ eligible: 2, fulfilled: 1, excluded: 1 });
    expect(figures.counsellingContact).toEqual({ eligible: 2, fulfilled: 1, excluded: 1 });
    expect(figures.graduateManagement).toEqual({ eligible: 3, fulfilledNarrow: 1, fulfilledWide: 2, pending: 1 });
    expect(figures.counsellingCapacity).toEqual({ usedSlots: 72, possibleSlots: 96, workingHours: 160 });
    expect(indicatorPercent(figures, 'first-consultation')).toBe(50);
    expect(indicatorPercent(figures, 'graduate-management')).toBe(33.3);
    expect(indicatorPercent(figures, 'counselling-capacity')).toBe(75);
  });

  it('uses a team interval of 3 months and its own share', () => {
    const shorter = computeIndicatorFigures(
      {
        firstConsultation: null,
        counsellingContact: [
          { placementStatus: 'unemployed', compulsorySchooling: false, lastContactDate: '2025-03-29' },
        ],
        graduateManagement: null,
        counsellingCapacity: { usedSlots: 10, possibleSlots: null, workingHours: 100 },
      },
      '2025-06-30',
      { contactIntervalMonths: 3, counsellingSharePercent: 50, slotMinutes: 60 },
    );
    expect(shorter.counsellingContact).toEqual({ eligible: 1, fulfilled: 0, excluded: 0 });
    expect(shorter.counsellingCapacity?.possibleSlots).toBe(50);
    expect(shorter.firstConsultation).toBeNull();
  });
});

describe('a team month of indicators', () => {
  const first = run([], importCommand());

  it('records the first import as number 1 without a reason', () => {
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      type: 'IndicatorDataImported',
      data: { importNumber: 1, tenant: 'jc', reason: null },
    });
  });

  it('ignores the same file again, and replaces with another file only with a reason', () => {
    expect(run(first, importCommand())).toEqual([]);
    expect(refusal(() => run(first, importCommand({ fingerprint: 'def' }))).details).toMatchObject({
      fields: { reason: expect.any(String) },
    });
    expect(run(first, importCommand({ fingerprint: 'def', reason: sealed }))[0]).toMatchObject({
      data: { importNumber: 2, reason: sealed },
    });
  });

  it('refuses a reference date outside the month or in the future, and an import by an employee', () => {
    expect(refusal(() => run([], importCommand({ referenceDate: '2025-07-01' }))).details).toMatchObject({
      fields: { referenceDate: expect.any(String) },
    });
    expect(
      refusal(() => run([], importCommand({ month: '2025-07', referenceDate: '2025-07-03' }))).details,
    ).toMatchObject({ fields: { referenceDate: expect.stringContaining('Zukunft') } });
    expect(run([], importCommand({ month: '2025-07', referenceDate: '2025-07-02' }))).toHaveLength(1);
    expect(refusal(() => run([], importCommand({ actingRole: 'employee' }))).code).toBe('RULE_VIOLATION');
  });

  it('lets the team lead rate a supplied indicator; amber and red need the measures described', () => {
    const rate = (rating: 'green' | 'amber' | 'red', comment: Sealed | null) =>
      ({
        type: 'RateIndicator',
        indicator: 'counselling-contact',
        rating,
        comment,
        measureIds: [],
        actingRole: 'team_lead',
      }) as const;
    expect(run(first, rate('green', null))[0]).toMatchObject({ data: { rating: 'green', importNumber: 1 } });
    expect(refusal(() => run(first, rate('red', null))).details).toMatchObject({
      fields: { comment: expect.any(String) },
    });
    expect(run(first, rate('red', sealed))).toHaveLength(1);
    expect(refusal(() => run(first, { ...rate('green', null), actingRole: 'area_head' })).code).toBe('RULE_VIOLATION');
    expect(refusal(() => run([], rate('green', null))).code).toBe('NOT_FOUND');
    const onlyContact = run([], importCommand({ figures: { ...figures, graduateManagement: null } }));
    expect(
      refusal(() => run(onlyContact, { ...rate('green', null), indicator: 'graduate-management' })).details,
    ).toMatchObject({ fields: { indicator: expect.any(String) } });
  });

  it('rates the team risk jointly: one side proposes, the other confirms', () => {
    const propose = (actingRole: string, impact = 3, likelihood = 2) =>
      ({
        type: 'ProposeTeamRisk',
        matrix: DEFAULT_RISK_MATRIX,
        assessment: { impact, likelihood },
        reason: sealed,
        actingRole,
      }) as const;
    const proposed = [...first, ...run(first, propose('team_lead'))];
    expect(proposed[1]).toMatchObject({
      type: 'TeamRiskProposed',
      data: { placement: { score: 6, aboveAppetite: true, impactLevels: 4 } },
    });
    expect(refusal(() => run(proposed, { type: 'ConfirmTeamRisk', actingRole: 'deputy' })).code).toBe('RULE_VIOLATION');
    const rated = run(proposed, { type: 'ConfirmTeamRisk', actingRole: 'area_head' });
    expect(rated[0]).toMatchObject({
      type: 'TeamRiskRated',
      data: { proposedByRole: 'team_lead', confirmedByRole: 'area_head', placement: { impact: 3, likelihood: 2 } },
    });
    expect(refusal(() => run([...proposed, ...rated], { type: 'ConfirmTeamRisk', actingRole: 'area_head' })).code).toBe(
      'RULE_VIOLATION',
    );
    expect(refusal(() => run(first, propose('area_head', 5, 1))).code).toBe('VALIDATION_FAILED');
    expect(refusal(() => run(first, { ...propose('team_lead'), reason: null })).code).toBe('VALIDATION_FAILED');
  });
});

describe('team indicator settings', () => {
  const agree = (contactIntervalMonths: number, actingRole = 'team_lead') =>
    ({
      type: 'AgreeIndicatorSettings',
      areaId: 'area-1',
      teamId: 'team-1',
      settings: { ...DEFAULT_INDICATOR_SETTINGS, contactIntervalMonths },
      reason: sealed,
      actingRole,
    }) as const;
  const state = indicatorSettingsDecider.initialState();

  it('accepts a shorter interval from the team, never a longer one than 6 months', () => {
    expect(indicatorSettingsDecider.decide(agree(3), state, context)).toHaveLength(1);
    expect(indicatorSettingsDecider.decide(agree(6), state, context)).toHaveLength(1);
    expect(refusal(() => indicatorSettingsDecider.decide(agree(7), state, context)).details).toMatchObject({
      fields: { contactIntervalMonths: expect.any(String) },
    });
    expect(refusal(() => indicatorSettingsDecider.decide(agree(3, 'area_head'), state, context)).code).toBe(
      'RULE_VIOLATION',
    );
  });
});
