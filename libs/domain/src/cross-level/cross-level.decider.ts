import { addMonths, isMonth, lastDayOfMonth, monthSpan } from '../calendar/local-date.js';
import type { Decider } from '../shared/decider.js';
import { DomainError, ruleViolation } from '../shared/domain-error.js';
import type {
  CrossLevelReviewApproved,
  CrossLevelReviewEvent,
  CrossLevelReviewKind,
  CrossLevelReviewScope,
  TenantRegionEvent,
} from './cross-level.events.js';

/** Calibration in a newly introduced customer process: at most three months (003:78). */
export const CALIBRATION_MAX_MONTHS = 3;

/** Roles that may approve (and close) a cross-level review of each kind. */
export const APPROVERS: Readonly<Record<CrossLevelReviewKind, readonly string[]>> = {
  // Announced by the Zentrale by Email-Weisung once the BMAS approved the introduction (003:80); the RD
  // shapes and accompanies it in its district (003:98) but does not approve it.
  calibration: ['central'],
  // The Zentrale decides during the year on necessity, content and extent (003:88).
  'risk-based': ['central'],
};

function invalid(fields: Record<string, string>): DomainError {
  return new DomainError('VALIDATION_FAILED', 'Ungültige Angaben / Invalid input', { fields });
}

// ---------------------------------------------------------------------------------------------------------
// The Jobcenter's region

export type TenantRegionCommand = { readonly type: 'AssignRegion'; readonly tenant: string; readonly region: string };
export type TenantRegionState = { readonly region: string | null };

export const tenantRegionDecider: Decider<TenantRegionCommand, TenantRegionState, TenantRegionEvent> = {
  initialState: () => ({ region: null }),
  evolve: (_state, event) => ({ region: event.data.region }),
  decide: (command, state, context) => {
    if (command.region.trim() === '') throw invalid({ region: 'Region fehlt / region missing' });
    // Recording the same region again changes nothing (a reloaded configuration appends nothing).
    if (state.region === command.region) return [];
    return [
      {
        type: 'RegionAssigned',
        data: {
          tenant: command.tenant,
          region: command.region,
          since: context.today,
          decidedByRole: context.actor.role,
        },
      },
    ];
  },
};

// ---------------------------------------------------------------------------------------------------------
// Cross-level reviews

export type CrossLevelReviewCommand =
  | {
      readonly type: 'ApproveCrossLevelReview';
      readonly id: string;
      readonly kind: CrossLevelReviewKind;
      readonly scope: CrossLevelReviewScope;
      readonly customerProcess: string;
      readonly questionnaireId: string | null;
      readonly fromMonth: string;
      readonly toMonth: string;
      readonly basis: string;
    }
  | { readonly type: 'CloseCrossLevelReview'; readonly id: string; readonly basis: string };

export type CrossLevelReviewState =
  | { readonly status: 'none' }
  | { readonly status: 'open' | 'closed'; readonly approval: CrossLevelReviewApproved['data'] };

function assertApprover(kind: CrossLevelReviewKind, role: string): void {
  if (!APPROVERS[kind].includes(role))
    throw ruleViolation(
      `Eine ebenenübergreifende Betrachtung (${kind}) genehmigt die Zentrale (003:80, 003:88).`,
      `A cross-level review (${kind}) is approved by the Zentrale (003:80, 003:88).`,
    );
}

