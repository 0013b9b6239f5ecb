/**
 * An aggregate is a decider: three pure functions. Events are plain `{ type, data }` with literal
 * types; the pipeline adds ids, metadata and schema versions when it stores them. Time, ids and
 * randomness arrive through `DecisionContext`, never from the domain itself.
 */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

export interface DecisionContext {
  /** Server time when the command arrived (ISO 8601). */
  readonly now: string;
  /** The Europe/Berlin calendar date of `now` (`yyyy-mm-dd`): months, quarters and deadlines use it. */
  readonly today: string;
  readonly actor: { readonly userId: string; readonly role: string };
  readonly tenant: string;
}

export interface Decider<Command, State, Event extends DomainEvent> {
  readonly initialState: () => State;
  readonly evolve: (state: State, event: Event) => State;
  readonly decide: (command: Command, state: State, context: DecisionContext) => readonly Event[];
}

/** Folds a stream's events into state. */
export function fold<State, Event extends DomainEvent>(
  decider: Pick<Decider<unknown, State, Event>, 'initialState' | 'evolve'>,
  events: Iterable<Event>,
): State {
  let state = decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
