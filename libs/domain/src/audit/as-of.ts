import type { Decider, DomainEvent } from '../shared/decider.js';

/**
 * Time travel for auditors: the state of one stream as of a revision or an instant, folded from the
 * events with the aggregate's own `evolve` (on purpose not from a read model: the record is the events).
 *
 * A time cut compares with `occurredAt`, the platform's time of the fact (set from the server clock when
 * the command arrived; `recordedAt` differs only by the append's latency). The cut takes the events up to
 * the first one after the instant and stops there, so a state never skips an event in the middle.
 */
export type AsOfCut =
  | { readonly kind: 'revision'; readonly revision: number }
  /** `at`: ISO 8601 in UTC with milliseconds (`2026-03-10T09:00:00.000Z`), as `occurredAt` is stored. */
  | { readonly kind: 'time'; readonly at: string };

export interface StreamEntry<Event> {
  readonly revision: number;
  readonly occurredAt: string;
  readonly event: Event;
}

export interface AsOfResult<State> {
  readonly state: State;
  /** Revision of the last event folded; null when none was (the stream did not exist yet). */
  readonly revision: number | null;
  readonly eventsApplied: number;
  /** The stream's current revision, for comparison. */
  readonly currentRevision: number | null;
  readonly lastOccurredAt: string | null;
}

/** The entries (in revision order) that the cut keeps. */
export function entriesAsOf<Entry extends { readonly revision: number; readonly occurredAt: string }>(
  entries: readonly Entry[],
  cut: AsOfCut,
): Entry[] {
  const kept: Entry[] = [];
  for (const entry of entries) {
    const within = cut.kind === 'revision' ? entry.revision <= cut.revision : entry.occurredAt <= cut.at;
    if (!within) break;
    kept.push(entry);
  }
  return kept;
}

export function foldAsOf<State, Event extends DomainEvent>(
  decider: Pick<Decider<unknown, State, Event>, 'initialState' | 'evolve'>,
  entries: readonly StreamEntry<Event>[],
  cut: AsOfCut,
): AsOfResult<State> {
  const kept = entriesAsOf(entries, cut);
  let state = decider.initialState();
  for (const entry of kept) state = decider.evolve(state, entry.event);
  const last = kept[kept.length - 1];
  return {
    state,
    revision: last?.revision ?? null,
    eventsApplied: kept.length,
    currentRevision: entries[entries.length - 1]?.revision ?? null,
    lastOccurredAt: last?.occurredAt ?? null,
  };
}
