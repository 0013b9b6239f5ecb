import { addMonths, isLocalDate, lastDayOfMonth } from '../calendar/local-date.js';
import type { Decider } from '../shared/decider.js';
import { DomainError, ruleViolation } from '../shared/domain-error.js';
import type { RoutineEvent, ToleranceTest } from './routine.events.js';

export type RoutineCommand =
  | {
      readonly type: 'SuspendRoutine';
      readonly programmeId: string;
      readonly recheckOn: string;
      readonly reason: string;
      /** From the programme: only routines whose error rates are collected are judged and suspended. */
      readonly collectsErrorRates: boolean;
      /** Configuration (`TrendRules.maxRecheckMonths`). */
      readonly maxRecheckMonths: number;
      /** The tolerance test as it stands now (from the trend figures, under the rules in force). */
      readonly toleranceTest: ToleranceTest;
      /** Management confirms deciding against the test, should the routine not meet it. */
      readonly againstToleranceTest: boolean;
    }
  | {
      readonly type: 'RenewRoutineSuspension';
      readonly programmeId: string;
      readonly recheckOn: string;
      readonly reason: string;
      readonly maxRecheckMonths: number;
      readonly toleranceTest: ToleranceTest;
      readonly againstToleranceTest: boolean;
    }
  | { readonly type: 'ResumeRoutine'; readonly programmeId: string; readonly reason: string };

export type RoutineState =
  | { readonly status: 'active'; readonly suspensions: number }
  | {
      readonly status: 'suspended';
      readonly suspensions: number;
      readonly since: string;
      readonly recheckOn: string;
    };

/** The re-check date lies after today and no later than `maxRecheckMonths` after it (same day, or month end). */
function validateRecheck(recheckOn: string, today: string, maxRecheckMonths: number): void {
  if (!isLocalDate(recheckOn))
    throw new DomainError('VALIDATION_FAILED', 'Ungültiges Datum / Invalid date', {
      fields: { recheckOn: 'must be a date (yyyy-mm-dd)' },
    });
  if (recheckOn <= today)
    throw ruleViolation('Das Datum der Überprüfung muss in der Zukunft liegen.', 'The re-check date must lie ahead.', {
      recheckOn,
      today,
    });
  const month = addMonths(today.slice(0, 7), maxRecheckMonths);
  const sameDay = `${month}-${today.slice(8, 10)}`;
  const latest = isLocalDate(sameDay) ? sameDay : lastDayOfMonth(month);
  if (recheckOn > latest)
    throw ruleViolation(
      `Eine ausgesetzte Prüfroutine ist spätestens nach ${maxRecheckMonths} Monaten zu überprüfen (bis ${latest}).`,
      `A suspended routine must be re-checked within ${maxRecheckMonths} months (by ${latest}).`,
      { recheckOn, latest },
    );
}

const percent = (fraction: number, language: 'de' | 'en'): string => {
  const text = String(Math.round(fraction * 10_000) / 100);
  return `${language === 'de' ? text.replace('.', ',') : text} %`;
};

/**
 * A suspension (or its renewal) of a routine that does not meet the tolerance test is management's
 * call, but not by accident: it needs the explicit confirmation, and the event records that it was
 * decided against the test (issue 9, item 6). Returns what the event records.
 */
