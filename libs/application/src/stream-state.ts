import type { DomainEvent } from '../../domain/src/shared/decider.js';
import type { EventStore } from '../../event-store/src/event-store.port.js';
import type { AggregateType } from './command-pipeline.js';

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
export async function readStreamState<Command, State, Event extends DomainEvent>(
  store: EventStore,
  aggregate: AggregateType<Command, State, Event>,
  aggregateId: string,
): Promise<StreamState<State> | null> {
  const history = await store.readStream(aggregate.streamId(aggregateId));
  const first = history[0];
  if (!first) return null;
  let state = aggregate.decider.initialState();
  for (const event of history) state = aggregate.decider.evolve(state, { type: event.type, data: event.data } as Event);
  return { state, revision: history[history.length - 1]!.revision, tenant: first.metadata.tenant };
}
