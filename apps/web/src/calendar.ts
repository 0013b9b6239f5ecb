/** Months and quarters as the Jobcenter's calendar has them: Europe/Berlin, yyyy-mm. */

function berlinYearMonth(now: Date): [number, number] {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit' })
    .format(now)
    .split('-')
    .map(Number) as [number, number];
}

/** The current month in Berlin, yyyy-mm. */
export function currentMonth(now: Date = new Date()): string {
  const [year, month] = berlinYearMonth(now);
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** The current quarter in Berlin. */
export function currentQuarter(now: Date = new Date()): { year: number; quarter: number } {
  const [year, month] = berlinYearMonth(now);
  return { year, quarter: Math.ceil(month / 3) };
}

/** The quarter that ended last before today (reports are owed for it), in Berlin. */
export function lastEndedQuarter(now: Date = new Date()): { year: number; quarter: number } {
  const { year, quarter } = currentQuarter(now);
  return quarter === 1 ? { year: year - 1, quarter: 4 } : { year, quarter: quarter - 1 };
}

/** yyyy-mm of the month `by` months from `month` (negative: earlier). */
export function shiftMonth(month: string, by: number): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (number - 1) + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The month that ended last before today, in Berlin (its figures are complete). */
export function lastEndedMonth(now: Date = new Date()): string {
  return shiftMonth(currentMonth(now), -1);
}
