import type { DomainEvent } from '../shared/decider.js';

/**
 * Events of the cross-level context (Regionaldirektion, Zentrale). None carries personal data: regions,
 * tenants, customer processes, months and a decision reference are organisational facts.
 *
 * Stream `tenant-region-<tenant>`: the Jobcenter's management records which Regionaldirektion's district
 * (RD-Bezirk, 003:98) the Jobcenter belongs to. Kept apart from `organisation-<tenant>` so that loading an
 * organisation file (areas and teams) never touches it and the organisation's deciders stay unchanged.
 * A Jobcenter without a recorded region appears in no cross-level view at all.
 */
export type RegionAssigned = DomainEvent<
  'RegionAssigned',
  {
    readonly tenant: string;
    readonly region: string;
    /** Europe/Berlin local date of the decision. */
    readonly since: string;
    readonly decidedByRole: string;
  }
>;

export type TenantRegionEvent = RegionAssigned;

export const TENANT_REGION_EVENT_SCHEMAS = { RegionAssigned: 1 } as const satisfies Record<
  TenantRegionEvent['type'],
  number
>;

export const tenantRegionStreamId = (tenant: string): string => `tenant-region-${tenant}`;

/**
 * The two kinds of cross-level review of the 2021 directive (/work/shared/seeds/003_dd33f32920a5c38c.txt):
 * - `calibration`: when the method is introduced in a further customer process, a cross-level review of at
 *   most three months lets the Jobcenter, the RD and the Zentrale form common standards (003:78);
 * - `risk-based`: temporary cross-level reviews that the Zentrale decides during the year from the risks it
 *   sees, on necessity, content and extent (003:86-88).
 * Both are announced by the Zentrale after the BMAS approved them (003:80, 003:90) and may only run on
 * case data without personal data, outside the IT systems (003:94): the pseudonymised copies.
 */
export type CrossLevelReviewKind = 'calibration' | 'risk-based';

/** Which Jobcenters a review covers: named tenants, or every tenant of a region at the time of reading. */
export type CrossLevelReviewScope =
  | { readonly kind: 'tenants'; readonly tenants: readonly string[] }
  | { readonly kind: 'region'; readonly region: string };

/** Stream `cross-level-review-<id>`. The approval comes first: no copy is visible without it. */
export type CrossLevelReviewApproved = DomainEvent<
  'CrossLevelReviewApproved',
  {
    readonly id: string;
    readonly kind: CrossLevelReviewKind;
    readonly scope: CrossLevelReviewScope;
    /** The customer process whose reviews are copied (e.g. `allgemeine-vermittlung`). */
    readonly customerProcess: string;
    /** Optionally one programme's questionnaire only. */
    readonly questionnaireId: string | null;
    /** Sample months covered (yyyy-mm, inclusive). */
    readonly fromMonth: string;
    readonly toMonth: string;
    /** The decision it rests on (e.g. the reference of the Email-Weisung after BMAS approval); not personal. */
    readonly basis: string;
    readonly approvedByRole: string;
    readonly approvedOn: string;
  }
>;

/** Closed before its end: from then on no copy of it is shown. */
export type CrossLevelReviewClosed = DomainEvent<
  'CrossLevelReviewClosed',
  { readonly id: string; readonly basis: string; readonly closedByRole: string; readonly closedOn: string }
>;

export type CrossLevelReviewEvent = CrossLevelReviewApproved | CrossLevelReviewClosed;

export const CROSS_LEVEL_REVIEW_EVENT_SCHEMAS = {
  CrossLevelReviewApproved: 1,
  CrossLevelReviewClosed: 1,
} as const satisfies Record<CrossLevelReviewEvent['type'], number>;

export const crossLevelReviewStreamId = (id: string): string => `cross-level-review-${id}`;
