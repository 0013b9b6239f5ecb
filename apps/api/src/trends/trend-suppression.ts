import { type SuppressionResult, suppressSmallCellsOfEach } from '@pruefpfad/domain';
import type { PeriodFigures } from '@pruefpfad/projections';

/**
 * Which cells of one view or export are suppressed (primary and secondary, libs/domain/src/cross-level).
 * A cell's figures rest on two counts: its completed reviews (outcomes, defects, findings) and its sampled
 * ones (progress against the minimum). Both are suppressed on, so a cell of many sampled but no completed
 * reviews cannot stand as cover for a cell whose findings it adds nothing to.
 */
export function suppressedCells(cells: readonly Pick<PeriodFigures, 'reviews'>[], minCount: number): SuppressionResult {
  return suppressSmallCellsOfEach(
    cells.map((cell) => [cell.reviews.done, cell.reviews.sampled]),
    minCount,
  );
}

/** Which periods of one export are suppressed. */
export function suppressedPeriods(periods: readonly Pick<PeriodFigures, 'reviews'>[], minCount: number): boolean[] {
  return [...suppressedCells(periods, minCount).cells];
}
