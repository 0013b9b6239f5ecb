import type { ErrorRateFigure, PeriodFigures } from '@pruefpfad/projections';
import { renderTrendCsv } from './trend-csv.js';
import type { TrendView } from './trends.queries.js';

const rate = (title: string, reviews: number, withErrors: number): ErrorRateFigure => ({
  programmeId: title,
  title,
  tolerancePercent: 10,
  reviews,
  withErrors,
  rate: withErrors / reviews,
  upperBound: 0.5,
  belowTolerance: false,
  rule: 'clopper-pearson-one-sided-95',
});

const period = (done: number, errorRates: ErrorRateFigure[]): PeriodFigures => ({
  period: '2026-01',
  from: '2026-01-01',
  to: '2026-01-31',
  asOf: '2026-01-31',
  reviews: { minimum: 10, sampled: done, done, open: 0, percentOfMinimum: done * 10 },
  seriousDefects: { reviews: 0, share: 0 },
  defects: { total: 0, perReview: 0, byCategory: {} },
  talksHeld: 0,
  teamDiscussionsHeld: 0,
  measures: { agreed: 0, completed: 0, cancelled: 0, open: 0, overdue: 0 },
  reports: { expected: 0, onTime: 0, late: 0, missing: 0, pending: 0 },
  errorRates,
  suspendedRoutines: [],
  suspendedAgainstToleranceTest: [],
});

const rowsOf = (csv: string): string[][] =>
  csv
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .slice(1)
    .map((line) => line.split(';'));

describe('trend CSV', () => {
  it('suppresses a programme’s error rate backed by fewer reviews than the minimum cell, in a visible period', () => {
    const view = {
      from: '2026-01',
      to: '2026-01',
      periods: [period(12, [rate('Leistung laufend', 2, 1), rate('Leistung neu', 10, 1)])],
      routines: [],
    } as unknown as TrendView;
    const rows = rowsOf(renderTrendCsv(view, 3)).filter((row) => row[1] === 'Fehlerquote / error rate');
    const small = rows.filter((row) => row[2] === 'Leistung laufend');
    expect(small).toHaveLength(1);
    expect(small[0]![3]).toMatch(/weniger als 3 Prüfungen/);
    expect(small[0]![4]).toBe('');
    expect(rows.filter((row) => row[2] === 'Leistung neu').map((row) => row[3])).toEqual([
      'Prüfungen / reviews',
      'mit Fehlern / with errors',
      'Quote / rate',
      'obere Grenze / upper bound',
      'Toleranz % / tolerance %',
      'Regel / rule',
    ]);
    expect(rows.find((row) => row[2] === 'Leistung neu' && row[3] === 'Regel / rule')![4]).toBe(
      'clopper-pearson-one-sided-95',
    );
  });
});
