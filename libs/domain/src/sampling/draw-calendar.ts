import { addDays, addMonths, daysBetween, firstDayOfMonth, lastDayOfMonth, monthOf } from '../calendar/local-date.js';

/**
 * Which months may be drawn on a given day (monthly, at the start of the month: 000:71). The current
 * month always; the next one only within `leadDays` before it starts (a draw prepared at a month's end);
 * a month already past only with a recorded reason (a late draw is an exception auditors must see);
 * a month further ahead never (its population cannot be the month's yet).
 */
export type DrawMonthVerdict =
  | { readonly kind: 'current' }
  | { readonly kind: 'next' }
  | { readonly kind: 'backdated' }
  | { readonly kind: 'future'; readonly earliest: string };

export function drawMonthVerdict(month: string, today: string, leadDays: number): DrawMonthVerdict {
  const current = monthOf(today);
  if (month === current) return { kind: 'current' };
  if (month < current) return { kind: 'backdated' };
  if (month === addMonths(current, 1) && daysBetween(today, firstDayOfMonth(month)) <= leadDays)
    return { kind: 'next' };
  // Later than `today` by construction: the month lies beyond the lead days.
  return { kind: 'future', earliest: addDays(firstDayOfMonth(month), -leadDays) };
}

/**
 * The last day on which a population's clear references may still be used (supplementary draws,
 * replacements): `days` after the end of its month. The retention run destroys them the day after.
 */
export const populationReferencesKeptUntil = (month: string, days: number): string =>
  addDays(lastDayOfMonth(month), days);
