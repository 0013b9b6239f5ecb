import { suppressSmallCells } from '../../../../libs/domain/src/cross-level/small-cell-suppression.js';
import type { PeriodFigures } from '../../../../libs/projections/src/read-models/trends/trend-figures.js';

/**
 * How many reviews back a period's figures: its completed reviews, or, before any is completed, its
 * sampled ones. Completed reviews carry the findings, so a period of ten sampled but two completed
 * reviews counts two: its defects and outcomes describe two cases.
 */
export const backingCount = (period: Pick<PeriodFigures, 'reviews'>): number =>
  period.reviews.done > 0 ? period.reviews.done : period.reviews.sampled;

/** Which periods of one export are suppressed (primary and secondary, libs/domain/src/cross-level). */
export function suppressedPeriods(periods: readonly Pick<PeriodFigures, 'reviews'>[], minCount: number): boolean[] {
  return [...suppressSmallCells(periods.map(backingCount), minCount).cells];
}
