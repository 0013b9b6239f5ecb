import {
  clopperPearsonUpper,
  judgeErrorRate,
  judgingRuleName,
  logGamma,
  normalQuantile,
  regularizedIncompleteBeta,
  wilsonInterval,
  zFor,
  type JudgingRule,
} from './error-rate.js';
import { DEFAULT_TREND_RULES } from './trend-rules.js';

/** The Wilson rule the trends used by default before rules version 2026.2, still configurable. */
const WILSON: JudgingRule = { kind: 'wilson-upper-bound', confidence: 0.95, sided: 'two-sided' };

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

  it('under the Wilson rule flags a routine only when the upper 95 % bound lies below the 10 % tolerance', () => {
    const rule = WILSON;
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
    const wilson = WILSON;
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
      rule: 'clopper-pearson-one-sided-95',
    });
    expect(() => judgeErrorRate({ reviews: 1, withErrors: 0 }, 0, DEFAULT_TREND_RULES.judging)).toThrow(RangeError);
    expect(() => judgeErrorRate({ reviews: 1, withErrors: 0 }, 100, DEFAULT_TREND_RULES.judging)).toThrow(RangeError);
  });

  it('names every rule, so a recorded figure says which rule produced it', () => {
    expect(judgingRuleName({ kind: 'clopper-pearson-upper-bound', confidence: 0.95 })).toBe(
      'clopper-pearson-one-sided-95',
    );
    expect(judgingRuleName({ kind: 'clopper-pearson-upper-bound', confidence: 0.975 })).toBe(
      'clopper-pearson-one-sided-97.5',
    );
    expect(judgingRuleName(WILSON)).toBe('wilson-two-sided-95');
    expect(judgingRuleName({ kind: 'point-estimate' })).toBe('point-estimate');
    expect(judgeErrorRate({ reviews: 40, withErrors: 0 }, 10, WILSON).rule).toBe('wilson-two-sided-95');
  });
});

/**
 * Reference values of the exact one-sided upper bound: p with P(X ≤ k | n, p) = α. For k = 0 it is
 * 1 − α^(1/n) (0.05^(1/29) = 0.901855…, so 0.098145); for k > 0 the values were computed with mpmath
 * (bisection on the regularized incomplete beta at 30 digits) and cross-checked with scipy's beta.ppf;
 * each is confirmed below by summing the binomial distribution at the bound, which must give α.
 */
describe('the exact one-sided upper bound (Clopper–Pearson)', () => {
  /** P(X ≤ k | n, p), summed term by term (independent of the incomplete beta). */
  function binomialCdf(k: number, n: number, p: number): number {
    let term = Math.pow(1 - p, n);
    let sum = term;
    for (let i = 1; i <= k; i += 1) {
      term *= ((n - i + 1) / i) * (p / (1 - p));
      sum += term;
    }
    return sum;
  }

  it('computes ln Γ and the regularized incomplete beta', () => {
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(logGamma(101)).toBeCloseTo(363.73937555556347, 9); // ln 100!
    // I_x(1, b) = 1 − (1 − x)^b; I_x(a, 1) = x^a; I_0.5(a, a) = 0.5.
    expect(regularizedIncompleteBeta(0.3, 1, 7)).toBeCloseTo(1 - Math.pow(0.7, 7), 14);
    expect(regularizedIncompleteBeta(0.3, 4, 1)).toBeCloseTo(Math.pow(0.3, 4), 14);
    expect(regularizedIncompleteBeta(0.5, 12, 12)).toBeCloseTo(0.5, 14);
    // The binomial relation on both sides of the switch to the symmetric continued fraction.
    for (const [k, n, p] of [
      [1, 46, 0.02],
      [1, 46, 0.2],
      [5, 100, 0.1],
      [30, 40, 0.9],
    ] as const)
      expect(1 - regularizedIncompleteBeta(p, k + 1, n - k)).toBeCloseTo(binomialCdf(k, n, p), 13);
    expect(() => regularizedIncompleteBeta(1.5, 1, 1)).toThrow(RangeError);
    expect(() => regularizedIncompleteBeta(0.5, 0, 1)).toThrow(RangeError);
  });

  it.each([
    // [errors, reviews, upper bound at one-sided 95 %]
    [0, 28, 0.101465735573],
    [0, 29, 0.0981446276773],
    [0, 58, 0.0503393383304],
    [0, 59, 0.0495076098882],
    [1, 45, 0.101133783594],
    [1, 46, 0.0990243168199],
    [2, 61, 0.0996348801942],
    [2, 62, 0.0980836815921],
    [1, 92, 0.050526360877],
    [1, 93, 0.049993978388],
    [2, 124, 0.0499001712283],
    [5, 100, 0.102253377643],
    [3, 20, 0.343663804314],
    [9, 10, 0.994883803108],
    [0, 1, 0.95],
  ])('%i errors in %i reviews', (errors, reviews, upper) => {
    const bound = clopperPearsonUpper(errors, reviews, 0.95);
    expect(bound).toBeCloseTo(upper, 11);
    if (errors < reviews) expect(binomialCdf(errors, reviews, bound)).toBeCloseTo(0.05, 12);
  });

  it('is 1 when every review had an error or there was none, and refuses impossible input', () => {
    expect(clopperPearsonUpper(10, 10, 0.95)).toBe(1);
    expect(clopperPearsonUpper(0, 0, 0.95)).toBe(1);
    expect(clopperPearsonUpper(0, 29, 0.95)).toBeCloseTo(1 - Math.pow(0.05, 1 / 29), 15);
    expect(() => clopperPearsonUpper(3, 2, 0.95)).toThrow(RangeError);
    expect(() => clopperPearsonUpper(0.5, 2, 0.95)).toThrow(RangeError);
    expect(() => clopperPearsonUpper(0, 2, 1)).toThrow(RangeError);
  });

  it('is the default rule: 29 clean reviews lie below 10 %, 28 do not (Wilson needed 35)', () => {
    expect(DEFAULT_TREND_RULES.judging).toEqual({ kind: 'clopper-pearson-upper-bound', confidence: 0.95 });
    expect(DEFAULT_TREND_RULES.defaultTolerancePercent).toBe(10);
    const judge = (reviews: number, withErrors: number, tolerance = 10, rule = DEFAULT_TREND_RULES.judging) =>
      judgeErrorRate({ reviews, withErrors }, tolerance, rule);
    expect(judge(29, 0)).toMatchObject({ belowTolerance: true, rule: 'clopper-pearson-one-sided-95' });
    expect(judge(28, 0).belowTolerance).toBe(false);
    // The README's boundary numbers: the fewest reviews with k errors whose bound lies below the tolerance.
    const fewest = (errors: number, tolerance: number, rule: JudgingRule): number => {
      let reviews = errors + 1;
      while (!judge(reviews, errors, tolerance, rule).belowTolerance) reviews += 1;
      return reviews;
    };
    const exact = DEFAULT_TREND_RULES.judging;
    expect([0, 1, 2].map((errors) => fewest(errors, 10, exact))).toEqual([29, 46, 61]);
    expect([0, 1, 2].map((errors) => fewest(errors, 5, exact))).toEqual([59, 93, 124]);
    expect([0, 1, 2].map((errors) => fewest(errors, 10, WILSON))).toEqual([35, 53, 69]);
    expect([0, 1, 2].map((errors) => fewest(errors, 5, WILSON))).toEqual([73, 110, 142]);
  });
});
