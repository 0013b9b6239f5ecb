import { addMonths, firstDayOfMonth, lastDayOfMonth, monthsOfQuarter, quarterOf } from '@pruefpfad/domain';

export type Granularity = 'month' | 'quarter';

export interface Period {
  /** `2026-02` or `2026-Q1`. */
  readonly label: string;
  /** First and last local date. */
  readonly from: string;
  readonly to: string;
  readonly months: readonly string[];
}

/** Months from `from` to `to` inclusive (yyyy-mm); empty when `to` lies before `from`. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = from; month <= to; month = addMonths(month, 1)) months.push(month);
  return months;
}

/**
 * The periods of a range. Quarters cover whole quarters: a range that starts or ends inside one is
 * widened to the quarter's first or last month, so no quarter is shown half.
 */
export function periodsOf(from: string, to: string, granularity: Granularity): Period[] {
  if (granularity === 'month')
    return monthsBetween(from, to).map((month) => ({
      label: month,
      from: firstDayOfMonth(month),
      to: lastDayOfMonth(month),
      months: [month],
    }));
  const first = quarterOf(from);
  const last = quarterOf(to);
  const periods: Period[] = [];
  let month = monthsOfQuarter(first.year, first.quarter)[0]!;
  const end = monthsOfQuarter(last.year, last.quarter)[2]!;
  for (; month <= end; month = addMonths(month, 3)) {
    const { year, quarter } = quarterOf(month);
    const months = monthsOfQuarter(year, quarter);
    periods.push({
      label: `${year}-Q${quarter}`,
      from: firstDayOfMonth(months[0]!),
      to: lastDayOfMonth(months[2]!),
      months,
    });
  }
  return periods;
}
