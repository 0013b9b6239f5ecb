import { describe, expect, it } from '@jest/globals';
import { screenPathOf } from './paths';

/** The inbox's links: every API path the deadline sources give (libs/domain deadline-rules.ts) to its screen. */
describe('screenPathOf', () => {
  const at = (path: string, ref = 'x', unit: string | null = 'team-mi-1') => screenPathOf({ path, ref, unit });

  it('maps each kind of deadline to the screen where it is worked on', () => {
    expect(at('/api/v1/programmes/p-1/samples', 'p-1/team-mi-1/2026-04')).toBe(
      '/pruefplaene/p-1/ziehung?monat=2026-04',
    );
    expect(at('/api/v1/reviews/r-1')).toBe('/pruefungen/r-1');
    expect(at('/api/v1/measures/m-1')).toBe('/teams/team-mi-1/massnahmen');
    expect(at('/api/v1/teams/team-mi-1/reports/2026/Q1/draft')).toBe('/teams/team-mi-1/berichte/2026/1');
    expect(at('/api/v1/legal/reports/2026/Q4', 'legal/2026-Q4', null)).toBe(
      '/rechtsstelle/bericht?jahr=2026&quartal=4',
    );
    expect(at('/api/v1/routines/p-1', 'p-1', null)).toBe('/jobcenter/pruefroutinen/p-1');
    expect(at('/api/v1/risks/k-1', 'k-1', 'markt-integration')).toBe('/risiken/k-1');
    expect(at('/api/v1/teams/team-mi-1/indicators/2026-03', 'team-mi-1/2026-03')).toBe(
      '/teams/team-mi-1/kennzahlen?monat=2026-03',
    );
  });

  it('encodes ids and leaves out a month the reference does not carry', () => {
    expect(at('/api/v1/reviews/a%2Fb')).toBe('/pruefungen/a%2Fb');
    expect(at('/api/v1/programmes/p-1/samples', 'p-1')).toBe('/pruefplaene/p-1/ziehung');
  });

  it('gives no link for a path it does not know rather than guessing one', () => {
    expect(at('/api/v1/indicators/team-mi-1/2026-03')).toBeNull();
    expect(at('/api/v1/measures/m-1', 'm-1', null)).toBeNull();
    expect(at('/api/v1/teams/team-mi-1/reports/2026/Q5/draft')).toBeNull();
    expect(at('/api/v1/teams/team-mi-1/indicators/2026-13')).toBeNull();
    expect(at('/elsewhere/reviews/r-1')).toBeNull();
    expect(at('')).toBeNull();
  });
});
