import { addMonthsToDate, isLocalDate } from '../calendar/local-date.js';
import type { Decider } from '../shared/decider.js';
import { DomainError, ruleViolation } from '../shared/domain-error.js';
import { placeRisk, riskMatrixProblems, type RiskMatrix } from './risk-matrix.js';
import {
  type AreaRiskAnalysisEvent,
  EXTERNAL_AUDITORS,
  type RecordedRiskAssessment,
  type RiskEvent,
  type RiskLinks,
  type RiskMatrixEvent,
  type RiskSource,
  RISK_SOURCES,
  type RiskStrategy,
} from './risk.events.js';

/** Register rules with their defaults (configuration, never literals in the logic). */
export interface RiskRules {
  /** Months after an assessment by which it is reassessed: quarterly (domain.md, cycle step 7; 001:121). */
  readonly reassessMonths: number;
  /**
   * Latest re-check of an accepted risk, in months after the decision: like a suspended routine, no long
   * uncontrolled period (001:119, 001:123). The API passes `TrendRules.maxRecheckMonths`.
   */
  readonly maxRecheckMonths: number;
}

export const DEFAULT_RISK_RULES: RiskRules = { reassessMonths: 3, maxRecheckMonths: 3 };

export type RiskCommand =
  | {
      readonly type: 'IdentifyRisk';
      readonly riskId: string;
      readonly title: string;
      readonly description: string;
      readonly source: RiskSource;
      readonly areaId: string | null;
      readonly process: string;
      readonly links: RiskLinks;
      readonly reason: string;
    }
  | {
      /** The first assessment records `RiskAssessed`, every later one `RiskReassessed`. */
      readonly type: 'AssessRisk';
      readonly riskId: string;
      readonly impact: number;
      readonly likelihood: number;
      /** The matrix in force and the revision of its stream (-1: the default). */
      readonly matrix: RiskMatrix;
      readonly matrixRevision: number;
      readonly reassessMonths: number;
      readonly reason: string;
    }
  | {
      readonly type: 'DecideRiskTreatment';
      readonly riskId: string;
      readonly strategy: RiskStrategy;
      readonly measureIds: readonly string[];
      readonly transferTo: string | null;
      readonly recheckOn: string | null;
      readonly againstAppetite: boolean;
      readonly maxRecheckMonths: number;
      readonly reason: string;
    }
  | { readonly type: 'CloseRisk'; readonly riskId: string; readonly reason: string };

export interface RiskTreatment {
  readonly strategy: RiskStrategy;
  readonly decidedOn: string;
  readonly measureIds: readonly string[];
  readonly transferTo: string | null;
  readonly recheckOn: string | null;
  readonly againstAppetite: boolean;
}

export type RiskState =
  | { readonly status: 'none' }
  | {
      readonly status: 'open' | 'closed';
      readonly title: string;
      readonly source: RiskSource;
      readonly areaId: string | null;
      readonly process: string;
      readonly links: RiskLinks;
      readonly identifiedOn: string;
      readonly assessment: RecordedRiskAssessment | null;
      readonly assessments: number;
      readonly treatment: RiskTreatment | null;
      readonly closedOn: string | null;
    };

const TEXT_LIMITS = { title: 200, description: 4000, process: 200, reason: 2000 } as const;

function invalid(fields: Record<string, string>): DomainError {
  return new DomainError('VALIDATION_FAILED', 'Ungültige Eingaben / Invalid input', { fields });
}

function requireReason(reason: string): void {
  if (reason.trim() === '')
    throw ruleViolation('Die Entscheidung braucht eine Begründung.', 'The decision needs a reason.');
}

function validateIdentification(command: Extract<RiskCommand, { type: 'IdentifyRisk' }>): void {
  const fields: Record<string, string> = {};
  for (const key of ['title', 'description', 'process'] as const) {
    const text = command[key];
    if (text.trim() === '' || text.length > TEXT_LIMITS[key])
      fields[key] = `must be 1 to ${TEXT_LIMITS[key]} characters`;
  }
  const { source } = command;
  if (!(RISK_SOURCES as readonly string[]).includes(source.kind))
    fields['source.kind'] = `must be one of ${RISK_SOURCES.join(', ')}`;
  if (source.kind === 'external-audit') {
    if (source.auditor === undefined || !(EXTERNAL_AUDITORS as readonly string[]).includes(source.auditor))
      fields['source.auditor'] = `an external audit names its auditor: ${EXTERNAL_AUDITORS.join(', ')}`;
  } else if (source.auditor !== undefined) fields['source.auditor'] = 'only for source.kind external-audit';
  if (Object.keys(fields).length > 0) throw invalid(fields);
}

