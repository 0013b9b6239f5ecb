/**
 * Error rates (Fehlerquoten) and how they are judged against a tolerance. Krefeld accepts error
 * frequencies below the tolerance (the BA standard, alternatively 10 %) and suspends review routines
 * whose error rate lies below it (001:202); the 2021 federal method collects no error rates (003:58).
 *
 * A sample's point estimate alone would suspend routines on luck: 0 errors in 12 reviews is a rate of
 * 0 %, but says little. The default judging rule therefore asks that the upper bound of the confidence
 * interval (Wilson score interval, which behaves at 0 and small n where the normal approximation does
 * not) lies below the tolerance. Pure: numbers in, judgement out.
 */

export type JudgingRule =
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

/** Judges a sample against a tolerance in percent (e.g. 10 for 10 %). */
export function judgeErrorRate(
  sample: ErrorRateSample,
  tolerancePercent: number,
  rule: JudgingRule,
): ErrorRateJudgement {
  if (!(tolerancePercent > 0 && tolerancePercent < 100))
    throw new RangeError(`tolerance must lie between 0 and 100 %: ${tolerancePercent}`);
  const tolerance = tolerancePercent / 100;
  if (sample.reviews === 0) return { ...sample, rate: null, upperBound: null, tolerance, belowTolerance: false };
  const rate = sample.withErrors / sample.reviews;
  const upperBound =
    rule.kind === 'point-estimate'
      ? rate
      : wilsonInterval(sample.withErrors, sample.reviews, zFor(rule.confidence, rule.sided)).upper;
  return { ...sample, rate, upperBound, tolerance, belowTolerance: upperBound < tolerance };
}
