import {
  AVOIDABLE_REASONS,
  type AvoidableByReason,
  type LegalQuotaRow,
  type LegalQuotaTotals,
} from './legal-quota.events.js';

/**
 * The two indicators of 001:256–258, computed exactly on integers:
 * - `avoidableAmongUpheld`: avoidable upheld appeals / all upheld appeals (full and partial); the target
 *   is to bring it down to 30 % (001:256 "auf 30 % reduziert");
 * - `avoidableAmongSettled`: avoidable upheld appeals / all settled appeals; for information only
 *   ("vorerst jedoch nur nachrichtlich"), provisional target 10 % (001:258 "voraussichtlich … 10 %").
 * Targets are configuration (hundredths of a percent, so 27.5 % is 2750); a share with a denominator of
 * 0 has no figure: neither 0 % nor NaN, and it neither meets nor misses its target.
 */
export interface LegalQuotaTargets {
  /** Target for avoidable among upheld, in hundredths of a percent (default 3000 = 30 %). */
  readonly avoidableAmongUpheldBasisPoints: number;
  /** Provisional target for avoidable among settled, informational, hundredths of a percent (default 1000). */
  readonly avoidableAmongSettledBasisPoints: number;
}

export const DEFAULT_LEGAL_QUOTA_TARGETS: LegalQuotaTargets = {
  avoidableAmongUpheldBasisPoints: 3000, // 001:256
  avoidableAmongSettledBasisPoints: 1000, // 001:258
};

export type ShareStatus = 'no-figure' | 'within-target' | 'above-target';

export interface QuotaShare {
  readonly numerator: number;
  readonly denominator: number;
  /** Percent rounded half up to one decimal; null when the denominator is 0 ("keine Angabe / no figure"). */
  readonly percent: number | null;
  /** The target in percent (e.g. 30). */
  readonly targetPercent: number;
  /** Judged exactly (numerator × 10000 ≤ target × denominator), never on the rounded percent. */
  readonly status: ShareStatus;
  /** True for the second indicator, reported for information only (001:258 "nachrichtlich"). */
  readonly informational: boolean;
}

export interface LegalQuota {
  readonly avoidableAmongUpheld: QuotaShare;
  readonly avoidableAmongSettled: QuotaShare;
}

export const NO_FIGURE_TEXT = 'keine Angabe / no figure';

export const noAvoidable = (): AvoidableByReason => ({ documentation: 0, 'application-of-law': 0, 'fact-finding': 0 });

export const emptyTotals = (): LegalQuotaTotals => ({
  settled: 0,
  upheld: 0,
  upheldFully: 0,
  upheldPartly: 0,
  avoidable: 0,
  avoidableByReason: noAvoidable(),
});

export function addTotals(a: LegalQuotaTotals, b: LegalQuotaTotals): LegalQuotaTotals {
  const byReason = noAvoidable() as Record<(typeof AVOIDABLE_REASONS)[number], number>;
  for (const reason of AVOIDABLE_REASONS) byReason[reason] = a.avoidableByReason[reason] + b.avoidableByReason[reason];
  return {
    settled: a.settled + b.settled,
    upheld: a.upheld + b.upheld,
    upheldFully: a.upheldFully + b.upheldFully,
    upheldPartly: a.upheldPartly + b.upheldPartly,
    avoidable: a.avoidable + b.avoidable,
    avoidableByReason: byReason,
  };
}

export const avoidableOf = (avoidable: AvoidableByReason): number =>
  AVOIDABLE_REASONS.reduce((sum, reason) => sum + avoidable[reason], 0);

export const rowTotals = (row: LegalQuotaRow): LegalQuotaTotals => ({
  settled: row.settled,
  upheld: row.upheldFully + row.upheldPartly,
  upheldFully: row.upheldFully,
  upheldPartly: row.upheldPartly,
  avoidable: avoidableOf(row.avoidable),
  avoidableByReason: { ...row.avoidable },
});

export const totalsOf = (rows: readonly LegalQuotaRow[]): LegalQuotaTotals =>
  rows.map(rowTotals).reduce(addTotals, emptyTotals());

/** Percent × 10, rounded half up, on integers only: floor((2000·n + d) / 2d). */
function tenthsOfPercent(numerator: number, denominator: number): number {
  return Math.floor((2000 * numerator + denominator) / (2 * denominator));
}

export function quotaShare(
  numerator: number,
  denominator: number,
  targetBasisPoints: number,
  informational: boolean,
): QuotaShare {
  const targetPercent = targetBasisPoints / 100;
  if (denominator === 0)
    return { numerator, denominator, percent: null, targetPercent, status: 'no-figure', informational };
  return {
    numerator,
    denominator,
    percent: tenthsOfPercent(numerator, denominator) / 10,
    targetPercent,
    status: numerator * 10000 <= targetBasisPoints * denominator ? 'within-target' : 'above-target',
    informational,
  };
}

export function legalQuota(totals: LegalQuotaTotals, targets: LegalQuotaTargets): LegalQuota {
  return {
    avoidableAmongUpheld: quotaShare(totals.avoidable, totals.upheld, targets.avoidableAmongUpheldBasisPoints, false),
    avoidableAmongSettled: quotaShare(totals.avoidable, totals.settled, targets.avoidableAmongSettledBasisPoints, true),
  };
}

/** A share as people read it: "33,3 %" or "keine Angabe / no figure". */
export const shareText = (share: QuotaShare): string =>
  share.percent === null ? NO_FIGURE_TEXT : `${share.percent.toFixed(1).replace('.', ',')} %`;
