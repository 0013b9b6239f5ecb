import type { DomainEvent } from '../shared/decider.js';
import type { Sealed } from '../shared/sealed.js';

/**
 * Improvement measures agreed after reviews (000:90, 000:110), each in its own stream `measure-<id>`,
 * sealed under `measure:<id>`. Feedback, individual development, clarified instruction and process change
 * are the team lead's; training and qualification are decided by the area head.
 */
export type MeasureKind =
  'feedback' | 'individual-development' | 'instruction' | 'process-change' | 'training' | 'qualification';

export const MEASURE_KINDS: readonly MeasureKind[] = [
  'feedback',
  'individual-development',
  'instruction',
  'process-change',
  'training',
  'qualification',
];

export const AREA_HEAD_MEASURES: readonly MeasureKind[] = ['training', 'qualification'];

export type MeasureScope = 'individual' | 'team';

export const MEASURE_SCOPES: readonly MeasureScope[] = ['individual', 'team'];

export type MeasureAgreed = DomainEvent<
  'MeasureAgreed',
  {
    readonly measureId: string;
    readonly tenant: string;
    readonly areaId: string;
    readonly teamId: string;
    /** The review it follows from (null for a team-wide measure from a team discussion). */
    readonly reviewId: string | null;
    readonly kind: MeasureKind;
    readonly scope: MeasureScope;
    /** Who carries it out: an employee's identity, sealed (the team lead sees it; area heads see counts). */
    readonly owner: Sealed;
    readonly description: Sealed;
    /** Local date. */
    readonly dueDate: string;
    /** Local date (Europe/Berlin) of the agreement: the day the due date was checked against. */
    readonly agreedOn: string;
    /** `team_lead`, `deputy` (during the team lead's recorded absence) or `area_head`. */
    readonly decidedByRole: string;
  }
>;

export type MeasureFollowedUp = DomainEvent<
  'MeasureFollowedUp',
  { readonly measureId: string; readonly date: string; readonly note: Sealed }
>;

export type MeasureCompleted = DomainEvent<
  'MeasureCompleted',
  { readonly measureId: string; readonly date: string; readonly note: Sealed | null }
>;

export type MeasureCancelled = DomainEvent<
  'MeasureCancelled',
  { readonly measureId: string; readonly date: string; readonly reason: Sealed }
>;

export type MeasureEvent = MeasureAgreed | MeasureFollowedUp | MeasureCompleted | MeasureCancelled;

export const MEASURE_EVENT_SCHEMAS = {
  MeasureAgreed: 1,
  MeasureFollowedUp: 1,
  MeasureCompleted: 1,
  MeasureCancelled: 1,
} as const satisfies Record<MeasureEvent['type'], number>;

export const measureStreamId = (measureId: string): string => `measure-${measureId}`;
export const measureKeyId = (measureId: string): string => `measure:${measureId}`;
