import { isLocalDate, isMonth, monthOf } from '../calendar/local-date.js';
import { placeRisk, type RiskAssessment, type RiskMatrix } from '../risk/risk-matrix.js';
import type { Decider } from '../shared/decider.js';
import { DomainError, ruleViolation } from '../shared/domain-error.js';
import type { Sealed } from '../shared/sealed.js';
import {
  DEFAULT_INDICATOR_SETTINGS,
  hasIndicator,
  INDICATOR_KINDS,
  type IndicatorFigures,
  type IndicatorKind,
  type IndicatorSettings,
} from './indicator-figures.js';
import { STATUTORY_CONTACT_INTERVAL_MONTHS } from './indicator-rules.js';
import {
  INDICATOR_RATINGS,
  type IndicatorMonthEvent,
  type IndicatorRating,
  type IndicatorSettingsEvent,
  type IndicatorSource,
  type RecordedRiskPlacement,
} from './indicators.events.js';

/** The team's side (team lead, or the deputy during a recorded absence) and the area head's side. */
const TEAM_SIDE: readonly string[] = ['team_lead', 'deputy'];
const AREA_SIDE: readonly string[] = ['area_head'];
const sideOf = (role: string): 'team' | 'area' | null =>
  TEAM_SIDE.includes(role) ? 'team' : AREA_SIDE.includes(role) ? 'area' : null;

// ---- the team's settings ------------------------------------------------------------------------------

export type IndicatorSettingsCommand = {
  readonly type: 'AgreeIndicatorSettings';
  readonly areaId: string;
  readonly teamId: string;
  readonly settings: IndicatorSettings;
  readonly reason: Sealed | null;
  readonly actingRole: string;
};

export type IndicatorSettingsState =
  | { readonly status: 'default' }
  | { readonly status: 'agreed'; readonly teamId: string; readonly settings: IndicatorSettings };

/** The settings in force for a team: its latest agreement, else the defaults (6 months, 60 %, 60 minutes). */
export const settingsInForce = (state: IndicatorSettingsState): IndicatorSettings =>
  state.status === 'agreed' ? state.settings : DEFAULT_INDICATOR_SETTINGS;

/** Field problems of team settings (`{}` when valid). */
export function indicatorSettingsProblems(settings: IndicatorSettings): Record<string, string> {
  const problems: Record<string, string> = {};
  const { contactIntervalMonths, counsellingSharePercent, slotMinutes } = settings;
  if (
    !Number.isInteger(contactIntervalMonths) ||
    contactIntervalMonths < 1 ||
    contactIntervalMonths > STATUTORY_CONTACT_INTERVAL_MONTHS
  )
    problems.contactIntervalMonths =
      'höchstens 6 Monate (gesetzlicher Rahmen, 004:42), mindestens 1 / at most 6 months (legal frame), at least 1';
  if (!Number.isInteger(counsellingSharePercent) || counsellingSharePercent < 1 || counsellingSharePercent > 100)
    problems.counsellingSharePercent = '1 bis 100 % / 1 to 100 %';
  if (!Number.isInteger(slotMinutes) || slotMinutes < 5 || slotMinutes > 480)
    problems.slotMinutes = '5 bis 480 Minuten / 5 to 480 minutes';
  return problems;
}

export const indicatorSettingsDecider: Decider<
  IndicatorSettingsCommand,
  IndicatorSettingsState,
  IndicatorSettingsEvent
> = {
  initialState: () => ({ status: 'default' }),
  evolve: (_state, event) => ({ status: 'agreed', teamId: event.data.teamId, settings: event.data.settings }),
  decide: (command, state, context) => {
    if (sideOf(command.actingRole) !== 'team')
      throw ruleViolation(
        'Beratungsabstände vereinbart das Team mit seiner Teamleitung (Teamvereinbarung, 004:42).',
        'Contact intervals are agreed by the team with its team lead (team agreement, 004:42).',
        { actingRole: command.actingRole },
      );
    const problems = indicatorSettingsProblems(command.settings);
    if (command.reason === null) problems.reason = 'fehlt / missing';
    if (Object.keys(problems).length > 0) throw invalid(problems);
    const current = settingsInForce(state);
    const same =
      current.contactIntervalMonths === command.settings.contactIntervalMonths &&
      current.counsellingSharePercent === command.settings.counsellingSharePercent &&
      current.slotMinutes === command.settings.slotMinutes;
    if (same && state.status === 'agreed') return [];
    return [
      {
        type: 'IndicatorSettingsAgreed',
        data: {
          tenant: context.tenant,
          areaId: command.areaId,
          teamId: command.teamId,
          settings: command.settings,
          reason: command.reason!,
          agreedByRole: command.actingRole,
        },
      },
    ];
  },
};

