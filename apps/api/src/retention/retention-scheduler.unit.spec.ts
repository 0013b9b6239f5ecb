import { msUntilBerlinHour } from './retention-scheduler.js';

const HOUR = 60 * 60 * 1000;

describe('msUntilBerlinHour', () => {
  it('finds the next full Berlin hour, today or tomorrow', () => {
    // 2026-06-10 is summer time (UTC+2): 02:00 Berlin is 00:00 UTC.
    expect(msUntilBerlinHour(new Date('2026-06-09T23:30:00.000Z'), 2)).toBe(HOUR / 2);
    expect(msUntilBerlinHour(new Date('2026-06-10T00:00:00.000Z'), 2)).toBe(24 * HOUR);
    // Winter time (UTC+1): 02:00 Berlin is 01:00 UTC.
    expect(msUntilBerlinHour(new Date('2026-01-15T00:15:00.000Z'), 2)).toBe(45 * 60 * 1000);
  });

  it('skips the hour that does not exist on the day clocks go forward', () => {
    // 2026-03-29: 02:00 Berlin does not exist (01:59 CET is followed by 03:00 CEST); the next 02:00 is on
    // 2026-03-30 at 00:00 UTC.
    const now = new Date('2026-03-28T23:00:00.000Z');
    expect(now.getTime() + msUntilBerlinHour(now, 2)).toBe(Date.parse('2026-03-30T00:00:00.000Z'));
  });
});
