import { isMonth, type Quarter, quarterOf } from '@pruefpfad/domain';
import { RequestValidationError } from '../errors/validation.js';

export interface QuarterPeriod {
  readonly year: number;
  readonly quarter: Quarter;
}

const YEAR = /^(20\d{2})$/;
const QUARTER = /^[1-4]$/;

/** `:year` and `Q:quarter` path parameters → a period, or 400 naming the bad parameter. */
export function parseQuarter(year: string, quarter: string): QuarterPeriod {
  const errors = [
    ...(YEAR.test(year) ? [] : [{ field: 'year', message: 'Jahr 2000–2099 / year 2000–2099' }]),
    ...(QUARTER.test(quarter) ? [] : [{ field: 'quarter', message: 'Quartal 1–4 (Q1–Q4) / quarter 1–4' }]),
  ];
  if (errors.length > 0) throw new RequestValidationError(errors);
  return { year: Number(year), quarter: Number(quarter) as Quarter };
}

/** The quarter before the one `today` lies in: the report currently due (000:91). */
export function lastEndedQuarter(today: string): QuarterPeriod {
  const { year, quarter } = quarterOf(today.slice(0, 7));
  return quarter === 1 ? { year: year - 1, quarter: 4 } : { year, quarter: (quarter - 1) as Quarter };
}

export function assertMonth(month: string): string {
  if (!isMonth(month)) throw new RequestValidationError([{ field: 'month', message: 'yyyy-mm' }]);
  return month;
}
