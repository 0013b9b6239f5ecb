/**
 * Small-cell suppression (works-council guard, issue 5 point 6): a figure backed by a handful of reviews
 * could point at the few people behind them, so regional, central and cross-tenant views and exports
 * hide every cell counting fewer than `minCount` reviews. Pure and deliberately simple:
 *
 * 1. Primary: a cell whose count lies in 1..minCount-1 is suppressed. An empty cell (0) is not: it shows
 *    that nothing was reviewed, which names nobody.
 * 2. Secondary: a published total minus the visible cells gives back the hidden ones. So while the hidden
 *    cells of a group are a single cell, or together count fewer than `minCount`, the smallest visible
 *    non-empty cell is hidden as well (an empty one only when no other is left; ties: the first in the
 *    given order, so the result is deterministic).
 * 3. The group's total is suppressed when it is itself a small cell, or when rule 2 ran out of cells to
 *    hide (a group of one Jobcenter, say): then the total would give the hidden cells away.
 *
 * Subtraction across separate queries (a quarter against its months) is not covered by this rule; the
 * cross-level views offer one granularity per request and no per-team or per-area cells at all.
 */
export interface SuppressionResult {
  /** Per input cell, in input order: true when its figures must not be shown. */
  readonly cells: readonly boolean[];
  /** True when the group's total must not be shown. */
  readonly total: boolean;
}

export const isSmallCell = (count: number, minCount: number): boolean => count > 0 && count < minCount;

export function suppressSmallCells(counts: readonly number[], minCount: number): SuppressionResult {
  if (!Number.isInteger(minCount) || minCount < 1) throw new RangeError(`minCount must be a positive integer`);
  const hidden = counts.map((count) => isSmallCell(count, minCount));
  const hiddenSum = (): number => counts.reduce((sum, count, index) => (hidden[index] ? sum + count : sum), 0);
  const hiddenCount = (): number => hidden.filter(Boolean).length;
  const exposed = (): boolean => hiddenCount() > 0 && (hiddenCount() === 1 || hiddenSum() < minCount);

  // Cover comes from the smallest visible non-empty cell; an empty one only when nothing else is left
  // (hiding an empty cell adds nothing to the hidden sum).
  const rank = (count: number): number => (count === 0 ? Number.POSITIVE_INFINITY : count);
  while (exposed()) {
    let next = -1;
    for (const [index, count] of counts.entries())
      if (!hidden[index] && (next === -1 || rank(count) < rank(counts[next]!))) next = index;
    if (next === -1) break;
    hidden[next] = true;
  }
  const total = counts.reduce((sum, count) => sum + count, 0);
  return { cells: hidden, total: isSmallCell(total, minCount) || exposed() };
}

/**
 * The same over several counts per cell that back different figures (e.g. completed reviews back the
 * findings, sampled reviews the progress against the minimum): a cell, or the total, hidden for any count is
 * hidden. Each count's hidden set is safe on its own, and hiding more cells never makes one recomputable,
 * so the union is safe for every count. With one count this is `suppressSmallCells`.
 */
export function suppressSmallCellsOfEach(
  countsPerCell: readonly (readonly number[])[],
  minCount: number,
): SuppressionResult {
  const dimensions = Math.max(0, ...countsPerCell.map((counts) => counts.length));
  const results = Array.from({ length: dimensions }, (_, dimension) =>
    suppressSmallCells(
      countsPerCell.map((counts) => counts[dimension] ?? 0),
      minCount,
    ),
  );
  return {
    cells: countsPerCell.map((_, index) => results.some((result) => result.cells[index] === true)),
    total: results.some((result) => result.total),
  };
}