function judgedDecision(
  test: ToleranceTest,
  againstToleranceTest: boolean,
  action: { readonly de: string; readonly en: string },
): { readonly toleranceTest: ToleranceTest; readonly againstToleranceTest: boolean } {
  if (test.belowTolerance) return { toleranceTest: test, againstToleranceTest: false };
  if (!againstToleranceTest) {
    const range = `${test.from} – ${test.to}`;
    const figures = (language: 'de' | 'en'): string =>
      test.upperBound === null
        ? language === 'de'
          ? `keine abgeschlossene Prüfung (${range})`
          : `no completed review (${range})`
        : language === 'de'
          ? `${test.withErrors} von ${test.reviews} Prüfungen mit Fehlern (${range}), obere Grenze ${percent(test.upperBound, 'de')} nach ${test.rule}, nicht unter der Toleranz von ${percent(test.tolerancePercent / 100, 'de')}`
          : `${test.withErrors} of ${test.reviews} reviews with errors (${range}), upper bound ${percent(test.upperBound, 'en')} by ${test.rule}, not below the tolerance of ${percent(test.tolerancePercent / 100, 'en')}`;
    throw new DomainError(
      'RULE_VIOLATION',
      `Die Prüfroutine besteht den Toleranztest nicht: ${figures('de')}. ${action.de} gegen den Test ist möglich, ` +
        'muss aber ausdrücklich bestätigt werden (againstToleranceTest: true) und wird als solche festgehalten. / ' +
        `The routine does not meet the tolerance test: ${figures('en')}. ${action.en} against the test is possible, ` +
        'but must be confirmed explicitly (againstToleranceTest: true) and is recorded as such.',
      { toleranceTest: test },
      { toleranceTest: test },
    );
  }
  return { toleranceTest: test, againstToleranceTest: true };
}

export const routineDecider: Decider<RoutineCommand, RoutineState, RoutineEvent> = {
  initialState: () => ({ status: 'active', suspensions: 0 }),

  evolve: (state, event) => {
    switch (event.type) {
      case 'RoutineSuspended':
        return {
          status: 'suspended',
          suspensions: state.suspensions + 1,
          since: event.data.decidedOn,
          recheckOn: event.data.recheckOn,
        };
      case 'RoutineSuspensionRenewed':
        return state.status === 'suspended' ? { ...state, recheckOn: event.data.recheckOn } : state;
      case 'RoutineResumed':
        return { status: 'active', suspensions: state.suspensions };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },

  decide: (command, state, context) => {
    if (command.reason.trim() === '')
      throw ruleViolation('Die Entscheidung braucht eine Begründung.', 'The decision needs a reason.');
    switch (command.type) {
      case 'SuspendRoutine':
        if (!command.collectsErrorRates)
          throw ruleViolation(
            'Dieser Prüfplan erhebt keine Fehlerquoten; seine Prüfroutine wird nicht nach einer Toleranz ausgesetzt (003:58).',
            'This programme collects no error rates; its routine is not suspended against a tolerance (003:58).',
          );
        if (state.status === 'suspended')
          throw ruleViolation(
            `Die Prüfroutine ist bereits ausgesetzt (Überprüfung am ${state.recheckOn}).`,
            `The routine is already suspended (re-check on ${state.recheckOn}).`,
          );
        validateRecheck(command.recheckOn, context.today, command.maxRecheckMonths);
        return [
          {
            type: 'RoutineSuspended',
            data: {
              programmeId: command.programmeId,
              decidedOn: context.today,
              recheckOn: command.recheckOn,
              reason: command.reason,
              ...judgedDecision(command.toleranceTest, command.againstToleranceTest, {
                de: 'Eine Aussetzung',
                en: 'A suspension',
              }),
            },
          },
        ];
      case 'RenewRoutineSuspension':
        if (state.status !== 'suspended')
          throw ruleViolation('Die Prüfroutine ist nicht ausgesetzt.', 'The routine is not suspended.');
        validateRecheck(command.recheckOn, context.today, command.maxRecheckMonths);
        return [
          {
            type: 'RoutineSuspensionRenewed',
            data: {
              programmeId: command.programmeId,
              decidedOn: context.today,
              recheckOn: command.recheckOn,
              reason: command.reason,
              ...judgedDecision(command.toleranceTest, command.againstToleranceTest, {
                de: 'Eine Verlängerung der Aussetzung',
                en: 'Renewing the suspension',
              }),
            },
          },
        ];
      case 'ResumeRoutine':
        if (state.status !== 'suspended')
          throw ruleViolation('Die Prüfroutine ist nicht ausgesetzt.', 'The routine is not suspended.');
        return [
          {
            type: 'RoutineResumed',
            data: { programmeId: command.programmeId, decidedOn: context.today, reason: command.reason },
          },
        ];
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  },
};
