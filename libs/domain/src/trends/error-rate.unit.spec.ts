import { judgeErrorRate, normalQuantile, wilsonInterval, zFor } from './error-rate.js';
import { DEFAULT_TREND_RULES } from './trend-rules.js';

/**
 * Expected values are computed by hand from the Wilson formula
 *   upper = (p + z²/2n + z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n),  z = 1.96 (two-sided 95 %),
 * e.g. 0 of 30: (0.0640267 + 1.96·0.0326660) / 1.1280533 = 0.113516.
 */
describe('error rates and their judgement', () => {
  const z = 1.959964;

  it('derives z from the confidence level', () => {
    expect(zFor(0.95, 'two-sided')).toBeCloseTo(1.959964, 5);
    expect(zFor(0.95, 'one-sided')).toBeCloseTo(1.644854, 5);
    expect(zFor(0.99, 'two-sided')).toBeCloseTo(2.575829, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });

  it.each([
    // [errors, reviews, lower, upper] — hand-computed with z = 1.96
    [0, 30, 0, 0.113516],
    [0, 50, 0, 0.071348],
    [2, 50, 0.011036, 0.134602],
    [5, 100, 0.021544, 0.111752],
    [10, 10, 0.722467, 1],
  ])('Wilson interval of %i errors in %i reviews', (errors, reviews, lower, upper) => {
    const interval = wilsonInterval(errors, reviews, z);
    expect(interval.lower).toBeCloseTo(lower, 5);
    expect(interval.upper).toBeCloseTo(upper, 5);
  });

  it('knows nothing without reviews and refuses impossible counts', () => {
    expect(wilsonInterval(0, 0, z)).toEqual({ lower: 0, upper: 1 });
    expect(() => wilsonInterval(3, 2, z)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2, z)).toThrow(RangeError);
    expect(() => wilsonInterval(0.5, 2, z)).toThrow(RangeError);
  });

  it('by default flags a routine only when the upper 95 % bound lies below the 10 % tolerance', () => {
    const rule = DEFAULT_TREND_RULES.judging;
    expect(DEFAULT_TREND_RULES.defaultTolerancePercent).toBe(10);
    // 0 of 30: a rate of 0 %, but the bound 11.35 % is not below 10 %.
    const thirty = judgeErrorRate({ reviews: 30, withErrors: 0 }, 10, rule);
    expect(thirty).toMatchObject({ rate: 0, tolerance: 0.1, belowTolerance: false });
    expect(thirty.upperBound).toBeCloseTo(0.113516, 5);
    // 0 of 50: bound 7.13 % < 10 %.
    const fifty = judgeErrorRate({ reviews: 50, withErrors: 0 }, 10, rule);
    expect(fifty.belowTolerance).toBe(true);
    expect(fifty.upperBound).toBeCloseTo(0.071348, 5);
    // 5 of 100: rate 5 % is below 10 %, the bound 11.18 % is not.
    expect(judgeErrorRate({ reviews: 100, withErrors: 5 }, 10, rule)).toMatchObject({
      rate: 0.05,
      belowTolerance: false,
    });
  });

  it('uses the configured tolerance and rule', () => {
    const wilson = DEFAULT_TREND_RULES.judging;
    // 0 of 50 (bound 7.13 %) is below a 10 % tolerance but not below 5 %, and below 7.5 %.
    expect(judgeErrorRate({ reviews: 50, withErrors: 0 }, 5, wilson).belowTolerance).toBe(false);
    expect(judgeErrorRate({ reviews: 50, withErrors: 0 }, 7.5, wilson).belowTolerance).toBe(true);
    // One-sided 95 % (z = 1.645): 0 of 30 gives (2.705543/60 + 1.644854·√(2.705543/3600)) / (1 + 2.705543/30)
    //   = (0.0450924 + 0.0450924) / 1.0901848 = 0.082725 < 10 %.
    const oneSided = judgeErrorRate({ reviews: 30, withErrors: 0 }, 10, {
      kind: 'wilson-upper-bound',
      confidence: 0.95,
      sided: 'one-sided',
    });
    expect(oneSided.upperBound).toBeCloseTo(0.082725, 5);
    expect(oneSided.belowTolerance).toBe(true);
    // The point estimate alone: 5 of 100 = 5 % < 10 %; exactly at the tolerance is not below it.
    expect(judgeErrorRate({ reviews: 100, withErrors: 5 }, 10, { kind: 'point-estimate' })).toMatchObject({
      upperBound: 0.05,
      belowTolerance: true,
    });
    expect(judgeErrorRate({ reviews: 100, withErrors: 10 }, 10, { kind: 'point-estimate' }).belowTolerance).toBe(false);
  });

  it('judges nothing without reviews and refuses a tolerance outside (0, 100)', () => {
    expect(judgeErrorRate({ reviews: 0, withErrors: 0 }, 10, DEFAULT_TREND_RULES.judging)).toEqual({
      reviews: 0,
      withErrors: 0,
      rate: null,
      upperBound: null,
      tolerance: 0.1,
      belowTolerance: false,
    });
    expect(() => judgeErrorRate({ reviews: 1, withErrors: 0 }, 0, DEFAULT_TREND_RULES.judging)).toThrow(RangeError);
    expect(() => judgeErrorRate({ reviews: 1, withErrors: 0 }, 100, DEFAULT_TREND_RULES.judging)).toThrow(RangeError);
  });
});
