import type { MeasureKind, MeasureScope } from '../measure/measure.events.js';
import type { Severity } from '../review/review.events.js';
import type { DomainEvent } from '../shared/decider.js';
import type { Sealed } from '../shared/sealed.js';

/**
 * Retention (000:92): stored checklists are kept locked for 12 months and then destroyed. A review is
 * destroyed by crypto-shredding: its data key and its measures' keys are destroyed, its streams deleted,
 * its read documents removed. What outlives it is anonymous: a summary carrying exactly what the trend
 * cells and the quarterly figures need, and a record that the purge happened, without content.
 *
 * Streams:
 * - `legal-hold-<reviewId>`: a review kept past its retention for a recorded reason (reason sealed under
 *   the review's key, so the purge that follows the lifting blinds it too); deleted with the review.
 * - `purge-<reviewId>`: the purge record (no content, never deleted). Opened with `no_stream`, so asking
 *   twice starts one purge; a purge that met a legal hold ends `ReviewPurgeHeld` and may be started again.
 * - `retention-<tenant>`: the long-lived anonymous stream of summaries, one `RetentionSummaryRecorded`
 *   per purged review (at least once: a crash between the summary and the purge record's next step
 *   repeats it; every consumer folds it by review id, so a repeat changes nothing).
 */

export type LegalHoldPlaced = DomainEvent<
  'LegalHoldPlaced',
  { readonly reviewId: string; readonly tenant: string; readonly reason: Sealed; readonly placedOn: string }
>;

export type LegalHoldLifted = DomainEvent<
  'LegalHoldLifted',
  { readonly reviewId: string; readonly tenant: string; readonly reason: Sealed; readonly liftedOn: string }
>;

/**
 * The purge of the review has passed its legal-hold check and will destroy it: appended by the purge with
 * the hold stream's revision it checked, so a hold placed at the same moment either lands first (and the
 * purge stops) or is refused afterwards. Never both: no hold is ever accepted for a review being destroyed.
 */
export type LegalHoldClosedForPurge = DomainEvent<
  'LegalHoldClosedForPurge',
  { readonly reviewId: string; readonly tenant: string }
>;

export type LegalHoldEvent = LegalHoldPlaced | LegalHoldLifted | LegalHoldClosedForPurge;

/** Who started a purge: the daily job, the operator CLI or the operator endpoint. */
export type PurgeTrigger = 'daily-job' | 'cli' | 'operator';

export type ReviewPurgeStarted = DomainEvent<
  'ReviewPurgeStarted',
  {
    readonly reviewId: string;
    readonly tenant: string;
    /** Local date the retention ended (completion, or withdrawal, plus the programme's months). */
    readonly retentionEndedOn: string;
    readonly retentionMonths: number;
    /** Measure streams agreed following the review: destroyed with it. */
    readonly measureIds: readonly string[];
    readonly trigger: PurgeTrigger;
  }
>;

/** The purge met a legal hold and stopped before changing anything; it starts again once lifted. */
export type ReviewPurgeHeld = DomainEvent<'ReviewPurgeHeld', { readonly reviewId: string; readonly tenant: string }>;

/** The summary went to `retention-<tenant>` (its position, for auditors to find it). */
export type ReviewSummarised = DomainEvent<
  'ReviewSummarised',
  { readonly reviewId: string; readonly tenant: string; readonly summaryPosition: number | null }
>;

/** The record of a purge, without content: what went, when, on whose trigger. */
export type ReviewPurged = DomainEvent<
  'ReviewPurged',
  {
    readonly reviewId: string;
    readonly tenant: string;
    readonly measureIds: readonly string[];
    /** Streams removed (ids only); the chain verification reports them as purged, not missing. */
    readonly streamsDeleted: readonly string[];
    readonly keysDestroyed: number;
    readonly retentionEndedOn: string;
    readonly purgedAt: string;
  }
>;