// ---- a team's month -----------------------------------------------------------------------------------

export type IndicatorMonthCommand =
  | {
      readonly type: 'ImportIndicatorData';
      readonly areaId: string;
      readonly teamId: string;
      readonly month: string;
      readonly referenceDate: string;
      readonly source: IndicatorSource;
      readonly rowCount: number;
      readonly fingerprint: string;
      readonly settings: IndicatorSettings;
      readonly figures: IndicatorFigures;
      /** Required when the month was imported before. */
      readonly reason: Sealed | null;
      readonly actingRole: string;
    }
  | {
      readonly type: 'RateIndicator';
      readonly indicator: IndicatorKind;
      readonly rating: IndicatorRating;
      readonly comment: Sealed | null;
      readonly measureIds: readonly string[];
      readonly actingRole: string;
    }
  | {
      readonly type: 'ProposeTeamRisk';
      readonly matrix: RiskMatrix;
      readonly assessment: RiskAssessment;
      readonly reason: Sealed | null;
      readonly actingRole: string;
    }
  | { readonly type: 'ConfirmTeamRisk'; readonly actingRole: string };

export type IndicatorMonthState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'imported';
      readonly teamId: string;
      readonly areaId: string;
      readonly month: string;
      readonly importNumber: number;
      readonly fingerprint: string;
      readonly figures: IndicatorFigures;
      readonly proposal: { readonly placement: RecordedRiskPlacement; readonly proposedByRole: string } | null;
      readonly teamRisk: RecordedRiskPlacement | null;
    };

function invalid(fields: Record<string, string>): DomainError {
  return new DomainError('VALIDATION_FAILED', 'Ungültige Angaben / Invalid input', { fields });
}

function importProblems(command: Extract<IndicatorMonthCommand, { type: 'ImportIndicatorData' }>, today: string) {
  const problems: Record<string, string> = {};
  if (!isMonth(command.month)) problems.month = 'Monat jjjj-mm / month yyyy-mm';
  if (!isLocalDate(command.referenceDate)) problems.referenceDate = 'Datum jjjj-mm-tt / date yyyy-mm-dd';
  else if (isMonth(command.month) && monthOf(command.referenceDate) !== command.month)
    problems.referenceDate = 'Stichtag muss im Monat liegen / reference date must lie within the month';
  else if (command.referenceDate > today)
    problems.referenceDate = 'Stichtag liegt in der Zukunft / reference date lies in the future';
  if (INDICATOR_KINDS.every((kind) => !hasIndicator(command.figures, kind)))
    problems.rows = 'keine Kennzahl geliefert / no indicator supplied';
  Object.assign(problems, indicatorSettingsProblems(command.settings));
  return problems;
}

