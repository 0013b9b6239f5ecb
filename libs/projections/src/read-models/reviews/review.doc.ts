import type { AnswerValue, Severity } from '../../../../domain/src/review/review.events.js';
import type { Sealed } from '../../../../domain/src/shared/sealed.js';

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
  readonly casePseudonym: string;
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
  }[];
  readonly talks: readonly { readonly date: string; readonly employee: Sealed; readonly outcome: Sealed }[];
  readonly teamDiscussions: readonly { readonly date: string }[];
  readonly summary: Sealed | null;
  readonly lookBackMonths: number;
  readonly deputyWork: boolean;
  readonly streamRevision: number;
}
