import type { DomainEvent } from '../shared/decider.js';
import type { Sealed } from '../shared/sealed.js';

/**
 * One review of one sampled case (verlaufsbezogene Betrachtung / Prüfung). Stream: `review-<reviewId>`.
 * Reviews belong to the team, not to a person. Every personal field (case reference, employee identity,
 * free text) is sealed under the review's data key `review:<reviewId>`.
 */
export type CaseSampled = DomainEvent<
  'CaseSampled',
  {
    readonly reviewId: string;
    readonly sampleId: string;
    readonly programmeId: string;
    readonly areaId: string;
    readonly teamId: string;
    readonly month: string;
    /**
     * The case's blind index (its pseudonym under the tenant's key, what a lookup by customer number
     * matches), sealed under the review's own key like the case reference: once the review is purged, no
     * copy of this event, backups included, links it to a customer number.
     */
    readonly casePseudonym: Sealed;
    readonly caseRef: Sealed;
    readonly customerGroup: string;
    readonly questionnaireId: string;
    readonly questionnaireVersion: number;
    readonly deadline: string;
    /** `draw`, `supplementary` or `replacement` (with the replaced review). */
    readonly origin: { readonly kind: 'draw' | 'supplementary' | 'replacement'; readonly replaces: string | null };
  }
>;

/** An answer value: clear for closed answer types, sealed for free text and dates tied to the case. */
export type AnswerValue =
  | { readonly kind: 'yes-no-na'; readonly value: 'yes' | 'no' | 'na' }
  | { readonly kind: 'goal-directed'; readonly value: 'goal-directed' | 'not-goal-directed' }
  | { readonly kind: 'sealed'; readonly value: Sealed };

export type AnswersRecorded = DomainEvent<
  'AnswersRecorded',
  {
    readonly reviewId: string;
    readonly answers: readonly { readonly questionId: string; readonly answer: AnswerValue }[];
    /** Deputy work is recorded as such. */
    readonly asDeputy: boolean;
  }
>;

/** The look-back of 12 months extended in the individual case, with the reason (002:40). */
export type LookBackExtended = DomainEvent<
  'LookBackExtended',
  { readonly reviewId: string; readonly months: number; readonly reason: Sealed; readonly asDeputy?: boolean }
>;

export type Severity = 'minor' | 'serious';

export type DefectRecorded = DomainEvent<
  'DefectRecorded',
  {
    readonly reviewId: string;
    readonly defectId: string;
    readonly questionId: string;
    readonly category: string;
    readonly severity: Severity;
    readonly legalNorm: string | null;
    readonly description: Sealed;
    /** A financial loss marks it for the procedure for established financial losses (VfV, 001:242). */
    readonly financialLoss: boolean;
    readonly asDeputy: boolean;
  }
>;

export type DefectWithdrawn = DomainEvent<
  'DefectWithdrawn',
  { readonly reviewId: string; readonly defectId: string; readonly reason: Sealed; readonly asDeputy?: boolean }
>;

export type ReviewCompleted = DomainEvent<
  'ReviewCompleted',
  {
    readonly reviewId: string;
    readonly outcome: 'goal-directed' | 'not-goal-directed';
    readonly summary: Sealed;
    readonly completedAt: string;
    /** Europe/Berlin local date of `completedAt` (retention and quarters count from it). */
    readonly completedOn?: string;
    readonly asDeputy: boolean;
  }
>;

/** After completion answers, defects and outcome are locked: corrections are new events with a reason. */
export type ReviewCorrected = DomainEvent<
  'ReviewCorrected',
  {
    readonly reviewId: string;
    readonly reason: Sealed;
    readonly outcome: 'goal-directed' | 'not-goal-directed' | null;
    readonly answers: readonly { readonly questionId: string; readonly answer: AnswerValue }[];
    readonly defects: readonly {
      readonly defectId: string;
      readonly severity: Severity;
      readonly category: string;
      readonly withdrawn: boolean;
    }[];
    readonly asDeputy?: boolean;
  }
>;

/** The one-on-one talk (4-Augen-Gespräch): date and outcome, never a transcript. */
export type TalkHeld = DomainEvent<
  'TalkHeld',
  {
    readonly reviewId: string;
    readonly date: string;
    readonly employee: Sealed;
    readonly outcome: Sealed;
    readonly asDeputy: boolean;
  }
>;

/** The case discussed anonymised in a team meeting (003:47, 000:90). */
export type TeamDiscussionHeld = DomainEvent<
  'TeamDiscussionHeld',
  { readonly reviewId: string; readonly date: string; readonly notes: Sealed | null; readonly asDeputy?: boolean }
>;

/**
 * The case was unsuitable and replaced by another drawn from the same seed. The reason is the one of
 * `CaseReplaced`, sealed under this review's key. Changed in place from a clear string without a schema
 * bump (the system is unreleased: no stored event has the old shape).
 */
export type ReviewWithdrawn = DomainEvent<
  'ReviewWithdrawn',
  { readonly reviewId: string; readonly reason: Sealed; readonly replacedBy: string | null }
>;

export type ReviewEvent =
  | CaseSampled
  | AnswersRecorded
  | LookBackExtended
  | DefectRecorded
  | DefectWithdrawn
  | ReviewCompleted
  | ReviewCorrected
  | TalkHeld
  | TeamDiscussionHeld
  | ReviewWithdrawn;

export const REVIEW_EVENT_SCHEMAS = {
  CaseSampled: 1,
  AnswersRecorded: 1,
  LookBackExtended: 1,
  DefectRecorded: 1,
  DefectWithdrawn: 1,
  ReviewCompleted: 1,
  ReviewCorrected: 1,
  TalkHeld: 1,
  TeamDiscussionHeld: 1,
  ReviewWithdrawn: 1,
} as const satisfies Record<ReviewEvent['type'], number>;

export const reviewStreamId = (reviewId: string): string => `review-${reviewId}`;
export const reviewKeyId = (reviewId: string): string => `review:${reviewId}`;
