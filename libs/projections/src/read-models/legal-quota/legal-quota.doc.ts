import type { LegalQuotaRow, LegalQuotaTotals } from '@pruefpfad/domain';

/**
 * Read model `legal-quota`: one document per tenant and month of the legal department's appeal figures
 * (001:252–280), `_id` = quotaId (`<tenant>-<yyyy-mm>`). Counts only: the shares and their targets are
 * computed at query time from the rules in force. The correction reasons stay in the event record.
 */
export const LEGAL_QUOTA = 'legal-quota';

export interface LegalQuotaDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly tenant: string;
  readonly month: string;
  readonly year: number;
  readonly rows: readonly LegalQuotaRow[];
  readonly totals: LegalQuotaTotals;
  readonly recordedAt: string;
  /** When the figures last changed (the recording or the latest correction). */
  readonly changedAt: string;
  readonly corrections: number;
  readonly streamRevision: number;
}