export type PurgeEvent = ReviewPurgeStarted | ReviewPurgeHeld | ReviewSummarised | ReviewPurged;

/**
 * A population's pseudonyms and sealed case references go with the last review drawn from it: once
 * every review of its samples is purged, `purge-population-<populationId>` starts (no_stream: once) and
 * records the end, without content.
 */
export type PopulationPurgeStarted = DomainEvent<
  'PopulationPurgeStarted',
  {
    readonly populationId: string;
    readonly tenant: string;
    readonly programmeId: string;
    readonly month: string;
    /** The samples drawn from it (their read documents go too). */
    readonly sampleIds: readonly string[];
    readonly reviewsPurged: number;
    readonly trigger: PurgeTrigger;
  }
>;

export type PopulationPurged = DomainEvent<
  'PopulationPurged',
  {
    readonly populationId: string;
    readonly tenant: string;
    readonly sampleIds: readonly string[];
    /** The population stream and the sampling stream(s) drawn only from it. */
    readonly streamsDeleted: readonly string[];
    readonly keysDestroyed: number;
    readonly purgedAt: string;
  }
>;

export type PopulationPurgeEvent = PopulationPurgeStarted | PopulationPurged;

export interface SummaryDefect {
  readonly defectId: string;
  readonly category: string;
  readonly severity: Severity;
  readonly legalNorm: string | null;
  readonly financialLoss: boolean;
  readonly withdrawn: boolean;
}

export interface SummaryMeasure {
  readonly measureId: string;
  readonly areaId: string;
  readonly teamId: string;
  readonly kind: MeasureKind;
  readonly scope: MeasureScope;
  readonly status: 'open' | 'completed' | 'cancelled';
  readonly agreedOn: string;
  readonly dueDate: string;
  readonly closedOn: string | null;
}

/**
 * Everything the trend cells and the quarterly figures take from one review, and nothing that names a
 * person or a case: no case reference or pseudonym, no employee, no free text, no sealed value.
 */
export interface RetentionSummary {
  readonly reviewId: string;
  readonly tenant: string;
  readonly areaId: string;
  readonly teamId: string;
  /** Sample month (yyyy-mm). */
  readonly month: string;
  readonly programmeId: string;
  readonly questionnaireId: string;
  readonly questionnaireVersion: number;
  readonly deadline: string;
  readonly status: 'open' | 'completed' | 'withdrawn';
  readonly outcome: 'goal-directed' | 'not-goal-directed' | null;
  readonly completedOn: string | null;
  readonly defects: readonly SummaryDefect[];
  readonly talks: number;
  readonly teamDiscussions: number;
  readonly measuresAgreed: number;
  readonly measures: readonly SummaryMeasure[];
}

export type RetentionSummaryRecorded = DomainEvent<'RetentionSummaryRecorded', RetentionSummary>;

export const LEGAL_HOLD_EVENT_SCHEMAS = {
  LegalHoldPlaced: 1,
  LegalHoldLifted: 1,
  LegalHoldClosedForPurge: 1,
} as const satisfies Record<LegalHoldEvent['type'], number>;

export const PURGE_EVENT_SCHEMAS = {
  ReviewPurgeStarted: 1,
  ReviewPurgeHeld: 1,
  ReviewSummarised: 1,
  ReviewPurged: 1,
} as const satisfies Record<PurgeEvent['type'], number>;

export const POPULATION_PURGE_EVENT_SCHEMAS = {
  PopulationPurgeStarted: 1,
  PopulationPurged: 1,
} as const satisfies Record<PopulationPurgeEvent['type'], number>;

export const RETENTION_SUMMARY_SCHEMA = 1;

export const legalHoldStreamId = (reviewId: string): string => `legal-hold-${reviewId}`;
export const purgeStreamId = (reviewId: string): string => `purge-${reviewId}`;
export const populationPurgeStreamId = (populationId: string): string => `purge-population-${populationId}`;
export const retentionStreamId = (tenant: string): string => `retention-${tenant}`;