/** The day after `today` up to `months` later (same day of month, or the month's last day). */
function validateRecheck(recheckOn: string | null, today: string, months: number): string {
  if (recheckOn === null || !isLocalDate(recheckOn))
    throw invalid({ recheckOn: 'an accepted risk carries a re-check date (yyyy-mm-dd)' });
  if (recheckOn <= today)
    throw ruleViolation('Das Datum der Überprüfung muss in der Zukunft liegen.', 'The re-check date must lie ahead.', {
      recheckOn,
      today,
    });
  const latest = addMonthsToDate(today, months);
  if (recheckOn > latest)
    throw ruleViolation(
      `Ein hingenommenes Risiko ist spätestens nach ${months} Monaten zu überprüfen (bis ${latest}).`,
      `An accepted risk must be re-checked within ${months} months (by ${latest}).`,
      { recheckOn, latest },
    );
  return recheckOn;
}

type OpenRisk = Extract<RiskState, { status: 'open' | 'closed' }>;

function requireOpen(state: RiskState): OpenRisk {
  if (state.status === 'none') throw new DomainError('NOT_FOUND', 'Risiko nicht gefunden / Risk not found');
  if (state.status === 'closed')
    throw ruleViolation(
      `Das Risiko ist seit ${state.closedOn ?? ''} geschlossen.`,
      `The risk has been closed since ${state.closedOn ?? ''}.`,
    );
  return state;
}

