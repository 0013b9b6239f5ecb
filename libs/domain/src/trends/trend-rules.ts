import type { JudgingRule } from './error-rate.js';

/**
 * Rules that shape the trend figures. Configuration with defaults, never literals in the logic; a
 * programme's own tolerance (its `errorRatePolicy`) wins over the default.
 */
export interface TrendRules {
  /** Tolerance when a programme collects error rates without one: the BA standard, alternatively 10 % (001:202). */
  readonly defaultTolerancePercent: number;
  /** How an error rate is judged against the tolerance (default: upper 95 % Wilson bound below it). */
  readonly judging: JudgingRule;
  /**
   * What makes a completed review count as erroneous: any defect that stands, or only serious ones.
   * Category and severity filters of a trend query narrow it further.
   */
  readonly errorCounting: 'any-defect' | 'serious-defect';
  /**
   * Latest re-check of a suspended routine, in months after the decision: risk assessments are
   * renewed quarterly and no routine may leave a long uncontrolled period (001:123).
   */
  readonly maxRecheckMonths: number;
  /** Longest range one trend query may span (months). */
  readonly maxRangeMonths: number;
}

export const DEFAULT_TREND_RULES: TrendRules = {
  defaultTolerancePercent: 10, // 001:202 "BA-Standards – alternativ 10 %"
  judging: { kind: 'wilson-upper-bound', confidence: 0.95, sided: 'two-sided' },
  errorCounting: 'any-defect',
  maxRecheckMonths: 3, // our default: the quarterly risk reassessment (domain.md, cycle step 7)
  maxRangeMonths: 120,
};
