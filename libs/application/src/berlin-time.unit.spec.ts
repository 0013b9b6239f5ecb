import { berlinDate } from './berlin-time.js';

describe('berlinDate', () => {
  it('turns instants into Berlin calendar dates, summer and winter time included', () => {
    expect(berlinDate(new Date('2026-03-31T22:30:00Z'))).toBe('2026-04-01'); // CEST, UTC+2
    expect(berlinDate(new Date('2026-12-31T22:59:59Z'))).toBe('2026-12-31'); // CET, UTC+1
    expect(berlinDate(new Date('2026-12-31T23:00:00Z'))).toBe('2027-01-01');
  });
});
