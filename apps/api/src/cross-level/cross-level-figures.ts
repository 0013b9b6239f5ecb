import { isSmallCell } from '@pruefpfad/domain';
import { type CategoryFigure, percentOfMinimum, type PeriodFigures, ratio } from '@pruefpfad/projections';
import type { FigureRows } from '../trends/trend-csv.js';
import { suppressedCells } from '../trends/trend-suppression.js';
import { OTHER_CATEGORY } from './catalogue-values.js';

/**
 * The figures of one Jobcenter (or of a group of them) in one period, as cross-level views show them:
 * the trend figures without what would break a Jobcenter down (error rates and routines are per
 * programme, and programmes are per area), never per team or person.
 */
/** A Jobcenter's figures in a cross-level view: the figures every trend export shows, nothing per unit. */
export type CrossLevelFigures = FigureRows;

export interface CrossLevelCell {
  readonly suppressed: boolean;
  /** Null when suppressed. */
  readonly figures: CrossLevelFigures | null;
}

export interface CrossLevelPeriod {
  readonly period: string;
  readonly from: string;
  readonly to: string;
  readonly jobcenters: readonly (CrossLevelCell & { readonly tenant: string; readonly region: string })[];
  readonly total: CrossLevelCell;
}

/**
 * A Jobcenter's figures of one period for a cross-level view. Defect categories outside its catalogues
 * (typed by a team lead, possibly naming someone) are counted together under `OTHER_CATEGORY`.
 */
export const crossLevelFigures = (period: PeriodFigures, catalogue: ReadonlySet<string>): CrossLevelFigures => ({
  reviews: period.reviews,
  seriousDefects: period.seriousDefects,
  defects: {
    ...period.defects,
    byCategory: groupCategories(
      Object.entries(period.defects.byCategory).map(([name, figure]) => [
        catalogue.has(name) ? name : OTHER_CATEGORY,
        figure,
      ]),
      period.reviews.done,
    ),
  },
  talksHeld: period.talksHeld,
  teamDiscussionsHeld: period.teamDiscussionsHeld,
  measures: period.measures,
  reports: period.reports,
});

const sumNullable = (values: readonly (number | null)[]): number | null =>
  values.every((value) => value === null) ? null : values.reduce<number>((sum, value) => sum + (value ?? 0), 0);

/** Category figures summed per name (sorted), the rate per review recomputed over `done`. */
function groupCategories(
  entries: readonly (readonly [string, CategoryFigure])[],
  done: number,
): Record<string, CategoryFigure> {
  const byName = new Map<string, CategoryFigure[]>();
  for (const [name, figure] of entries) byName.set(name, [...(byName.get(name) ?? []), figure]);
  const byCategory: Record<string, CategoryFigure> = {};
  for (const name of [...byName.keys()].sort()) {
    const figures = byName.get(name)!;
    const total = figures.reduce((all, figure) => all + figure.total, 0);
    byCategory[name] = {
      minor: sumNullable(figures.map((figure) => figure.minor)),
      serious: sumNullable(figures.map((figure) => figure.serious)),
      total,
      perReview: ratio(total, done),
    };
  }
  return byCategory;
}

/** The figures of several Jobcenters together; shares and rates recomputed from the sums. */
export function sumFigures(list: readonly CrossLevelFigures[]): CrossLevelFigures {
  const sum = (pick: (figures: CrossLevelFigures) => number): number =>
    list.reduce((total, figures) => total + pick(figures), 0);
  const minimum = sum((f) => f.reviews.minimum);
  const done = sum((f) => f.reviews.done);
  const seriousReviews = sum((f) => f.seriousDefects.reviews);
  const defectsTotal = sum((f) => f.defects.total);
  const byCategory = groupCategories(
    list.flatMap((f) => Object.entries(f.defects.byCategory)),
    done,
  );
  return {
    reviews: {
      minimum,
      sampled: sum((f) => f.reviews.sampled),
      done,
      open: sum((f) => f.reviews.open),
      percentOfMinimum: percentOfMinimum(done, minimum),
    },
    seriousDefects: { reviews: seriousReviews, share: ratio(seriousReviews, done) },
    defects: { total: defectsTotal, perReview: ratio(defectsTotal, done), byCategory },
    talksHeld: sum((f) => f.talksHeld),
    teamDiscussionsHeld: sum((f) => f.teamDiscussionsHeld),
    measures: {
      agreed: sum((f) => f.measures.agreed),
      completed: sum((f) => f.measures.completed),
      cancelled: sum((f) => f.measures.cancelled),
      open: sum((f) => f.measures.open),
      overdue: sum((f) => f.measures.overdue),
    },
    reports: {
      expected: sum((f) => f.reports.expected),
      onTime: sum((f) => f.reports.onTime),
      late: sum((f) => f.reports.late),
      missing: sum((f) => f.reports.missing),
      pending: sum((f) => f.reports.pending),
    },
  };
}

/**
 * One period of a cross-level view: a cell per Jobcenter and the group's total, each suppressed as
 * `suppressedCells` decides from the completed and the sampled reviews that back it.
 */
export function crossLevelPeriod(
  period: Pick<PeriodFigures, 'period' | 'from' | 'to'>,
  jobcenters: readonly { readonly tenant: string; readonly region: string; readonly figures: CrossLevelFigures }[],
  minCellCount: number,
): CrossLevelPeriod {
  const total = sumFigures(jobcenters.map((entry) => entry.figures));
  const suppression = suppressedCells(
    jobcenters.map((entry) => entry.figures),
    minCellCount,
  );
  // The total is a cell of its own as well: small when the whole group is small.
  const totalSuppressed =
    suppression.total ||
    isSmallCell(total.reviews.done, minCellCount) ||
    isSmallCell(total.reviews.sampled, minCellCount);
  return {
    period: period.period,
    from: period.from,
    to: period.to,
    jobcenters: jobcenters.map((entry, index) => {
      const suppressed = suppression.cells[index] === true;
      return { tenant: entry.tenant, region: entry.region, suppressed, figures: suppressed ? null : entry.figures };
    }),
    total: { suppressed: totalSuppressed, figures: totalSuppressed ? null : total },
  };
}
