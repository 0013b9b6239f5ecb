import type { Decider, DomainEvent } from '@pruefpfad/domain';
import { type EventStore, type NewEvent, WrongExpectedRevisionError } from '@pruefpfad/event-store';
import type { Clock, IdGenerator } from './clock.js';
import { NotFoundError, PreconditionFailedError } from './errors.js';
import { berlinDate } from './berlin-time.js';
import { readStreamState } from './stream-state.js';

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

/** A stream's folded state as of `revision`, remembered between commands. */
interface CachedState {
  readonly revision: number;
  readonly tenant: string;
  readonly state: unknown;
}

export interface CommandPipelineOptions {
  /** Streams whose folded state is kept in memory (LRU); 0 reads and folds every stream on every command. */
  readonly stateCacheSize?: number;
}

/**
 * How often a command is decided on a fresh read of its stream. Each time another writer appended between
 * the read and the append, the command is read again and decided anew on that writer's result (it
 * succeeds, or gets the domain's refusal); if the stream changed every time, `WrongExpectedRevisionError`
 * (409 CONCURRENCY_CONFLICT). A decision on the cached state comes first and is not counted.
 */
export const FRESH_READ_ATTEMPTS = 3;

/**
 * The one command pipeline: read stream → fold → decide (pure) → append with the expected revision.
 * A concurrent writer between read and append makes the append fail, never a silent overwrite: the
 * command is then read and decided again on the newer state (with `If-Match` that newer state fails the
 * precondition: 412), at most `FRESH_READ_ATTEMPTS` reads in all; after that it is refused (409).
 *
 * The folded state of recently used streams is cached with its revision, so a command usually skips the
 * read. That is safe because the append names the cached revision as the expected one: if anything
 * else wrote the stream meanwhile (another instance, a reactor), the append is refused, the entry is
 * dropped and the command runs once more on a fresh read.
 */
export class CommandPipeline {
  private readonly cache = new Map<string, CachedState>();
  private readonly cacheSize: number;

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly rulesVersion: string,
    options: CommandPipelineOptions = {},
  ) {
    this.cacheSize = options.stateCacheSize ?? 10_000;
  }

  async execute<Command, State, Event extends DomainEvent>(
    aggregate: AggregateType<Command, State, Event>,
    request: CommandRequest<Command>,
  ): Promise<CommandResult> {
    const streamId = aggregate.streamId(request.aggregateId);
    // Per aggregate type and stream: two types may fold the same stream into different states.
    const key = `${aggregate.name}\u0000${streamId}`;
    const cached = this.cache.get(key);
    if (cached) {
      try {
        return await this.decideAndAppend(aggregate, request, streamId, cached);
      } catch (error) {
        this.cache.delete(key);
        // Only a stale cache is retried; every other refusal is the command's answer.
        if (!(error instanceof WrongExpectedRevisionError) && !(error instanceof PreconditionFailedError)) throw error;
      }
    }
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.decideAndAppend(aggregate, request, streamId, await this.load(aggregate, streamId));
      } catch (error) {
        // Another writer appended between this read and the append: decide again on what it wrote.
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= FRESH_READ_ATTEMPTS) throw error;
      }
    }
  }

  private async load<Command, State, Event extends DomainEvent>(
    aggregate: AggregateType<Command, State, Event>,
    streamId: string,
  ): Promise<CachedState | null> {
    return readStreamState(this.store, { ...aggregate, streamId: () => streamId }, streamId);
  }

  private async decideAndAppend<Command, State, Event extends DomainEvent>(
    aggregate: AggregateType<Command, State, Event>,
    request: CommandRequest<Command>,
    streamId: string,
    loaded: CachedState | null,
  ): Promise<CommandResult> {
    // Streams of another tenant do not exist for this caller (404, never a hint that they exist).
    if (loaded && loaded.tenant !== request.context.tenant)
      throw new NotFoundError(`${aggregate.name} ${request.aggregateId}`);
    const current = loaded?.revision ?? null;
    if (request.expectedRevision !== undefined && request.expectedRevision !== current)
      throw new PreconditionFailedError(request.expectedRevision, current);
    const state = loaded ? (loaded.state as State) : aggregate.decider.initialState();

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
    let next = state;
    for (const event of decided) next = aggregate.decider.evolve(next, event);
    this.remember(`${aggregate.name}\u0000${streamId}`, {
      revision: appended.revision,
      tenant: request.context.tenant,
      state: next,
    });
    return { id: request.aggregateId, revision: appended.revision, position: appended.position };
  }

  private remember(key: string, entry: CachedState): void {
    if (this.cacheSize === 0) return;
    this.cache.delete(key);
    this.cache.set(key, entry);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
  }
}
