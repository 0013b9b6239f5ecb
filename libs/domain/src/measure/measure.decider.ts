import { isLocalDate } from '../calendar/local-date.js';
import type { Decider, DecisionContext } from '../shared/decider.js';
import { DomainError, ruleViolation } from '../shared/domain-error.js';
import type { Sealed } from '../shared/sealed.js';
import {
  AREA_HEAD_MEASURES,
  MEASURE_KINDS,
  MEASURE_SCOPES,
  type MeasureEvent,
  type MeasureKind,
  type MeasureScope,
} from './measure.events.js';

/**
 * `actingRole` is the role the caller acts in for this team, resolved by the application layer after
 * the acting rights were checked (a deputy only during the team lead's recorded absence).
 */
export type MeasureCommand =
  | {
      readonly type: 'AgreeMeasure';
      readonly measureId: string;
      readonly areaId: string;
      readonly teamId: string;
      readonly reviewId: string | null;
      readonly kind: MeasureKind;
      readonly scope: MeasureScope;
      readonly owner: Sealed;
      readonly description: Sealed;
      readonly dueDate: string;
      readonly actingRole: string;
    }
  | {
      readonly type: 'FollowUpMeasure';
      readonly measureId: string;
      readonly date: string;
      readonly note: Sealed;
      readonly actingRole: string;
    }
  | {
      readonly type: 'CompleteMeasure';
      readonly measureId: string;
      readonly note: Sealed | null;
      readonly actingRole: string;
    }
  | {
      readonly type: 'CancelMeasure';
      readonly measureId: string;
      /** Null when the caller gave no reason (blank text): refused, a cancellation needs one. */
      readonly reason: Sealed | null;
      readonly actingRole: string;
    };

export type MeasureState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'open' | 'completed' | 'cancelled';
      readonly measureId: string;
      readonly teamId: string;
      readonly kind: MeasureKind;
      readonly agreedOn: string;
    };

export type MeasureActingRole = 'team_lead' | 'deputy' | 'area_head';
export type MeasureOperation = 'agree' | 'follow-up' | 'complete' | 'cancel';

const TEAM_LEAD_ROLES: readonly MeasureActingRole[] = ['team_lead', 'deputy'];

/**
 * Who may do what with a measure of a kind. Feedback, individual development, instruction and process
 * change are the team lead's (000:90); training and qualification are decided by the area head
 * (000:110). A decision is revoked only by whoever may take it; the team lead follows up every measure
 * of the team ("halten diese … regelmäßig nach", 000:90), the area head also follows up their own.
 */
export function rolesAllowed(operation: MeasureOperation, kind: MeasureKind): readonly MeasureActingRole[] {
  const decidedByAreaHead = AREA_HEAD_MEASURES.includes(kind);
  const deciders: readonly MeasureActingRole[] = decidedByAreaHead ? ['area_head'] : TEAM_LEAD_ROLES;
  if (operation === 'agree' || operation === 'cancel') return deciders;
  return decidedByAreaHead ? [...TEAM_LEAD_ROLES, 'area_head'] : TEAM_LEAD_ROLES;
}

/**
 * The role a caller acts in: `deputy` when acting for the absent team lead, else the first of the
 * caller's roles that may perform the operation, else a leadership role the caller holds (so the
 * decider refuses with a reason instead of the caller never learning why).
 */
export function actingRoleFor(
  roles: readonly string[],
  asDeputy: boolean,
  operation: MeasureOperation,
  kind: MeasureKind,
): string {
  if (asDeputy) return 'deputy';
  const allowed = rolesAllowed(operation, kind).filter((role) => role !== 'deputy');
  return (
    allowed.find((role) => roles.includes(role)) ??
    roles.find((role) => role === 'team_lead' || role === 'area_head') ??
    // Never `deputy` here: outside a recorded absence a deputy has no rights of the team lead.
    roles.find((role) => role !== 'deputy') ??
    'employee'
  );
}

function assertRole(operation: MeasureOperation, kind: MeasureKind, actingRole: string): void {
  if ((rolesAllowed(operation, kind) as readonly string[]).includes(actingRole)) return;
  if (AREA_HEAD_MEASURES.includes(kind) && operation !== 'follow-up' && operation !== 'complete')
    throw ruleViolation(
      'Schulungs- und Qualifizierungsmaßnahmen entscheidet die Bereichsleitung (000:110).',
      'Training and qualification measures are decided by the area head (000:110).',
      { kind, actingRole },
    );
  throw ruleViolation(
    'Diese Maßnahme vereinbart und hält die Teamleitung nach (000:90).',
    'This measure is agreed and followed up by the team lead (000:90).',
    { kind, actingRole },
  );
}

