import { clockStartingAt, serviceClock, systemClock, uuidV7Ids } from './clock.js';

describe('uuidV7Ids', () => {
  it('gives distinct version-7 UUIDs, ordered by their millisecond timestamp', () => {
    const ids = Array.from({ length: 5000 }, () => uuidV7Ids.next());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const millis = ids.map((id) => id.replaceAll('-', '').slice(0, 12));
    expect([...millis].sort()).toEqual(millis);
  });
});

describe('the service clock', () => {
  it('is the system clock unless the test environment shifted it', () => {
    expect(serviceClock({ testClockStart: null })).toBe(systemClock);
  });

  it('starts a shifted clock at the instant given and runs on at the real pace', () => {
    let real = Date.parse('2026-12-07T10:00:00Z');
    const clock = clockStartingAt('2026-03-10T08:00:00.000Z', { now: () => new Date(real) });
    expect(clock.now().toISOString()).toBe('2026-03-10T08:00:00.000Z');
    real += 90_000;
    expect(clock.now().toISOString()).toBe('2026-03-10T08:01:30.000Z');
  });
});
