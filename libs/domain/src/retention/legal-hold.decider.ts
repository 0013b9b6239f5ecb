import type { Decider } from '../shared/decider.js';
import { ruleViolation } from '../shared/domain-error.js';
import type { Sealed } from '../shared/sealed.js';
import { LEGAL_HOLD_EVENT_SCHEMAS, legalHoldStreamId, type LegalHoldEvent } from './retention.events.js';

/**
 * A legal hold keeps one review past its retention (e.g. for a pending lawsuit or an audit finding):
 * placed and lifted with a reason, each an event of `legal-hold-<reviewId>`. The purge skips a review
 * while it is held and resumes once the hold is lifted.
 */
export type LegalHoldCommand =
  | { readonly type: 'PlaceLegalHold'; readonly reviewId: string; readonly reason: Sealed }
  | { readonly type: 'LiftLegalHold'; readonly reviewId: string; readonly reason: Sealed };

export interface LegalHoldState {
  readonly held: boolean;
  readonly since: string | null;
  /** The purge has passed its hold check: the review is being destroyed, no hold is accepted any more. */
  readonly closed: boolean;
}

export const legalHoldDecider: Decider<LegalHoldCommand, LegalHoldState, LegalHoldEvent> = {
  initialState: () => ({ held: false, since: null, closed: false }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'LegalHoldPlaced':
        return { ...state, held: true, since: event.data.placedOn };
      case 'LegalHoldLifted':
        return { ...state, held: false, since: null };
      case 'LegalHoldClosedForPurge':
        return { ...state, closed: true };
      default:
        return state;
    }
  },
  decide: (command, state, context) => {
    if (state.closed)
      throw ruleViolation(
        'Die Prüfung wird nach Ablauf der Aufbewahrungsfrist gerade gelöscht; eine Sperre ist nicht mehr möglich.',
        'The review is being purged after its retention period; a legal hold is no longer possible.',
      );
    switch (command.type) {
      case 'PlaceLegalHold':
        if (state.held)
          throw ruleViolation(
            `Die Prüfung steht bereits seit ${state.since ?? '?'} unter Aufbewahrungssperre.`,
            `The review is already under legal hold since ${state.since ?? '?'}.`,
          );
        return [
          {
            type: 'LegalHoldPlaced',
            data: {
              reviewId: command.reviewId,
              tenant: context.tenant,
              reason: command.reason,
              placedOn: context.today,
            },
          },
        ];
      case 'LiftLegalHold':
        if (!state.held)
          throw ruleViolation(
            'Die Prüfung steht nicht unter Aufbewahrungssperre.',
            'The review is not under legal hold.',
          );
        return [
          {
            type: 'LegalHoldLifted',
            data: {
              reviewId: command.reviewId,
              tenant: context.tenant,
              reason: command.reason,
              liftedOn: context.today,
            },
          },
        ];
      default: {
        const unknown: never = command;
        return unknown;
      }
    }
  },
};

export const legalHoldAggregate = {
  name: 'legal-hold',
  decider: legalHoldDecider,
  schemas: LEGAL_HOLD_EVENT_SCHEMAS,
  streamId: legalHoldStreamId,
} as const;
