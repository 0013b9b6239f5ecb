import type { ErrorRatePolicy, ToleranceTest } from '@pruefpfad/domain';
import type { ReviewFacts } from './review-facts.js';

/**
 * Read models of the trends context. All anonymous: reviews, measures and reports are keyed by their
 * own ids and carry their team and month, never a person.
 *
 * Why review facts and not stored month cells: after `CaseSampled` a review's events carry only the
 * review id, and a projection maps an event to documents from the event alone, so a month cell could
 * not be found from, say, a `DefectRecorded`. The month cells are therefore summed from these facts by
 * the pure `monthCells` (review-facts.ts) per query; the facts make corrections and withdrawals exact.
 */
export const TREND_REVIEWS = 'trend-reviews';
export const TREND_MEASURES = 'trend-measures';
export const TREND_CONTEXT = 'trend-context';

export const trendReviewId = (tenant: string, reviewId: string): string => `${tenant}:review:${reviewId}`;
export const trendMeasureId = (tenant: string, measureId: string): string => `${tenant}:measure:${measureId}`;
export const trendProgrammeId = (tenant: string, programmeId: string): string => `${tenant}:programme:${programmeId}`;
export const trendRoutineId = (tenant: string, programmeId: string): string => `${tenant}:routine:${programmeId}`;
export const trendReportId = (tenant: string, reportId: string): string => `${tenant}:report:${reportId}`;

/**
 * One review's facts. A purge summary replaces the live document under the same id (`source`
 * `summary`), so a purge moves no figure. The purge must not delete these documents: they are anonymous.
 */
export interface TrendReviewDoc extends ReviewFacts, Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly source: 'live' | 'summary';
}

export interface TrendMeasureDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly tenant: string;
  readonly areaId: string;
  readonly teamId: string;
  /** The review it follows from: gives it a programme and questionnaire (null: a team-wide measure). */
  readonly reviewId: string | null;
  readonly status: 'open' | 'completed' | 'cancelled';
  /** Local dates (Europe/Berlin). */
  readonly agreedOn: string;
  readonly dueDate: string;
  readonly closedOn: string | null;
}

export interface TrendProgrammeDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly kind: 'programme';
  readonly tenant: string;
  readonly programmeId: string;
  readonly title: string;
  readonly areaId: string;
  readonly customerProcess: string;
  readonly reportDueDay: number;
  /** Minimum per team lead per month since each local date (definition first, then revisions). */
  readonly minimumHistory: readonly { readonly from: string; readonly minimum: number }[];
  /** The error-rate policy since each local date (a programme may start or stop collecting). */
  readonly errorRateHistory: readonly { readonly from: string; readonly policy: ErrorRatePolicy }[];
}

/** A team's quarterly report: when it was due and first submitted (punctuality, 000:91). */
export interface TrendReportDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly kind: 'report';
  readonly tenant: string;
  readonly teamId: string;
  readonly areaId: string;
  readonly year: number;
  readonly quarter: number;
  readonly dueDate: string;
  readonly submittedOn: string;
}

/**
 * Management's decisions on a routine: suspended with a re-check date, renewed, resumed (001:123); each
 * suspension and renewal with the tolerance test as it stood then, and whether it was decided against it.
 */
export interface TrendRoutineDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly kind: 'routine';
  readonly tenant: string;
  readonly programmeId: string;
  readonly status: 'active' | 'suspended';
  /** Revision of the `routine-<programmeId>` stream (the `ETag` of the routine). */
  readonly revision: number;
  /** Current or last suspension (null before the first); test and reason of its latest decision. */
  readonly suspension: {
    readonly since: string;
    readonly recheckOn: string;
    readonly reason: string;
    readonly decidedOn: string;
    /** The tolerance test when the latest decision (suspension or renewal) was taken; null: not recorded. */
    readonly toleranceTest: ToleranceTest | null;
    /** The latest decision overrode a failed test; null: decided before the test was recorded. */
    readonly againstToleranceTest: boolean | null;
  } | null;
  /**
   * Every suspended stretch (local dates, `to` null while it lasts), for the periods of a trend, and
   * whether it was suspended (or, later, kept suspended) against the tolerance test.
   */
  readonly suspendedPeriods: readonly {
    readonly from: string;
    readonly to: string | null;
    readonly againstToleranceTest: boolean | null;
  }[];
}

export type TrendContextDoc = TrendProgrammeDoc | TrendReportDoc | TrendRoutineDoc;