function validateApproval(
  command: Extract<CrossLevelReviewCommand, { type: 'ApproveCrossLevelReview' }>,
  today: string,
): void {
  const problems: Record<string, string> = {};
  if (!isMonth(command.fromMonth)) problems.fromMonth = 'Monat yyyy-mm / month yyyy-mm';
  if (!isMonth(command.toMonth)) problems.toMonth = 'Monat yyyy-mm / month yyyy-mm';
  if (command.basis.trim() === '') problems.basis = 'Grundlage angeben / state the basis';
  if (command.customerProcess.trim() === '') problems.customerProcess = 'Kundenprozess fehlt / missing';
  if (command.scope.kind === 'tenants' && command.scope.tenants.length === 0)
    problems.scope = 'mindestens ein Jobcenter / at least one Jobcenter';
  if (command.scope.kind === 'region' && command.scope.region.trim() === '') problems.scope = 'Region fehlt / missing';
  if (Object.keys(problems).length > 0) throw invalid(problems);
  const span = monthSpan(command.fromMonth, command.toMonth);
  if (span < 1) throw invalid({ toMonth: 'darf nicht vor fromMonth liegen / must not lie before fromMonth' });
  if (command.kind === 'calibration' && span > CALIBRATION_MAX_MONTHS)
    throw ruleViolation(
      `Eine Kalibrierung bei Einführung in einem Kundenprozess dauert höchstens ${CALIBRATION_MAX_MONTHS} Monate (003:78).`,
      `A calibration when the method is introduced in a customer process lasts at most ${CALIBRATION_MAX_MONTHS} months (003:78).`,
      { fromMonth: command.fromMonth, toMonth: command.toMonth },
    );
  if (command.kind === 'risk-based') {
    const year = today.slice(0, 4);
    // "unterjährig" (003:88): decided during the year, for that year; a new year needs a new decision.
    if (command.fromMonth.slice(0, 4) !== year || command.toMonth.slice(0, 4) !== year)
      throw ruleViolation(
        `Die Zentrale entscheidet risikoorientierte Betrachtungen unterjährig: nur Monate des Jahres ${year} (003:88).`,
        `Risk-based reviews are decided during the year: months of ${year} only (003:88).`,
        { fromMonth: command.fromMonth, toMonth: command.toMonth },
      );
  }
}

export const crossLevelReviewDecider: Decider<CrossLevelReviewCommand, CrossLevelReviewState, CrossLevelReviewEvent> = {
  initialState: () => ({ status: 'none' }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'CrossLevelReviewApproved':
        return { status: 'open', approval: event.data };
      case 'CrossLevelReviewClosed':
        return state.status === 'none' ? state : { status: 'closed', approval: state.approval };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
  decide: (command, state, context) => {
    switch (command.type) {
      case 'ApproveCrossLevelReview': {
        if (state.status !== 'none')
          throw new DomainError('ALREADY_EXISTS', 'Bereits genehmigt / Already approved', { id: command.id });
        assertApprover(command.kind, context.actor.role);
        validateApproval(command, context.today);
        const tenants =
          command.scope.kind === 'tenants'
            ? { kind: 'tenants' as const, tenants: [...new Set(command.scope.tenants)].sort() }
            : command.scope;
        return [
          {
            type: 'CrossLevelReviewApproved',
            data: {
              id: command.id,
              kind: command.kind,
              scope: tenants,
              customerProcess: command.customerProcess,
              questionnaireId: command.questionnaireId,
              fromMonth: command.fromMonth,
              toMonth: command.toMonth,
              basis: command.basis.trim(),
              approvedByRole: context.actor.role,
              approvedOn: context.today,
            },
          },
        ];
      }
      case 'CloseCrossLevelReview': {
        if (state.status === 'none')
          throw new DomainError('NOT_FOUND', 'Nicht gefunden / Not found', { id: command.id });
        if (state.status === 'closed')
          throw ruleViolation('Die Betrachtung ist bereits beendet.', 'The review is already closed.');
        assertApprover(state.approval.kind, context.actor.role);
        if (command.basis.trim() === '') throw invalid({ basis: 'Grundlage angeben / state the basis' });
        return [
          {
            type: 'CrossLevelReviewClosed',
            data: {
              id: command.id,
              basis: command.basis.trim(),
              closedByRole: context.actor.role,
              closedOn: context.today,
            },
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

/**
 * Until when copies of an approval are shown: the last day of the month after its last sample month
 * (reviews of the last month are completed by the month's end by default, then discussed). Our choice:
 * the directive says "temporär" (003:78, 003:86) without a date.
 */
export const crossLevelReviewEndsOn = (toMonth: string): string => lastDayOfMonth(addMonths(toMonth, 1));

export type CrossLevelReviewStatus = 'open' | 'closed' | 'expired';

export function crossLevelReviewStatus(
  approval: { readonly toMonth: string; readonly closedOn: string | null },
  today: string,
): CrossLevelReviewStatus {
  if (approval.closedOn !== null) return 'closed';
  return today > crossLevelReviewEndsOn(approval.toMonth) ? 'expired' : 'open';
}
