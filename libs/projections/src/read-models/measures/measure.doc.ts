import type { MeasureKind, Sealed } from '@pruefpfad/domain';

/**
 * Read model `measures`: one document per measure, `_id` = measureId. Dashboards and reports count from
 * it (overdue = open with `dueDate` before today, computed at query time); owners stay sealed.
 */
export const MEASURES = 'measures';

export interface MeasureDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly tenant: string;
  readonly areaId: string;
  readonly teamId: string;
  readonly reviewId: string | null;
  readonly kind: MeasureKind;
  readonly scope: 'individual' | 'team';
  readonly status: 'open' | 'completed' | 'cancelled';
  readonly owner: Sealed;
  readonly description: Sealed;
  readonly dueDate: string;
  /** Local date (Europe/Berlin) the measure was agreed, and closed. */
  readonly agreedOn: string;
  readonly closedOn: string | null;
  readonly followUps: readonly { readonly date: string; readonly note: Sealed }[];
  /** The completion note or the cancellation reason (sealed free text); added by the measures context. */
  readonly closingNote: Sealed | null;
  readonly streamRevision: number;
}
