import type { AnswerValue, Sealed, Severity } from '@pruefpfad/domain';

/**
 * Read model `reviews`: one document per review, `_id` = reviewId: the worklist (this month, open,
 * overdue after the deadline), the review's detail and the source of per-team figures.
 */
export const REVIEWS = 'reviews';

export interface ReviewDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly tenant: string;
  readonly programmeId: string;
  readonly sampleId: string;
  readonly areaId: string;
  readonly teamId: string;
  /** Sample month, yyyy-mm. */
  readonly month: string;
  /** Sealed under the review's key (see `CaseSampled`): a lookup by customer number opens and compares it. */
  readonly casePseudonym: Sealed;
  readonly caseRef: Sealed;
  readonly customerGroup: string;
  readonly questionnaireId: string;
  readonly questionnaireVersion: number;
  readonly deadline: string;
  readonly status: 'open' | 'completed' | 'withdrawn';
  readonly outcome: 'goal-directed' | 'not-goal-directed' | null;
  readonly completedOn: string | null;
  readonly answers: Readonly<Record<string, AnswerValue>>;
  readonly defects: readonly {
    readonly defectId: string;
    readonly questionId: string;
    readonly category: string;
    readonly severity: Severity;
    readonly legalNorm: string | null;
    readonly financialLoss: boolean;
    readonly description: Sealed;
    readonly withdrawn: boolean;
    readonly withdrawalReason: Sealed | null;
    readonly recordedAt: string;
    readonly asDeputy: boolean;
  }[];
  readonly talks: readonly {
    readonly date: string;
    readonly employee: Sealed;
    readonly outcome: Sealed;
    readonly asDeputy: boolean;
  }[];
  readonly teamDiscussions: readonly {
    readonly date: string;
    readonly notes: Sealed | null;
    readonly asDeputy: boolean;
  }[];
  readonly summary: Sealed | null;
  /** The standard look-back (002:40) until an extension is recorded with its reason. */
  readonly lookBackMonths: number;
  readonly lookBackReason: Sealed | null;
  /** Any event of the review recorded as deputy work. */
  readonly deputyWork: boolean;
  readonly streamRevision: number;
  /** `draw`, `supplementary` or `replacement` (with the replaced review). */
  readonly origin: { readonly kind: 'draw' | 'supplementary' | 'replacement'; readonly replaces: string | null };
  readonly openedAt: string;
  readonly updatedAt: string;
  readonly completedAt: string | null;
  /** Corrections after completion, each with its reason (the locked record is never edited in place). */
  readonly corrections: readonly { readonly at: string; readonly reason: Sealed; readonly asDeputy: boolean }[];
  /** Set when the case was unsuitable and replaced by another review. */
  readonly withdrawal: { readonly reason: Sealed; readonly replacedBy: string | null; readonly at: string } | null;
}
