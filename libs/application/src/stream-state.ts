import type { DomainEvent } from '@pruefpfad/domain';
import type { EventStore } from '@pruefpfad/event-store';

/** An aggregate's state folded from its stream: the facts a decision reads, never a read model's copy. */
export interface StreamState<State> {
  readonly state: State;
  /** Revision of the last event folded (the stream's ETag). */
  readonly revision: number;
  /** Tenant of the stream (its first event's): callers of another tenant must get 404, not the state. */
  readonly tenant: string;
}

/**
 * Reads and folds one aggregate's stream; null when it does not exist. Decisions that write take their
 * facts from here (or wait for the read model's position): a read model may not have seen the write
 * the caller made a moment ago.
 */
export async function readStreamState<State, Event extends DomainEvent>(
  store: EventStore,
  aggregate: Pick<StreamFold<State, Event>, 'streamId' | 'decider'>,
  aggregateId: string,
): Promise<StreamState<State> | null> {
  const history = await store.readStream(aggregate.streamId(aggregateId));
  const first = history[0];
  if (!first) return null;
  let state = aggregate.decider.initialState();
  for (const event of history) state = aggregate.decider.evolve(state, { type: event.type, data: event.data } as Event);
  return { state, revision: history[history.length - 1]!.revision, tenant: first.metadata.tenant };
}

/** What `StreamStates` folds: a stream per id and a fold (an aggregate's decider is one). */
export interface StreamFold<State, Event extends DomainEvent> {
  /** Distinguishes folds of the same stream in the cache (an aggregate's name). */
  readonly name: string;
  streamId(aggregateId: string): string;
  readonly decider: { initialState(): State; evolve(state: State, event: Event): State };
}

/**
 * Folded states of long-lived streams (organisation, programmes, questionnaires) kept between decisions.
 * Every read catches up with what was appended since it was folded (one read from the next revision,
 * usually empty), so a decision always sees the stream's latest event, whoever appended it, without
 * folding the whole history again (an organisation's stream grows with every absence ever recorded).
 * Not for streams a retention purge deletes: a deleted stream would read as "nothing new" here; fold
 * those with `readStreamState`.
 */
/** What a decision needs to read a long-lived stream's folded state (a `StreamStates`, or a test's fake). */
export type StreamReader = Pick<StreamStates, 'read'>;

export class StreamStates {
  private readonly cache = new Map<string, StreamState<unknown>>();

  constructor(
    private readonly store: EventStore,
    private readonly capacity = 1_000,
  ) {}

  async read<State, Event extends DomainEvent>(
    fold: StreamFold<State, Event>,
    aggregateId: string,
  ): Promise<StreamState<State> | null> {
    const streamId = fold.streamId(aggregateId);
    const key = `${fold.name}\u0000${streamId}`;
    const cached = this.cache.get(key) as StreamState<State> | undefined;
    const events = await this.store.readStream(
      streamId,
      cached === undefined ? {} : { fromRevision: cached.revision + 1 },
    );
    let next: StreamState<State> | null = cached ?? null;
    for (const event of events) {
      next = {
        state: fold.decider.evolve(next?.state ?? fold.decider.initialState(), {
          type: event.type,
          data: event.data,
        } as Event),
        revision: event.revision,
        tenant: next?.tenant ?? event.metadata.tenant,
      };
    }
    if (next === null) return null;
    // Reads may overlap: never replace a state with an older one.
    const current = this.cache.get(key);
    this.cache.delete(key);
    this.cache.set(key, current !== undefined && current.revision > next.revision ? current : next);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
    return next;
  }
}
