import type { Decider, DomainEvent } from '../../domain/src/shared/decider.js';
import type { EventStore, NewEvent } from '../../event-store/src/event-store.port.js';
import type { Clock, IdGenerator } from './clock.js';
import { NotFoundError, PreconditionFailedError } from './errors.js';
import { berlinDate } from './berlin-time.js';

/** Everything the pipeline needs to know about one aggregate type. */
export interface AggregateType<Command, State, Event extends DomainEvent> {
  readonly name: string;
  readonly decider: Decider<Command, State, Event>;
  /** Current schema version per event type. */
  readonly schemas: Readonly<Record<Event['type'], number>>;
  streamId(aggregateId: string): string;
}

export interface CommandContext {
  readonly tenant: string;
  readonly actor: { readonly userId: string; readonly role: string };
  readonly correlationId: string;
  readonly causationId: string | null;
}

export interface CommandRequest<Command> {
  readonly aggregateId: string;
  readonly command: Command;
  /** From `If-Match`: the revision the client last saw. A mismatch is refused before deciding. */
  readonly expectedRevision?: number;
  readonly context: CommandContext;
}

export interface CommandResult {
  readonly id: string;
  /** Stream revision after the command (the next `ETag`); null if the stream is still empty. */
  readonly revision: number | null;
  /** Global position of the last event written (for read-your-writes); null when nothing was written. */
  readonly position: number | null;
}

/**
 * The one command pipeline: read stream → fold → decide (pure) → append with the expected revision.
 * A concurrent writer between read and append makes the append fail (409), never a silent overwrite.
 */
export class CommandPipeline {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly rulesVersion: string,
  ) {}

  async execute<Command, State, Event extends DomainEvent>(
    aggregate: AggregateType<Command, State, Event>,
    request: CommandRequest<Command>,
  ): Promise<CommandResult> {
    const streamId = aggregate.streamId(request.aggregateId);
    const history = await this.store.readStream(streamId);
    const first = history[0];
    // Streams of another tenant do not exist for this caller (404, never a hint that they exist).
    if (first && first.metadata.tenant !== request.context.tenant)
      throw new NotFoundError(`${aggregate.name} ${request.aggregateId}`);
    const current = history.length > 0 ? history[history.length - 1]!.revision : null;
    if (request.expectedRevision !== undefined && request.expectedRevision !== current)
      throw new PreconditionFailedError(request.expectedRevision, current);

    let state = aggregate.decider.initialState();
    for (const event of history)
      state = aggregate.decider.evolve(state, { type: event.type, data: event.data } as Event);

    const instant = this.clock.now();
    const now = instant.toISOString();
    const decided = aggregate.decider.decide(request.command, state, {
      now,
      today: berlinDate(instant),
      actor: request.context.actor,
      tenant: request.context.tenant,
    });
    if (decided.length === 0) return { id: request.aggregateId, revision: current, position: null };

    const metadata = {
      occurredAt: now,
      actor: request.context.actor,
      tenant: request.context.tenant,
      correlationId: request.context.correlationId,
      causationId: request.context.causationId,
      rulesVersion: this.rulesVersion,
    };
    const newEvents: NewEvent[] = decided.map((event) => ({
      id: this.ids.next(),
      type: event.type,
      schemaVersion: aggregate.schemas[event.type as Event['type']],
      data: event.data,
      metadata,
    }));
    const appended = await this.store.append(streamId, newEvents, { expectedRevision: current ?? 'no_stream' });
    return { id: request.aggregateId, revision: appended.revision, position: appended.position };
  }
}