export const riskDecider: Decider<RiskCommand, RiskState, RiskEvent> = {
  initialState: () => ({ status: 'none' }),

  evolve: (state, event) => {
    switch (event.type) {
      case 'RiskIdentified': {
        const d = event.data;
        return {
          status: 'open',
          title: d.title,
          source: d.source,
          areaId: d.areaId,
          process: d.process,
          links: d.links,
          identifiedOn: d.identifiedOn,
          assessment: null,
          assessments: 0,
          treatment: null,
          closedOn: null,
        };
      }
      case 'RiskAssessed':
      case 'RiskReassessed': {
        if (state.status === 'none') return state;
        const { riskId: _riskId, ...assessment } = event.data;
        const recorded: RecordedRiskAssessment = {
          impact: assessment.impact,
          likelihood: assessment.likelihood,
          score: assessment.score,
          aboveAppetite: assessment.aboveAppetite,
          damagePotential: assessment.damagePotential,
          matrixRevision: assessment.matrixRevision,
          assessedOn: assessment.assessedOn,
          reassessBy: assessment.reassessBy,
          reason: assessment.reason,
        };
        return { ...state, assessment: recorded, assessments: state.assessments + 1 };
      }
      case 'RiskTreatmentDecided': {
        if (state.status === 'none') return state;
        const { riskId: _riskId, reason: _reason, ...treatment } = event.data;
        return { ...state, treatment };
      }
      case 'RiskClosed':
        return state.status === 'none' ? state : { ...state, status: 'closed', closedOn: event.data.closedOn };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },

  decide: (command, state, context) => {
    requireReason(command.reason);
    switch (command.type) {
      case 'IdentifyRisk': {
        if (state.status !== 'none')
          throw new DomainError('ALREADY_EXISTS', 'Das Risiko ist bereits erfasst / The risk already exists');
        validateIdentification(command);
        return [
          {
            type: 'RiskIdentified',
            data: {
              riskId: command.riskId,
              tenant: context.tenant,
              title: command.title.trim(),
              description: command.description.trim(),
              source: command.source,
              areaId: command.areaId,
              process: command.process.trim(),
              links: command.links,
              identifiedOn: context.today,
              reason: command.reason,
            },
          },
        ];
      }
      case 'AssessRisk': {
        const risk = requireOpen(state);
        const placed = placeRisk(command.matrix, { impact: command.impact, likelihood: command.likelihood });
        const assessment: RecordedRiskAssessment = {
          impact: placed.impact,
          likelihood: placed.likelihood,
          score: placed.score,
          aboveAppetite: placed.aboveAppetite,
          damagePotential: placed.damagePotential,
          matrixRevision: command.matrixRevision,
          assessedOn: context.today,
          reassessBy: addMonthsToDate(context.today, command.reassessMonths),
          reason: command.reason,
        };
        if (risk.assessment === null)
          return [{ type: 'RiskAssessed', data: { riskId: command.riskId, ...assessment } }];
        const { impact, likelihood, score } = risk.assessment;
        return [
          {
            type: 'RiskReassessed',
            data: { riskId: command.riskId, previous: { impact, likelihood, score }, ...assessment },
          },
        ];
      }
      case 'DecideRiskTreatment': {
        const risk = requireOpen(state);
        const { assessment } = risk;
        if (assessment === null)
          throw ruleViolation(
            'Über die Strategie wird nach der Bewertung entschieden (001:117).',
            'The strategy is decided after the assessment (001:117).',
          );
        const base = {
          riskId: command.riskId,
          strategy: command.strategy,
          decidedOn: context.today,
          measureIds: [] as readonly string[],
          transferTo: null as string | null,
          recheckOn: null as string | null,
          againstAppetite: false,
          reason: command.reason,
        };
        switch (command.strategy) {
          case 'reduce':
            if (command.measureIds.length === 0)
              throw invalid({ measureIds: 'a reduced risk names the measures that reduce it' });
            return [{ type: 'RiskTreatmentDecided', data: { ...base, measureIds: [...new Set(command.measureIds)] } }];
          case 'transfer': {
            const to = command.transferTo?.trim() ?? '';
            if (to === '' || to.length > 200)
              throw invalid({ transferTo: 'to whom the risk is transferred (1 to 200 characters)' });
            return [{ type: 'RiskTreatmentDecided', data: { ...base, transferTo: to } }];
          }
          case 'avoid':
            return [{ type: 'RiskTreatmentDecided', data: base }];
          case 'accept': {
            if (assessment.damagePotential)
              throw ruleViolation(
                'Ein Schadenspotenzial wird unabhängig von seiner Eintrittswahrscheinlichkeit nicht hingenommen (001:117).',
                'A damage potential is not accepted whatever its likelihood (001:117).',
              );
            if (assessment.aboveAppetite && !command.againstAppetite)
              throw ruleViolation(
                `Das Risiko liegt über der Risikobereitschaft (Wert ${assessment.score}); die Hinnahme muss ausdrücklich bestätigt werden (againstAppetite: true).`,
                `The risk lies above the risk appetite (score ${assessment.score}); accepting it must be confirmed explicitly (againstAppetite: true).`,
              );
            const recheckOn = validateRecheck(command.recheckOn, context.today, command.maxRecheckMonths);
            return [
              {
                type: 'RiskTreatmentDecided',
                data: { ...base, recheckOn, againstAppetite: assessment.aboveAppetite },
              },
            ];
          }
          default: {
            const unreachable: never = command.strategy;
            throw invalid({ strategy: `unknown strategy ${String(unreachable)}` });
          }
        }
      }
      case 'CloseRisk':
        requireOpen(state);
        return [
          { type: 'RiskClosed', data: { riskId: command.riskId, closedOn: context.today, reason: command.reason } },
        ];
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  },
};

// ---- the matrix in force ------------------------------------------------------------------------------

export type RiskMatrixCommand = {
  readonly type: 'SetRiskMatrix';
  readonly matrix: RiskMatrix;
  readonly reason: string;
};
export interface RiskMatrixState {
  /** Null until management sets one: the default applies. */
  readonly matrix: RiskMatrix | null;
  readonly decidedOn: string | null;
}

export const riskMatrixDecider: Decider<RiskMatrixCommand, RiskMatrixState, RiskMatrixEvent> = {
  initialState: () => ({ matrix: null, decidedOn: null }),
  evolve: (_state, event) => ({ matrix: event.data.matrix, decidedOn: event.data.decidedOn }),
  decide: (command, _state, context) => {
    requireReason(command.reason);
    const problems = riskMatrixProblems(command.matrix);
    if (Object.keys(problems).length > 0) throw invalid(problems);
    return [
      {
        type: 'RiskMatrixSet',
        data: { tenant: context.tenant, matrix: command.matrix, decidedOn: context.today, reason: command.reason },
      },
    ];
  },
};

// ---- the area head's consolidation ---------------------------------------------------------------------

export type AreaRiskAnalysisCommand = {
  readonly type: 'ConsolidateAreaRiskAnalysis';
  readonly areaId: string;
  readonly year: number;
  readonly quarter: number;
  readonly teamReports: readonly string[];
  readonly riskIds: readonly string[];
  readonly summary: string;
  readonly reason: string;
};
export interface AreaRiskAnalysisState {
  readonly consolidations: number;
}

/** A quarter's analysis may be consolidated again (a late report); every version stays in the stream. */
export const areaRiskAnalysisDecider: Decider<AreaRiskAnalysisCommand, AreaRiskAnalysisState, AreaRiskAnalysisEvent> = {
  initialState: () => ({ consolidations: 0 }),
  evolve: (state) => ({ consolidations: state.consolidations + 1 }),
  decide: (command, _state, context) => {
    requireReason(command.reason);
    const fields: Record<string, string> = {};
    if (command.summary.trim() === '' || command.summary.length > 8000)
      fields['summary'] = 'must be 1 to 8000 characters';
    if (command.teamReports.length === 0) fields['teamReports'] = 'names at least one team report';
    if (Object.keys(fields).length > 0) throw invalid(fields);
    return [
      {
        type: 'AreaRiskAnalysisConsolidated',
        data: {
          tenant: context.tenant,
          areaId: command.areaId,
          year: command.year,
          quarter: command.quarter,
          teamReports: [...new Set(command.teamReports)],
          riskIds: [...new Set(command.riskIds)],
          summary: command.summary.trim(),
          consolidatedOn: context.today,
          reason: command.reason,
        },
      },
    ];
  },
};
