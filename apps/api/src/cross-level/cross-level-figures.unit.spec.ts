import type { PeriodFigures } from '@pruefpfad/projections';
import { crossLevelFigures, crossLevelPeriod, sumFigures } from './cross-level-figures.js';

const period = (done: number, sampled = done, serious = 0): PeriodFigures => ({
  period: '2026-01',
  from: '2026-01-01',
  to: '2026-01-31',
  asOf: '2026-01-31',
  reviews: { minimum: 10, sampled, done, open: sampled - done, percentOfMinimum: done * 10 },
  seriousDefects: { reviews: serious, share: done === 0 ? null : serious / done },
  defects: {
    total: serious,
    perReview: done === 0 ? null : serious / done,
    byCategory: serious === 0 ? {} : { Doku: { minor: 0, serious, total: serious, perReview: serious / done } },
  },
  talksHeld: 1,
  teamDiscussionsHeld: 0,
  measures: { agreed: 1, completed: 0, cancelled: 0, open: 1, overdue: 0 },
  reports: { expected: 1, onTime: 1, late: 0, missing: 0, pending: 0 },
  errorRates: [],
  suspendedRoutines: [],
  suspendedAgainstToleranceTest: [],
});

const CATALOGUE: ReadonlySet<string> = new Set(['Doku']);

describe('cross-level figures', () => {
  it('sums Jobcenters and recomputes shares from the sums', () => {
    const sum = sumFigures([
      crossLevelFigures(period(4, 4, 1), CATALOGUE),
      crossLevelFigures(period(6, 8, 3), CATALOGUE),
    ]);
    expect(sum.reviews).toEqual({ minimum: 20, sampled: 12, done: 10, open: 2, percentOfMinimum: 50 });
    expect(sum.seriousDefects).toEqual({ reviews: 4, share: 0.4 });
    expect(sum.defects.byCategory['Doku']).toEqual({ minor: 0, serious: 4, total: 4, perReview: 0.4 });
    expect(sum.measures.agreed).toBe(2);
  });

  it('suppresses a small Jobcenter, the next-smallest with it, and shows the total', () => {
    const result = crossLevelPeriod(
      { period: '2026-01', from: '2026-01-01', to: '2026-01-31' },
      [
        { tenant: 'jc-a', region: 'rd', figures: crossLevelFigures(period(2), CATALOGUE) },
        { tenant: 'jc-b', region: 'rd', figures: crossLevelFigures(period(5), CATALOGUE) },
        { tenant: 'jc-c', region: 'rd', figures: crossLevelFigures(period(9), CATALOGUE) },
      ],
      3,
    );
    expect(result.jobcenters.map((cell) => [cell.tenant, cell.suppressed, cell.figures === null])).toEqual([
      ['jc-a', true, true],
      ['jc-b', true, true],
      ['jc-c', false, false],
    ]);
    expect(result.total.suppressed).toBe(false);
    expect(result.total.figures?.reviews.done).toBe(16);
  });

  it('suppresses the total of a region with one small Jobcenter', () => {
    const result = crossLevelPeriod(
      { period: '2026-01', from: '2026-01-01', to: '2026-01-31' },
      [{ tenant: 'jc-a', region: 'rd', figures: crossLevelFigures(period(1), CATALOGUE) }],
      3,
    );
    expect(result.total).toEqual({ suppressed: true, figures: null });
  });

  it('counts categories outside the Jobcenter’s catalogues together as other, never under the typed text', () => {
    const typed = period(4, 4, 2);
    const figures = crossLevelFigures(
      {
        ...typed,
        defects: {
          ...typed.defects,
          byCategory: {
            Doku: { minor: 0, serious: 1, total: 1, perReview: 0.25 },
            'Frau Muster hat vergessen': { minor: 1, serious: 0, total: 1, perReview: 0.25 },
            'Herr Beispiel': { minor: 0, serious: 1, total: 1, perReview: 0.25 },
          },
        },
      },
      CATALOGUE,
    );
    expect(figures.defects.byCategory).toEqual({
      'andere / other': { minor: 1, serious: 1, total: 2, perReview: 0.5 },
      Doku: { minor: 0, serious: 1, total: 1, perReview: 0.25 },
    });
  });
});