export const indicatorMonthDecider: Decider<IndicatorMonthCommand, IndicatorMonthState, IndicatorMonthEvent> = {
  initialState: () => ({ status: 'absent' }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'IndicatorDataImported':
        return {
          status: 'imported',
          teamId: event.data.teamId,
          areaId: event.data.areaId,
          month: event.data.month,
          importNumber: event.data.importNumber,
          fingerprint: event.data.fingerprint,
          figures: event.data.figures,
          proposal: state.status === 'imported' ? state.proposal : null,
          teamRisk: state.status === 'imported' ? state.teamRisk : null,
        };
      case 'IndicatorRated':
        return state;
      case 'TeamRiskProposed':
        return state.status === 'imported'
          ? { ...state, proposal: { placement: event.data.placement, proposedByRole: event.data.proposedByRole } }
          : state;
      case 'TeamRiskRated':
        return state.status === 'imported' ? { ...state, proposal: null, teamRisk: event.data.placement } : state;
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  },
  decide: (command, state, context) => {
    switch (command.type) {
      case 'ImportIndicatorData': {
        const problems = importProblems(command, context.today);
        if (Object.keys(problems).length > 0) throw invalid(problems);
        if (sideOf(command.actingRole) === null)
          throw ruleViolation(
            'Kennzahlen eines Teams importieren Teamleitung oder Bereichsleitung.',
            "A team's indicators are imported by its team lead or area head.",
            { actingRole: command.actingRole },
          );
        if (state.status === 'imported') {
          if (state.fingerprint === command.fingerprint) return [];
          if (command.reason === null)
            throw invalid({
              reason:
                'Der Monat ist schon importiert: ein Ersatz braucht einen Grund / the month is imported: a replacement needs a reason',
            });
        }
        return [
          {
            type: 'IndicatorDataImported',
            data: {
              tenant: context.tenant,
              areaId: command.areaId,
              teamId: command.teamId,
              month: command.month,
              referenceDate: command.referenceDate,
              importNumber: state.status === 'imported' ? state.importNumber + 1 : 1,
              source: command.source,
              rowCount: command.rowCount,
              fingerprint: command.fingerprint,
              settings: command.settings,
              figures: command.figures,
              reason: state.status === 'imported' ? command.reason : null,
              importedByRole: command.actingRole,
            },
          },
        ];
      }
      case 'RateIndicator': {
        const month = imported(state);
        if (sideOf(command.actingRole) !== 'team')
          throw ruleViolation(
            'Die Kennzahlen bewertet die Teamleitung (004:100).',
            'The indicators are rated by the team lead (004:100).',
            { actingRole: command.actingRole },
          );
        const problems: Record<string, string> = {};
        if (!INDICATOR_KINDS.includes(command.indicator)) problems.indicator = INDICATOR_KINDS.join(', ');
        else if (!hasIndicator(month.figures, command.indicator))
          problems.indicator = 'für diesen Monat nicht geliefert / not supplied for this month';
        if (!INDICATOR_RATINGS.includes(command.rating)) problems.rating = INDICATOR_RATINGS.join(', ');
        else if (command.rating !== 'green' && command.comment === null)
          problems.comment =
            'Bei Gelb und Rot die eingeleiteten Maßnahmen beschreiben (004:100) / amber and red need the measures taken described';
        if (new Set(command.measureIds).size !== command.measureIds.length) problems.measureIds = 'doppelt / duplicate';
        if (Object.keys(problems).length > 0) throw invalid(problems);
        return [
          {
            type: 'IndicatorRated',
            data: {
              teamId: month.teamId,
              month: month.month,
              indicator: command.indicator,
              rating: command.rating,
              importNumber: month.importNumber,
              comment: command.comment,
              measureIds: command.measureIds,
              ratedByRole: command.actingRole,
            },
          },
        ];
      }
      case 'ProposeTeamRisk': {
        const month = imported(state);
        if (sideOf(command.actingRole) === null)
          throw ruleViolation(
            'Das Risiko des Teams bewerten Teamleitung und Bereichsleitung gemeinsam (004:100).',
            "The team's risk is rated jointly by team lead and area head (004:100).",
            { actingRole: command.actingRole },
          );
        if (command.reason === null) throw invalid({ reason: 'fehlt / missing' });
        const placed = placeRisk(command.matrix, command.assessment);
        return [
          {
            type: 'TeamRiskProposed',
            data: {
              teamId: month.teamId,
              month: month.month,
              placement: {
                impact: placed.impact,
                likelihood: placed.likelihood,
                score: placed.score,
                aboveAppetite: placed.aboveAppetite,
                damagePotential: placed.damagePotential,
                impactLevels: command.matrix.impact.length,
                likelihoodLevels: command.matrix.likelihood.length,
              },
              reason: command.reason,
              proposedByRole: command.actingRole,
            },
          },
        ];
      }
      case 'ConfirmTeamRisk': {
        const month = imported(state);
        if (month.proposal === null)
          throw ruleViolation(
            'Es liegt kein Vorschlag zur Risikobewertung vor.',
            'There is no proposed risk rating to confirm.',
          );
        const proposer = sideOf(month.proposal.proposedByRole);
        const confirmer = sideOf(command.actingRole);
        if (confirmer === null || confirmer === proposer)
          throw ruleViolation(
            'Gemeinsame Bewertung: bestätigt wird von der anderen Seite (Teamleitung ↔ Bereichsleitung, 004:100).',
            'A joint rating: the other side confirms (team lead ↔ area head, 004:100).',
            { proposedByRole: month.proposal.proposedByRole, actingRole: command.actingRole },
          );
        return [
          {
            type: 'TeamRiskRated',
            data: {
              teamId: month.teamId,
              month: month.month,
              placement: month.proposal.placement,
              proposedByRole: month.proposal.proposedByRole,
              confirmedByRole: command.actingRole,
            },
          },
        ];
      }
      default: {
        const unknown: never = command;
        return unknown;
      }
    }
  },
};

function imported(state: IndicatorMonthState): Extract<IndicatorMonthState, { status: 'imported' }> {
  if (state.status !== 'imported')
    throw new DomainError(
      'NOT_FOUND',
      'Für diesen Monat sind keine Kennzahlen importiert. / No indicators are imported for this month.',
    );
  return state;
}