function invalid(fields: Record<string, string>): DomainError {
  return new DomainError('VALIDATION_FAILED', 'Ungültige Maßnahme / Invalid measure', { fields });
}

function notFound(measureId: string): DomainError {
  return new DomainError('NOT_FOUND', 'Maßnahme nicht gefunden / Measure not found', { measureId });
}

function assertOpen(state: MeasureState, measureId: string): Exclude<MeasureState, { status: 'absent' }> {
  if (state.status === 'absent') throw notFound(measureId);
  if (state.status !== 'open')
    throw ruleViolation(
      'Die Maßnahme ist abgeschlossen und kann nicht mehr geändert werden.',
      'The measure is closed and cannot be changed any more.',
      { status: state.status },
    );
  return state;
}

function validateAgreement(command: Extract<MeasureCommand, { type: 'AgreeMeasure' }>, today: string): void {
  const fields: Record<string, string> = {};
  if (!MEASURE_KINDS.includes(command.kind)) fields.kind = `must be one of ${MEASURE_KINDS.join(', ')}`;
  if (!MEASURE_SCOPES.includes(command.scope)) fields.scope = `must be one of ${MEASURE_SCOPES.join(', ')}`;
  if (!isLocalDate(command.dueDate)) fields.dueDate = 'must be a date (yyyy-mm-dd)';
  else if (command.dueDate < today)
    fields.dueDate = `darf nicht vor heute liegen / must not be before today (${today})`;
  if (Object.keys(fields).length > 0) throw invalid(fields);
}

export const measureDecider: Decider<MeasureCommand, MeasureState, MeasureEvent> = {
  initialState: () => ({ status: 'absent' }),

  evolve: (state, event) => {
    switch (event.type) {
      case 'MeasureAgreed':
        return {
          status: 'open',
          measureId: event.data.measureId,
          teamId: event.data.teamId,
          kind: event.data.kind,
          agreedOn: event.data.agreedOn,
        };
      case 'MeasureFollowedUp':
        return state;
      case 'MeasureCompleted':
        return state.status === 'absent' ? state : { ...state, status: 'completed' };
      case 'MeasureCancelled':
        return state.status === 'absent' ? state : { ...state, status: 'cancelled' };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },

  decide: (command, state, context: DecisionContext) => {
    switch (command.type) {
      case 'AgreeMeasure': {
        if (state.status !== 'absent')
          throw new DomainError('ALREADY_EXISTS', 'Maßnahme existiert bereits / Measure already exists', {
            measureId: command.measureId,
          });
        validateAgreement(command, context.today);
        assertRole('agree', command.kind, command.actingRole);
        return [
          {
            type: 'MeasureAgreed',
            data: {
              measureId: command.measureId,
              tenant: context.tenant,
              areaId: command.areaId,
              teamId: command.teamId,
              reviewId: command.reviewId,
              kind: command.kind,
              scope: command.scope,
              owner: command.owner,
              description: command.description,
              dueDate: command.dueDate,
              agreedOn: context.today,
              decidedByRole: command.actingRole,
            },
          },
        ];
      }
      case 'FollowUpMeasure': {
        const open = assertOpen(state, command.measureId);
        assertRole('follow-up', open.kind, command.actingRole);
        if (!isLocalDate(command.date)) throw invalid({ date: 'must be a date (yyyy-mm-dd)' });
        if (command.date > context.today)
          throw invalid({ date: `darf nicht in der Zukunft liegen / must not be in the future (${context.today})` });
        if (command.date < open.agreedOn)
          throw invalid({
            date: `darf nicht vor der Vereinbarung liegen / must not be before the agreement (${open.agreedOn})`,
          });
        return [
          { type: 'MeasureFollowedUp', data: { measureId: command.measureId, date: command.date, note: command.note } },
        ];
      }
      case 'CompleteMeasure': {
        const open = assertOpen(state, command.measureId);
        assertRole('complete', open.kind, command.actingRole);
        return [
          { type: 'MeasureCompleted', data: { measureId: command.measureId, date: context.today, note: command.note } },
        ];
      }
      case 'CancelMeasure': {
        const open = assertOpen(state, command.measureId);
        assertRole('cancel', open.kind, command.actingRole);
        if (command.reason === null)
          throw ruleViolation('Eine Absage braucht eine Begründung.', 'A cancellation needs a reason.');
        return [
          {
            type: 'MeasureCancelled',
            data: { measureId: command.measureId, date: context.today, reason: command.reason },
          },
        ];
      }
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  },
};
