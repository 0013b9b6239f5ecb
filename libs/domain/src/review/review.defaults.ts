/**
 * Defaults of the review rules: configuration, not code. The application passes them into commands
 * (`standardMonths`), so a Jobcenter's configuration can change them without touching the decider.
 */
export interface ReviewRuleDefaults {
  /** The course of a case is looked at up to 12 months back; longer only in the individual case (002:40). */
  readonly standardLookBackMonths: number;
  /** Upper bound of a look-back extension, so a typo cannot make a review cover a decade. */
  readonly maximumLookBackMonths: number;
}

export const REVIEW_DEFAULTS: ReviewRuleDefaults = {
  standardLookBackMonths: 12, // 002:40 "bis zu 12 Monate in die Vergangenheit"
  maximumLookBackMonths: 60, // our choice: five years, beyond which no "sensible starting point" is plausible
};
