import type { DomainEvent } from '../shared/decider.js';

/**
 * A review routine (Prüfroutine) is a programme seen from risk management. Krefeld suspends routines
 * whose error rate lies below the tolerance (001:202); a suspended routine must not leave a long
 * uncontrolled period, so every suspension carries a re-check date (001:123). Suspending is
 * management's recorded decision, not an automatism: the trends only flag candidates.
 *
 * Stream `routine-<programmeId>`, owned by the trends context (the programme stream stays the
 * programme's: a suspension changes no programme setting). Reasons are management's wording about a
 * process, never about a person, so they are stored in clear like a programme's revision reason.
 */
export type RoutineSuspended = DomainEvent<
  'RoutineSuspended',
  {
    readonly programmeId: string;
    /** Europe/Berlin local date of the decision. */
    readonly decidedOn: string;
    /** Local date by which the suspension must be re-checked. */
    readonly recheckOn: string;
    readonly reason: string;
  }
>;

/** The re-check held: the routine stays suspended until the next re-check date. */
export type RoutineSuspensionRenewed = DomainEvent<
  'RoutineSuspensionRenewed',
  { readonly programmeId: string; readonly decidedOn: string; readonly recheckOn: string; readonly reason: string }
>;

export type RoutineResumed = DomainEvent<
  'RoutineResumed',
  { readonly programmeId: string; readonly decidedOn: string; readonly reason: string }
>;

export type RoutineEvent = RoutineSuspended | RoutineSuspensionRenewed | RoutineResumed;

export const ROUTINE_EVENT_SCHEMAS = {
  RoutineSuspended: 1,
  RoutineSuspensionRenewed: 1,
  RoutineResumed: 1,
} as const satisfies Record<RoutineEvent['type'], number>;

export const routineStreamId = (programmeId: string): string => `routine-${programmeId}`;
