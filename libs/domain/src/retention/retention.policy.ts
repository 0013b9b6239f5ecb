import { addMonthsToDate } from '../calendar/local-date.js';

/**
 * When a review's retention ends (000:92: kept for 12 months, then destroyed). The start point is our
 * choice (domain brief): the local date the review was completed, or withdrawn (a replaced case); an
 * open review is work in progress and is never due. The end is the same day `months` later (the last
 * day of the month when that day does not exist), and the review is due from the day after.
 */
export function retentionEndsOn(closedOn: string, months: number): string {
  if (!Number.isInteger(months) || months < 1) throw new RangeError('retention months must be a positive integer');
  return addMonthsToDate(closedOn, months);
}

/** Due on the first day after the retention ended (`today` and `endsOn` are yyyy-mm-dd local dates). */
export function isRetentionDue(endsOn: string, today: string): boolean {
  return today > endsOn;
}

export interface RetentionCandidate {
  readonly reviewId: string;
  readonly status: 'open' | 'completed' | 'withdrawn';
  /** Completion or withdrawal date (local), null while open. */
  readonly closedOn: string | null;
  readonly retentionMonths: number;
  readonly underLegalHold: boolean;
  /** A purge record already ended (`ReviewPurged`) or one is under way. */
  readonly purge: 'none' | 'started' | 'held' | 'purged';
}

export type RetentionVerdict =
  | { readonly due: true; readonly endsOn: string }
  | {
      readonly due: false;
      readonly reason: 'open' | 'not-yet' | 'legal-hold' | 'purge-under-way' | 'purged';
      readonly endsOn: string | null;
    };

/** Whether a review is to be purged today, and if not, why not. */
export function retentionVerdict(candidate: RetentionCandidate, today: string): RetentionVerdict {
  if (candidate.purge === 'purged') return { due: false, reason: 'purged', endsOn: null };
  if (candidate.status === 'open' || candidate.closedOn === null) return { due: false, reason: 'open', endsOn: null };
  const endsOn = retentionEndsOn(candidate.closedOn, candidate.retentionMonths);
  if (!isRetentionDue(endsOn, today)) return { due: false, reason: 'not-yet', endsOn };
  if (candidate.underLegalHold) return { due: false, reason: 'legal-hold', endsOn };
  if (candidate.purge === 'started') return { due: false, reason: 'purge-under-way', endsOn };
  return { due: true, endsOn };
}
