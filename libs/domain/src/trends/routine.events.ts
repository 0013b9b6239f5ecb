import type { DomainEvent } from '../shared/decider.js';
import type { JudgingRule } from './error-rate.js';

/**
 * A review routine (Prüfroutine) is a programme seen from risk management. Krefeld suspends routines
 * whose error rate lies below the tolerance (001:202); a suspended routine must not leave a long
 * uncontrolled period, so every suspension carries a re-check date (001:123). Suspending is
 * management's recorded decision, not an automatism: the trends only flag candidates.
 *
 * Stream `routine-<programmeId>`, owned by the trends context (the programme stream stays the
 * programme's: a suspension changes no programme setting). Reasons are management's wording about a
 * process, never about a person, so they are stored in clear like a programme's revision reason.
 *
 * Management may suspend (or keep suspended) a routine that does not meet the tolerance test: the
 * decision is theirs (001:202 gives the rule, not an automatism). Such a decision is confirmed as
 * decided against the test, and every suspension and renewal records the test as it stood at that
 * moment, with the rule that judged it, so the dashboard and auditors see whether a suspension followed
 * the test or overrode it.
 */

/** The tolerance test of a routine as it stood when management decided (anonymous figures only). */
export interface ToleranceTest {
  /** The months whose completed reviews were judged (yyyy-mm, inclusive). */
  readonly from: string;
  readonly to: string;
  /** Completed reviews judged, and of which with errors (under `errorCounting`). */
  readonly reviews: number;
  readonly withErrors: number;
  /** Observed rate and the rule's upper bound (0..1); null without reviews. */
  readonly rate: number | null;
  readonly upperBound: number | null;
  readonly tolerancePercent: number;
  /** The rule's figure lay below the tolerance: the routine was a suspension candidate. */
  readonly belowTolerance: boolean;
  /** The judging rule with its parameters, its name (`judgingRuleName`), and the rules' version label. */
  readonly judging: JudgingRule;
  readonly rule: string;
  readonly rulesVersion: string;
  readonly errorCounting: 'any-defect' | 'serious-defect';
}

/**
 * What a suspension or renewal records about the tolerance test. Absent in decisions recorded before
 * the test was (rules version 2026.1 and earlier): their relation to the test is unknown.
 */
export interface ToleranceTestRecord {
  readonly toleranceTest?: ToleranceTest;
  /** True when the routine did not meet the test and management confirmed deciding against it. */
  readonly againstToleranceTest?: boolean;
}
export type RoutineSuspended = DomainEvent<
  'RoutineSuspended',
  {
    readonly programmeId: string;
    /** Europe/Berlin local date of the decision. */
    readonly decidedOn: string;
    /** Local date by which the suspension must be re-checked. */
    readonly recheckOn: string;
    readonly reason: string;
  } & ToleranceTestRecord
>;

/** The re-check held: the routine stays suspended until the next re-check date. */
export type RoutineSuspensionRenewed = DomainEvent<
  'RoutineSuspensionRenewed',
  {
    readonly programmeId: string;
    readonly decidedOn: string;
    readonly recheckOn: string;
    readonly reason: string;
  } & ToleranceTestRecord
>;

export type RoutineResumed = DomainEvent<
  'RoutineResumed',
  { readonly programmeId: string; readonly decidedOn: string; readonly reason: string }
>;

export type RoutineEvent = RoutineSuspended | RoutineSuspensionRenewed | RoutineResumed;

/**
 * Version 2 of a suspension or renewal adds the tolerance test (`ToleranceTestRecord`). The fields are
 * optional, so version 1 events read as they are, without an upcaster: their test is simply unknown.
 */
export const ROUTINE_EVENT_SCHEMAS = {
  RoutineSuspended: 2,
  RoutineSuspensionRenewed: 2,
  RoutineResumed: 1,
} as const satisfies Record<RoutineEvent['type'], number>;

export const routineStreamId = (programmeId: string): string => `routine-${programmeId}`;
