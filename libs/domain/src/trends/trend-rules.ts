import type { JudgingRule } from './error-rate.js';

/**
 * Rules that shape the trend figures. Configuration with defaults, never literals in the logic; a
 * programme's own tolerance (its `errorRatePolicy`) wins over the default.
 */
export interface TrendRules {
  /**
   * Label of the rule set these rules come from (the `version` of PRUEFPFAD_RULES_FILE, or of the
   * defaults), recorded with every judgement that management decides on, so old figures stay explainable.
   */
  readonly rulesVersion: string;
  /** Tolerance when a programme collects error rates without one: the BA standard, alternatively 10 % (001:202). */
  readonly defaultTolerancePercent: number;
  /** How an error rate is judged against the tolerance (default: exact one-sided 95 % upper bound below it). */
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
  /**
   * Months (up to and including the current one) whose completed reviews the tolerance test of a
   * suspension decision judges when the decision names no range of its own.
   */
  readonly toleranceTestMonths: number;
  /** Longest range one trend query may span (months). */
  readonly maxRangeMonths: number;
}

export const DEFAULT_TREND_RULES: TrendRules = {
  rulesVersion: '2026.2', // the label of DEFAULT_READ_MODEL_RULES (libs/application/src/rules-config.ts)
  defaultTolerancePercent: 10, // 001:202 "BA-Standards – alternativ 10 %"
  // Audit sampling's usual rule: exact one-sided upper bound (29 clean reviews lie below 10 %, 28 do not).
  judging: { kind: 'clopper-pearson-upper-bound', confidence: 0.95 },
  errorCounting: 'any-defect',
  maxRecheckMonths: 3, // our default: the quarterly risk reassessment (domain.md, cycle step 7)
  toleranceTestMonths: 12, // our default: a year of reviews
  maxRangeMonths: 120,
};
