import {
  addDays,
  addMonths,
  daysBetween,
  isLocalDate,
  lastDayOfMonth,
  monthsOfQuarter,
  quarterOf,
  reportDueDate,
  reviewDeadline,
} from './local-date.js';

describe('local dates (Europe/Berlin)', () => {
  it('knows month lengths and leap years', () => {
    expect(lastDayOfMonth('2024-02')).toBe('2024-02-29');
    expect(lastDayOfMonth('2026-02')).toBe('2026-02-28');
    expect(lastDayOfMonth('2100-02')).toBe('2100-02-28');
    expect(lastDayOfMonth('2000-02')).toBe('2000-02-29');
    expect(lastDayOfMonth('2026-04')).toBe('2026-04-30');
    expect(isLocalDate('2026-02-29')).toBe(false);
  });

  it('adds days and months across year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(addMonths('2026-11', 3)).toBe('2027-02');
    expect(addMonths('2026-01', -6)).toBe('2025-07');
  });

  it('computes quarters, report due dates and review deadlines', () => {
    expect(quarterOf('2026-05')).toEqual({ year: 2026, quarter: 2 });
    expect(monthsOfQuarter(2026, 4)).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(reportDueDate(2026, 4, 15)).toBe('2027-01-15');
    expect(reportDueDate(2026, 1, 15)).toBe('2026-04-15');
    expect(reviewDeadline('2026-02', 0)).toBe('2026-02-28');
    expect(reviewDeadline('2026-02', 14)).toBe('2026-03-14');
  });
});
