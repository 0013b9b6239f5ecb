/**
 * Error rates (Fehlerquoten) and how they are judged against a tolerance. Krefeld accepts error
 * frequencies below the tolerance (the BA standard, alternatively 10 %) and suspends review routines
 * whose error rate lies below it (001:202); the 2021 federal method collects no error rates (003:58).
 *
 * A sample's point estimate alone would suspend routines on luck: 0 errors in 12 reviews is a rate of
 * 0 %, but says little. A rule therefore asks that an upper confidence bound of the error rate lies
 * below the tolerance. The default is the one audit sampling uses: the exact one-sided upper bound
 * (Clopper–Pearson) at the configured confidence, under which 29 clean reviews lie below 10 % and 28 do
 * not. The Wilson score bound (two-sided, as the figures used before rules version 2026.2) and the bare
 * point estimate remain configurable. Pure: numbers in, judgement out.
 */

export type JudgingRule =
  /**
   * Exact one-sided upper bound (Clopper–Pearson 1934) at `confidence` below the tolerance: the largest
   * error rate p under which seeing at most the observed errors still has probability 1 − confidence,
   * i.e. P(X ≤ k | n, p) = 1 − confidence.
   */
  | {
      readonly kind: 'clopper-pearson-upper-bound';
      /** One-sided confidence level, e.g. 0.95. */
      readonly confidence: number;
    }
  /** Upper bound of the Wilson score interval at `confidence` below the tolerance. */
  | {
      readonly kind: 'wilson-upper-bound';
      /** e.g. 0.95. */
      readonly confidence: number;
      /** `two-sided`: the bound of the usual 95 % interval (z ≈ 1.96); `one-sided`: z ≈ 1.645. */
      readonly sided: 'two-sided' | 'one-sided';
    }
  /** The observed rate itself below the tolerance (no allowance for sampling error). */
  | { readonly kind: 'point-estimate' };

/** A judging rule's stable name, recorded beside every figure and decision it produced. */
export function judgingRuleName(rule: JudgingRule): string {
  const percent = (confidence: number): string => String(Math.round(confidence * 10_000) / 100);
  switch (rule.kind) {
    case 'clopper-pearson-upper-bound':
      return `clopper-pearson-one-sided-${percent(rule.confidence)}`;
    case 'wilson-upper-bound':
      return `wilson-${rule.sided}-${percent(rule.confidence)}`;
    case 'point-estimate':
      return 'point-estimate';
    default: {
      const unreachable: never = rule;
      return unreachable;
    }
  }
}

export interface ErrorRateSample {
  /** Completed reviews judged. */
  readonly reviews: number;
  /** Of which had an error (see `ErrorCounting`). */
  readonly withErrors: number;
}

export interface ErrorRateJudgement extends ErrorRateSample {
  /** Observed rate (0..1); null without reviews. */
  readonly rate: number | null;
  /** The bound the rule compares (the rate itself for `point-estimate`); null without reviews. */
  readonly upperBound: number | null;
  /** Tolerance as a fraction (0..1). */
  readonly tolerance: number;
  /** True when the rule's figure lies strictly below the tolerance: the routine may be suspended. */
  readonly belowTolerance: boolean;
  /** The rule's name (`judgingRuleName`). */
  readonly rule: string;
}

/** Inverse of the standard normal distribution function (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability must lie strictly between 0 and 1: ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const tail = (q: number): number =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
    ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < low) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - low) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** The z value of a confidence level: two-sided 0.95 → 1.959964, one-sided 0.95 → 1.644854. */
export function zFor(confidence: number, sided: 'two-sided' | 'one-sided'): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must lie between 0 and 1: ${confidence}`);
  return normalQuantile(sided === 'two-sided' ? 1 - (1 - confidence) / 2 : confidence);
}

/** The Wilson score interval of `withErrors` out of `reviews` (Wilson 1927); [0, 1] without reviews. */
export function wilsonInterval(withErrors: number, reviews: number, z: number): { lower: number; upper: number } {
  if (!Number.isInteger(reviews) || reviews < 0 || !Number.isInteger(withErrors) || withErrors < 0)
    throw new RangeError(`counts must be whole numbers of at least 0: ${withErrors}/${reviews}`);
  if (withErrors > reviews) throw new RangeError(`more errors than reviews: ${withErrors}/${reviews}`);
  if (reviews === 0) return { lower: 0, upper: 1 };
  const p = withErrors / reviews;
  const z2 = z * z;
  const denominator = 1 + z2 / reviews;
  const centre = (p + z2 / (2 * reviews)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / reviews + z2 / (4 * reviews * reviews))) / denominator;
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, nine terms; relative error about 1e-15). */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0: ${x}`);
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < c.length; i += 1) sum += c[i]! / (y + i);
  const t = y + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Continued fraction of the incomplete beta function (modified Lentz; Numerical Recipes `betacf`). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  const epsilon = 1e-15;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m += 1) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < epsilon) return h;
  }
  throw new RangeError(`incomplete beta did not converge for a=${a}, b=${b}, x=${x}`);
}

