import type { CrossLevelReviewApproved, Severity } from '@pruefpfad/domain';

/**
 * Read models of the cross-level context. None holds a sealed value, a free text, a case reference or a
 * person: regions of tenants, approvals of cross-level reviews, and closed-answer copies of reviews.
 */
export const CROSS_LEVEL_TENANT_REGIONS = 'cross-level-tenant-regions';
export const CROSS_LEVEL_REVIEWS = 'cross-level-reviews';
export const CROSS_LEVEL_CASE_COPIES = 'cross-level-case-copies';

/** The Jobcenter's region (document id: the tenant). */
export interface TenantRegionDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly tenant: string;
  readonly region: string;
  readonly since: string;
}

/** An approved cross-level review (document id: the approval id). */
type Approval = CrossLevelReviewApproved['data'];
export interface CrossLevelReviewDoc extends Approval, Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly closedOn: string | null;
  readonly closeBasis: string | null;
}

export type ClosedAnswer = 'yes' | 'no' | 'na' | 'goal-directed' | 'not-goal-directed';

export interface CopiedDefect {
  readonly defectId: string;
  readonly questionId: string;
  readonly category: string;
  readonly severity: Severity;
  readonly legalNorm: string | null;
  readonly financialLoss: boolean;
  readonly withdrawn: boolean;
}

/**
 * What a pseudonymised copy may ever show of one review, kept for every review and shown only through
 * an approval in whose scope it lies. `reviewId` is kept to derive the per-approval pseudonym and to
 * follow the review's events; it never leaves the API. No team, area, person, case reference or text.
 */
export interface CaseCopyDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly tenant: string;
  readonly reviewId: string;
  readonly month: string;
  readonly programmeId: string;
  readonly questionnaireId: string;
  readonly questionnaireVersion: number;
  readonly status: 'open' | 'completed' | 'withdrawn';
  readonly outcome: 'goal-directed' | 'not-goal-directed' | null;
  /** Closed answers only, by question id; free-text and date answers are left out. */
  readonly answers: Readonly<Record<string, ClosedAnswer>>;
  readonly defects: readonly CopiedDefect[];
  readonly talks: number;
  readonly teamDiscussions: number;
  readonly measuresAgreed: number;
}

export const caseCopyId = (tenant: string, reviewId: string): string => `${tenant}:${reviewId}`;
