import type { DomainEvent } from '../shared/decider.js';
import type { Sealed } from '../shared/sealed.js';

/**
 * The legal department's avoidable-appeal quota (Krefeld, 001:252–280): each month the SGG unit records,
 * per legal norm and team, the appeals settled (erledigte Widersprüche), those upheld fully or partly
 * (volle und teilweise Stattgaben), and of the upheld the avoidable ones by reason: documentation problems,
 * wrong application of law, insufficient fact-finding (001:262 "Dokumentationsprobleme, fehlerhafte
 * Rechtsanwendung oder unzureichende Sachverhaltsermittlung"). One stream per tenant and month:
 * `legal-quota-<tenant>-<yyyy-mm>`; the correction reason is sealed under `legal-quota:<tenant>-<yyyy-mm>`.
 */
export const AVOIDABLE_REASONS = ['documentation', 'application-of-law', 'fact-finding'] as const;
export type AvoidableReason = (typeof AVOIDABLE_REASONS)[number];

export type AvoidableByReason = Readonly<Record<AvoidableReason, number>>;

export interface LegalQuotaRow {
  readonly legalNorm: string;
  /** The team whose case handling the appeals concern; null when no team is attributable. */
  readonly teamId: string | null;
  readonly settled: number;
  readonly upheldFully: number;
  readonly upheldPartly: number;
  /** Avoidable upheld appeals, each counted under the one reason the clerk gave (001:262). */
  readonly avoidable: AvoidableByReason;
}

export type LegalQuotaFiguresRecorded = DomainEvent<
  'LegalQuotaFiguresRecorded',
  {
    readonly quotaId: string;
    readonly month: string;
    readonly rows: readonly LegalQuotaRow[];
    readonly recordedAt: string;
  }
>;

/** A month's figures replaced as a whole, with the reason (the record keeps what was there before). */
export type LegalQuotaFiguresCorrected = DomainEvent<
  'LegalQuotaFiguresCorrected',
  {
    readonly quotaId: string;
    readonly month: string;
    readonly rows: readonly LegalQuotaRow[];
    /** Totals before the correction, so the auditor's line can say what changed. */
    readonly previousTotals: LegalQuotaTotals;
    readonly reason: Sealed;
    readonly correctedAt: string;
  }
>;

export type LegalQuotaEvent = LegalQuotaFiguresRecorded | LegalQuotaFiguresCorrected;

export const LEGAL_QUOTA_EVENT_SCHEMAS = {
  LegalQuotaFiguresRecorded: 1,
  LegalQuotaFiguresCorrected: 1,
} as const satisfies Record<LegalQuotaEvent['type'], number>;

export interface LegalQuotaTotals {
  readonly settled: number;
  /** Fully plus partly upheld. */
  readonly upheld: number;
  readonly upheldFully: number;
  readonly upheldPartly: number;
  readonly avoidable: number;
  readonly avoidableByReason: AvoidableByReason;
}

export const legalQuotaId = (tenant: string, month: string): string => `${tenant}-${month}`;
export const legalQuotaStreamId = (id: string): string => `legal-quota-${id}`;
export const legalQuotaKeyId = (id: string): string => `legal-quota:${id}`;