/**
 * The regularized incomplete beta function I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1. For whole numbers it
 * is the binomial tail: P(X ≤ k | n, p) = 1 − I_p(k + 1, n − k).
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`incomplete beta needs a, b > 0: a=${a}, b=${b}`);
  if (!(x >= 0 && x <= 1)) throw new RangeError(`incomplete beta needs 0 ≤ x ≤ 1: ${x}`);
  if (x === 0 || x === 1) return x;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  // The continued fraction converges fast below (a + 1) / (a + b + 2); above it, use the symmetry.
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(a, b, x)) / a
    : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/**
 * The exact one-sided upper bound of an error rate (Clopper–Pearson) at `confidence`: the p with
 * P(X ≤ withErrors | reviews, p) = 1 − confidence. With no error it is 1 − (1 − confidence)^(1/n); with
 * errors it is the inverse of the regularized incomplete beta, I_p(k + 1, n − k) = confidence, found by
 * bisection (the function rises with p). 1 when every review had an error, or without reviews.
 */
export function clopperPearsonUpper(withErrors: number, reviews: number, confidence: number): number {
  if (!Number.isInteger(reviews) || reviews < 0 || !Number.isInteger(withErrors) || withErrors < 0)
    throw new RangeError(`counts must be whole numbers of at least 0: ${withErrors}/${reviews}`);
  if (withErrors > reviews) throw new RangeError(`more errors than reviews: ${withErrors}/${reviews}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must lie between 0 and 1: ${confidence}`);
  if (reviews === 0 || withErrors === reviews) return 1;
  const alpha = 1 - confidence;
  if (withErrors === 0) return 1 - Math.pow(alpha, 1 / reviews);
  const a = withErrors + 1;
  const b = reviews - withErrors;
  let low = 0;
  let high = 1;
  // 60 halvings narrow [0, 1] below 1e-18: the precision of a double, not of the iteration, limits it.
  for (let step = 0; step < 60; step += 1) {
    const middle = (low + high) / 2;
    if (regularizedIncompleteBeta(middle, a, b) < confidence) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** The figure `rule` compares with the tolerance for a non-empty sample. */
export function upperBoundOf(withErrors: number, reviews: number, rule: JudgingRule): number {
  switch (rule.kind) {
    case 'clopper-pearson-upper-bound':
      return clopperPearsonUpper(withErrors, reviews, rule.confidence);
    case 'wilson-upper-bound':
      return wilsonInterval(withErrors, reviews, zFor(rule.confidence, rule.sided)).upper;
    case 'point-estimate':
      return withErrors / reviews;
    default: {
      const unreachable: never = rule;
      return unreachable;
    }
  }
}

/** Judges a sample against a tolerance in percent (e.g. 10 for 10 %). */
export function judgeErrorRate(
  sample: ErrorRateSample,
  tolerancePercent: number,
  rule: JudgingRule,
): ErrorRateJudgement {
  if (!(tolerancePercent > 0 && tolerancePercent < 100))
    throw new RangeError(`tolerance must lie between 0 and 100 %: ${tolerancePercent}`);
  const tolerance = tolerancePercent / 100;
  const name = judgingRuleName(rule);
  if (sample.reviews === 0)
    return { ...sample, rate: null, upperBound: null, tolerance, belowTolerance: false, rule: name };
  const rate = sample.withErrors / sample.reviews;
  const upperBound = upperBoundOf(sample.withErrors, sample.reviews, rule);
  return { ...sample, rate, upperBound, tolerance, belowTolerance: upperBound < tolerance, rule: name };
}
