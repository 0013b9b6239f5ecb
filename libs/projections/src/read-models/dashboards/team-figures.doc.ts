import type { MeasureKind, Severity } from '@pruefpfad/domain';

/**
 * Read model `team-figures`: the anonymous facts behind the per-team-month figures of dashboards and
 * quarterly reports. No document names an employee or a case: reviews are keyed by their id, carry
 * their cell (tenant, area, team, sample month, programme) and their contribution to the counts.
 *
 * Why facts and not one stored counter per cell: after `CaseSampled` a review's events carry only the
 * review id, and a projection maps an event to documents from the event alone; a cell counter could
 * not find its cell. The cells are therefore summed from these facts at query time
 * (`team-figures.ts`), which also makes corrections and withdrawals exact instead of ±1 bookkeeping.
 */
export const TEAM_FIGURES = 'team-figures';

export const reviewFactId = (tenant: string, reviewId: string): string => `${tenant}:review:${reviewId}`;
export const measureFactId = (tenant: string, measureId: string): string => `${tenant}:measure:${measureId}`;
export const programmeFactId = (tenant: string, programmeId: string): string => `${tenant}:programme:${programmeId}`;

export interface DefectFact {
  readonly defectId: string;
  readonly category: string;
  readonly severity: Severity;
  readonly legalNorm: string | null;
  readonly financialLoss: boolean;
  readonly withdrawn: boolean;
  /**
   * The severity the dashboards count (operations: the versioned rule `dashboard.seriousDefect` of
   * libs/application/src/rules-config.ts may count a recorded minor defect as serious). Figures sum this,
   * never `severity`, so a rule change plus rebuild changes them for the whole history still held.
   */
  readonly counted: Severity;
}

export interface ReviewFactDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly kind: 'review';
  readonly tenant: string;
  readonly areaId: string;
  readonly teamId: string;
  readonly programmeId: string;
  /** Sample month (yyyy-mm): every figure of the review counts in this month. */
  readonly month: string;
  readonly deadline: string;
  readonly status: 'open' | 'completed' | 'withdrawn';
  readonly outcome: 'goal-directed' | 'not-goal-directed' | null;
  readonly completedOn: string | null;
  readonly defects: readonly DefectFact[];
  readonly talks: number;
  readonly teamDiscussions: number;
}

export interface MeasureFactDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly kind: 'measure';
  readonly tenant: string;
  readonly areaId: string;
  readonly teamId: string;
  readonly measureKind: MeasureKind;
  readonly scope: 'individual' | 'team';
  readonly status: 'open' | 'completed' | 'cancelled';
  readonly dueDate: string;
  /** Local dates (Europe/Berlin). */
  readonly agreedOn: string;
  readonly closedOn: string | null;
}

export interface ProgrammeFactDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly kind: 'programme';
  readonly tenant: string;
  readonly programmeId: string;
  readonly areaId: string;
  readonly customerProcess: string;
  readonly title: string;
  readonly reportDueDay: number;
  /** The minimum per team lead per month since each local date (definition first, then revisions). */
  readonly minimumHistory: readonly { readonly from: string; readonly minimum: number }[];
}

export type TeamFigureDoc = ReviewFactDoc | MeasureFactDoc | ProgrammeFactDoc;
