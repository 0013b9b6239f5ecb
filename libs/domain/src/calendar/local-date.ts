/**
 * Calendar arithmetic on Europe/Berlin local dates (`yyyy-mm-dd`) and months (`yyyy-mm`), pure: no
 * clock, no time zone database. The application layer turns an instant into a Berlin local date
 * (`libs/application/src/berlin-time.ts`); everything after that is whole-day arithmetic here.
 */
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

export function isLocalDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

export function isMonth(value: string): boolean {
  const match = MONTH.exec(value);
  return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 12;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

function parseMonth(month: string): [number, number] {
  const match = MONTH.exec(month);
  if (!match) throw new RangeError(`not a month (yyyy-mm): ${month}`);
  return [Number(match[1]), Number(match[2])];
}

/** Days since 1970-01-01 (proleptic Gregorian), after Howard Hinnant's `days_from_civil`. */
function toDays(date: string): number {
  const match = DATE.exec(date);
  if (!match || !isLocalDate(date)) throw new RangeError(`not a local date (yyyy-mm-dd): ${date}`);
  let y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function fromDays(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

export const addDays = (date: string, days: number): string => fromDays(toDays(date) + days);
export const daysBetween = (from: string, to: string): number => toDays(to) - toDays(from);
export const monthOf = (date: string): string => date.slice(0, 7);

export function addMonths(month: string, count: number): string {
  const [y, m] = parseMonth(month);
  const index = y * 12 + (m - 1) + count;
  return `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1)}`;
}

export function lastDayOfMonth(month: string): string {
  const [y, m] = parseMonth(month);
  return `${month}-${pad(daysInMonth(y, m))}`;
}

export function firstDayOfMonth(month: string): string {
  parseMonth(month);
  return `${month}-01`;
}

export type Quarter = 1 | 2 | 3 | 4;

export function quarterOf(month: string): { readonly year: number; readonly quarter: Quarter } {
  const [y, m] = parseMonth(month);
  return { year: y, quarter: (Math.floor((m - 1) / 3) + 1) as Quarter };
}

export function monthsOfQuarter(year: number, quarter: Quarter): readonly string[] {
  const first = (quarter - 1) * 3 + 1;
  return [0, 1, 2].map((offset) => `${pad(year, 4)}-${pad(first + offset)}`);
}

/** The report for a quarter is due on `dueDay` of the month after it (000:91: the 15th). */
export function reportDueDate(year: number, quarter: Quarter, dueDay: number): string {
  const next = addMonths(monthsOfQuarter(year, quarter)[2]!, 1);
  return `${next}-${pad(dueDay)}`;
}

/** Reviews of a sample month are due `daysAfterMonth` days after its last day (0: the last day itself). */
export const reviewDeadline = (month: string, daysAfterMonth: number): string =>
  addDays(lastDayOfMonth(month), daysAfterMonth);

/**
 * The same day `count` months after the local date `date` (yyyy-mm-dd); when that month is shorter, its
 * last day (2025-01-31 + 1 month = 2025-02-28).
 */
export function addMonthsToDate(date: string, count: number): string {
  if (!isLocalDate(date)) throw new RangeError(`not a local date: ${date}`);
  const month = addMonths(date.slice(0, 7), count);
  const day = Math.min(Number(date.slice(8, 10)), daysInMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7))));
  return `${month}-${String(day).padStart(2, '0')}`;
}

/** Months from `from` to `to` (yyyy-mm), both included; 0 or less when `to` lies before `from`. */
export function monthSpan(from: string, to: string): number {
  const index = (month: string): number => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7));
  return index(to) - index(from) + 1;
}
