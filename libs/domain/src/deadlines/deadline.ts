import type { Action, Resource } from '../authorization/authorization.policy.js';
import { decide } from '../authorization/authorization.policy.js';
import type { Principal } from '../authorization/roles.js';
import { addDays } from '../calendar/local-date.js';

/**
 * One deadline of the calendar. Derived from read models each time it is asked for, never stored by
 * hand: a deadline disappears when the thing it waits for happens (a sample drawn, a review completed,
 * a report submitted), because the read model no longer yields it.
 *
 * It carries no personal data and no case data: a kind, the id of the thing (review id, measure id,
 * programme id …), the date, and who is responsible: whoever the one authorisation policy lets perform
 * `action` on `resource` (the team lead of the team for a review, the drawing role for a draw, the
 * legal department for its report). That is the inbox's whole visibility rule, so an inbox can never show
 * another team's deadline.
 */
export interface Deadline {
  /** Stable kind, e.g. `review`, `draw`, `risk-recheck` (one per deadline source). */
  readonly kind: string;
  /** Id of the thing it is about, unique within the kind (no personal data, no case reference). */
  readonly ref: string;
  /** Europe/Berlin local date (yyyy-mm-dd) by which it must be done; it is overdue from the day after. */
  readonly dueDate: string;
  /** The action whoever is responsible performs; decides who sees it. */
  readonly action: Action;
  /** Tenant, unit and parent units of the thing (what the policy's scopes reach). */
  readonly resource: Resource;
  /** Path of the API resource it is about (for the web application), e.g. `/api/v1/reviews/<id>`. */
  readonly path: string;
}

export type DeadlineStatus = 'due' | 'overdue';

/** Due up to and including its due date; overdue exactly from the day after (Europe/Berlin dates). */
export const deadlineStatus = (dueDate: string, today: string): DeadlineStatus => (today > dueDate ? 'overdue' : 'due');

/** Whether the principal is responsible for the deadline (may perform its action on its resource). */
export const isResponsible = (principal: Principal, deadline: Deadline): boolean =>
  decide(principal, deadline.action, deadline.resource).allowed;

/**
 * What an inbox shows: overdue deadlines and those due within `horizonDays` from today (0: due today),
 * earliest first; ties by kind and ref so the order is stable.
 */
export function inboxDeadlines(
  deadlines: readonly Deadline[],
  principal: Principal,
  today: string,
  horizonDays: number,
): (Deadline & { readonly status: DeadlineStatus })[] {
  const last = addDays(today, horizonDays);
  return deadlines
    .filter((deadline) => deadline.dueDate <= last && isResponsible(principal, deadline))
    .map((deadline) => ({ ...deadline, status: deadlineStatus(deadline.dueDate, today) }))
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.kind.localeCompare(b.kind) || a.ref.localeCompare(b.ref));
}

export interface DeadlineCount {
  readonly kind: string;
  readonly due: number;
  readonly overdue: number;
}

/** Counts per kind (sorted by kind): all an e-mail digest may carry. */
export function countByKind(deadlines: readonly { readonly kind: string; readonly status: DeadlineStatus }[]) {
  const counts = new Map<string, { due: number; overdue: number }>();
  for (const deadline of deadlines) {
    const count = counts.get(deadline.kind) ?? { due: 0, overdue: 0 };
    count[deadline.status] += 1;
    counts.set(deadline.kind, count);
  }
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, count]): DeadlineCount => ({ kind, ...count }));
}
