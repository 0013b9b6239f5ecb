import {
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START,
  StreamDeletedError as KurrentStreamDeletedError,
  StreamNotFoundError as KurrentStreamNotFoundError,
  StreamTombstonedError as KurrentStreamTombstonedError,
  WrongExpectedVersionError as KurrentWrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendStreamState,
  type Filter,
  type JSONEventType,
  type Position,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { validateAppend } from '../append-validation.js';
import { canonicalJson } from '../canonical-json.js';
import {
  EventStoreClosedError,
  InvalidAppendError,
  StreamDeletedError,
  WrongExpectedRevisionError,
} from '../errors.js';
import type {
  AppendOptions,
  AppendResult,
  ChainVerification,
  EventFilter,
  EventMetadata,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  RecordedEvent,
  StreamInfo,
  SubscribeOptions,
  Subscription,
} from '../event-store.port.js';
import { CHAIN_GENESIS, chainLink } from '../hmac-chain.js';
import { UpcasterRegistry } from '../upcasting.js';
import { KurrentSubscription } from './kurrentdb-subscription.js';

/**
 * Server versions: KurrentDB 26.0 LTS (the contract suite runs against the pinned 26.0.3 image) and
 * 25.x; EventStoreDB 24.10 LTS speaks the same gRPC protocol. Servers before 22.6 do not return
 * positions on stream reads and are refused at the first read.
 */
export interface KurrentDbEventStoreOptions {
  /** e.g. `kurrentdb://admin:changeit@node1:2113,node2:2113,node3:2113?tls=true` (the store owns the client). */
  readonly connectionString?: string;
  /** Or a client the caller owns and disposes. */
  readonly client?: KurrentDBClient;
  /** HMAC key of the per-stream chains (the key store's `system:chain` key). */
  readonly chainKey: Uint8Array;
  readonly upcasters?: UpcasterRegistry;
  /** How often an `expectedRevision: 'any'` append re-reads the stream head after losing a race (default 50). */
  readonly maxAnyRetries?: number;
}

/**
 * What this adapter keeps in KurrentDB's event metadata (JSON). `$correlationId` and `$causationId` are
 * KurrentDB's own conventions (its `$by_correlation_id` projection reads them); our metadata travels
 * whole under `metadata`, so the chain covers exactly what the caller appended.
 */
interface StoredMetadata {
  readonly $correlationId?: string;
  readonly $causationId?: string;
  readonly schemaVersion: number;
  readonly chain: string;
  readonly metadata: EventMetadata;
}

/** An event as stored, before upcasting: what the chain covers. */
interface RawEvent {
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  readonly chain: string;
  readonly recordedAt: string;
}

/** The stream head an append builds on. */
interface Predecessor {
  readonly state: AppendStreamState;
  readonly revision: number | null;
  readonly chain: string;
}

const MAX_UINT64 = 0xffff_ffff_ffff_ffffn;

/**
 * The `EventStore` port over KurrentDB through `@kurrent/kurrentdb-client` (gRPC).
 *
 * - Types and ids: the event's type string is KurrentDB's event type, our UUIDv7 is KurrentDB's event
 *   id (so KurrentDB's own idempotence check recognises a retried append), data is the JSON body.
 *   Schema version, chain value and our metadata live in KurrentDB's event metadata (`StoredMetadata`).
 * - Positions are KurrentDB commit positions. For events written through gRPC each event is its own
 *   committed record, so its commit position equals its prepare position and both are its log offset
 *   (KurrentDB `AllReader`: `new CommitEventRecord(eventRecord, prepare.LogPosition)`); an event's
 *   position is therefore unique, strictly increasing in log order, and (c, c) addresses it exactly.
 *   Values beyond 2^53 are refused rather than rounded.
 * - `$all` reads start AT their position (the server compares `>= pos`), so `readAll` asks for one event
 *   more and drops everything at or before `after`; subscriptions start AFTER their position
 *   (documented: "The positions provided to the subscriptions are exclusive").
 * - System events (types or streams starting with `$`: projections' links, stream metadata, tombstones,
 *   statistics) are never delivered; appends of such names are refused.
 * - Chain: an append reads the predecessor's chain value, links its events and appends with that exact
 *   revision, so no other writer can slip in between; `'any'` retries with the new head after losing.
 * - Retention: `deleteStream` tombstones (hard-deletes) the stream. A soft delete (`deleteStream` in
 *   the client) would let a later append silently recreate the stream and bring back truncated events'
 *   numbering; a tombstone makes every later append fail (what the port promises) and can never be
 *   undone, which is right for a purged review. Either way the bytes stay in the log until a scavenge
 *   (`POST /admin/scavenge`, operator task) rewrites the completed chunks; until then `$all` still returns
 *   the purged events, so the personal data in them is protected by destroying the review's key first
 *   (crypto-shredding), and rebuilds skip purged reviews (see the architecture notes).
 * - Group commit is the server's business: concurrent appends are pipelined over one HTTP/2 channel.
 */
export class KurrentDbEventStore implements EventStore {
  /** A tombstoned stream's events stay in `$all` until a scavenge rewrites the chunks. */
  readonly returnsDeletedEvents = true;
  private readonly upcasters: UpcasterRegistry;
  private readonly chainKey: Uint8Array;
  private readonly maxAnyRetries: number;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly subscriptions = new Set<KurrentSubscription>();
  private closed = false;

  private constructor(
    private readonly client: KurrentDBClient,
    private readonly ownsClient: boolean,
    options: KurrentDbEventStoreOptions,
  ) {
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.chainKey = Uint8Array.from(options.chainKey);
    this.maxAnyRetries = options.maxAnyRetries ?? 50;
  }

  /** Connects lazily (the client dials on first use); fails fast on a malformed connection string. */
  static open(options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
    return new Promise((resolve) => {
      if (!options.client === !options.connectionString) {
        throw new Error('KurrentDbEventStore: pass exactly one of `connectionString` and `client`');
      }
      if (options.chainKey.byteLength < 32) throw new RangeError('The chain key needs at least 32 bytes');
      const ownsClient = options.client === undefined;
      const client = options.client ?? KurrentDBClient.connectionString(options.connectionString!);
      resolve(new KurrentDbEventStore(client, ownsClient, options));
    });
  }

  append(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    return this.track(async () => {
      this.assertOpen();
      validateAppend(streamId, events, options);
      assertUserName(streamId, 'stream id');
      for (const event of events) assertUserName(event.type, 'event type');
      // The chain covers the values as they read back from JSON (a Date becomes a string, an
      // `undefined` member disappears), so the event is normalised exactly once, here.
      const normalised = events.map((event, index) => ({
        ...event,
        data: jsonRoundTrip(event.data, `${streamId} event #${index} data`),
        metadata: jsonRoundTrip(event.metadata, `${streamId} event #${index} metadata`) as EventMetadata,
      }));
      const expected = options.expectedRevision;
      for (let attempt = 0; ; attempt += 1) {
        const predecessor = await this.predecessor(streamId, expected, normalised);
        if ('done' in predecessor) return predecessor.done;
        try {
          return await this.appendAfter(streamId, normalised, predecessor);
        } catch (error) {
          if (error instanceof KurrentWrongExpectedVersionError) {
            if (expected === 'any' && attempt < this.maxAnyRetries) continue;
            // A tombstoned stream must answer "deleted" whatever revision the caller expected.
            await this.readRaw(
              streamId,
              { direction: 'backwards', maxCount: 1 },
              { leader: true, deletedThrows: true },
            );
            throw new WrongExpectedRevisionError(streamId, expected, revisionOf(error.actualState));
          }
          throw translate(error, streamId);
        }
      }
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const raw = await this.readRaw(streamId, options);
    return raw.map((event) => this.upcast(event));
  }

  async streamInfo(streamId: string): Promise<StreamInfo> {
    this.assertOpen();
    const [last] = await this.readRaw(streamId, { direction: 'backwards', maxCount: 1 });
    return { streamId, revision: last?.revision ?? null };
  }

  async readAll(options: ReadAllOptions): Promise<ReadAllPage> {
    this.assertOpen();
    return this.readAllPage(options.after ?? 0, options.maxCount, options.filter);
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    this.assertOpen();
    const batchSize = options.batchSize ?? 1000;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
    const filter = options.filter;
    const subscription = new KurrentSubscription(
      {
        readPage: (after, maxCount) => this.readAllPage(after, maxCount, filter),
        subscribeLive: (after, onCheckpoint) => this.subscribeLive(after, filter, onCheckpoint),
        accept: (resolved) => this.acceptFromAll(resolved, filter),
        onClose: (closing) => this.subscriptions.delete(closing),
      },
      options.after,
      { batchSize, progressIntervalMs: options.progressIntervalMs },
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  deleteStream(streamId: string): Promise<void> {
    return this.track(async () => {
      this.assertOpen();
      try {
        await this.client.tombstoneStream(streamId, { requiresLeader: true });
      } catch (error) {
        // Already tombstoned: the purge is done (a retried purge must not fail here).
        if (error instanceof KurrentStreamDeletedError || error instanceof KurrentStreamTombstonedError) return;
        throw error;
      }
    });
  }

  async verifyStream(streamId: string): Promise<ChainVerification> {
    this.assertOpen();
    const raw = await this.readRaw(streamId, {});
    let previous = CHAIN_GENESIS;
    for (const [index, event] of raw.entries()) {
      const broken = (reason: string): ChainVerification => ({
        streamId,
        ok: false,
        eventsChecked: index + 1,
        brokenAt: { revision: event.revision, position: event.position, reason },
      });
      if (event.revision !== index)
        return broken(`expected revision ${index}, found ${event.revision}: events are missing`);
      const expected = chainLink(this.chainKey, previous, chainInput(streamId, event));
      if (expected !== event.chain) return broken('chain value does not match the event and its predecessor');
      previous = event.chain;
    }
    return { streamId, ok: true, eventsChecked: raw.length };
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    // Backwards from the end, system events filtered out by the server; the loop only guards against
    // a user-typed event in a `$` stream (e.g. written by a user projection).
    let from: Position | typeof END = END;
    for (;;) {
      const batch: AllStreamResolvedEvent[] = await collect(
        this.client.readAll({ direction: BACKWARDS, fromPosition: from, maxCount: 8, filter: excludeSystemEvents() }),
      );
      for (const resolved of batch) {
        const event = resolved.event;
        if (event && !event.streamId.startsWith('$')) return toNumber(event.position.commit, 'commit position');
      }
      const last: AllStreamResolvedEvent['event'] = batch.at(-1)?.event;
      if (batch.length < 8 || !last) return 0;
      // A backwards read from an event's position returns the events that end at or before it, i.e.
      // continues with the one before (KurrentDB `AllReader`: post-position <= start).
      from = last.position;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    await Promise.allSettled([...this.subscriptions].map((subscription) => subscription.close()));
    if (this.ownsClient) await this.client.dispose();
  }

  // --- append -------------------------------------------------------------------------------------

  /**
   * The head this append builds on, or `done` when the events are already in the stream (a retried
   * `'any'` append whose first attempt succeeded; `'no_stream'` and exact revisions are recognised by
   * KurrentDB itself because the same event ids meet the same expected revision).
   */
  private async predecessor(
    streamId: string,
    expected: AppendOptions['expectedRevision'],
    events: readonly NewEvent[],
  ): Promise<Predecessor | { done: AppendResult }> {
    // Nothing to read: an existing stream makes the server answer "wrong expected version".
    if (expected === 'no_stream') return { state: NO_STREAM, revision: null, chain: CHAIN_GENESIS };
    if (expected === 'any') {
      const tail = await this.readRaw(
        streamId,
        { direction: 'backwards', maxCount: events.length },
        { leader: true, deletedThrows: true },
      );
      const last = tail[0];
      if (!last) return { state: NO_STREAM, revision: null, chain: CHAIN_GENESIS };
      const tailIds = tail.map((event) => event.id).reverse();
      if (tailIds.length === events.length && tailIds.every((id, index) => id === events[index]!.id.toLowerCase())) {
        return { done: { streamId, revision: last.revision, position: last.position } };
      }
      return { state: BigInt(last.revision), revision: last.revision, chain: last.chain };
    }
    const [at] = await this.readRaw(
      streamId,
      { direction: 'forwards', fromRevision: expected, maxCount: 1 },
      { leader: true, deletedThrows: true },
    );
    if (!at || at.revision !== expected) {
      const info = await this.readRaw(
        streamId,
        { direction: 'backwards', maxCount: 1 },
        { leader: true, deletedThrows: true },
      );
      throw new WrongExpectedRevisionError(streamId, expected, info[0]?.revision ?? null);
    }
    return { state: BigInt(expected), revision: expected, chain: at.chain };
  }

  private async appendAfter(
    streamId: string,
    events: readonly NewEvent[],
    predecessor: Predecessor,
  ): Promise<AppendResult> {
    const first = predecessor.revision === null ? 0 : predecessor.revision + 1;
    let previous = predecessor.chain;
    const proposed = events.map((event, index) => {
      const chain = chainLink(this.chainKey, previous, chainInput(streamId, { ...event, revision: first + index }));
      previous = chain;
      const stored: StoredMetadata = {
        $correlationId: event.metadata.correlationId,
        ...(event.metadata.causationId === null ? {} : { $causationId: event.metadata.causationId }),
        schemaVersion: event.schemaVersion,
        chain,
        metadata: event.metadata,
      };
      return jsonEvent<JSONEventType>({
        id: event.id,
        type: event.type,
        // JSONType covers objects, arrays and strings; numbers, booleans and null serialise the same way.
        data: event.data as JSONEventType['data'],
        metadata: stored,
      });
    });
    const result = await this.client.appendToStream(streamId, proposed, {
      streamState: predecessor.state,
      requiresLeader: true,
    });
    const revision = toNumber(result.nextExpectedRevision, 'revision');
    if (revision !== first + events.length - 1) {
      throw new Error(`KurrentDB answered revision ${revision} for ${streamId}, expected ${first + events.length - 1}`);
    }
    return {
      streamId,
      revision,
      position: await this.positionOfAppend(streamId, revision, events.length, result.position),
    };
  }

  /**
   * The append answer's position is the position of a one-event append's event; for several events
   * (or an idempotent repeat, which answers without one) the last event's position is read back.
   */
  private async positionOfAppend(
    streamId: string,
    revision: number,
    count: number,
    position: Position | undefined,
  ): Promise<number> {
    if (count === 1 && position && position.commit !== MAX_UINT64) return toNumber(position.commit, 'commit position');
    const [last] = await this.readRaw(streamId, { fromRevision: revision, maxCount: 1 }, { leader: true });
    if (!last || last.revision !== revision)
      throw new Error(`Event ${revision} of ${streamId} not readable after its append`);
    return last.position;
  }

  // --- reading ------------------------------------------------------------------------------------

  private async readRaw(
    streamId: string,
    options: ReadStreamOptions,
    how: { leader?: boolean; deletedThrows?: boolean } = {},
  ): Promise<RawEvent[]> {
    const direction = options.direction === 'backwards' ? BACKWARDS : FORWARDS;
    const from =
      options.fromRevision === undefined ? (direction === BACKWARDS ? END : START) : BigInt(options.fromRevision);
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    try {
      const resolved = await collect(
        this.client.readStream(streamId, {
          direction,
          fromRevision: from,
          maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
          requiresLeader: how.leader ?? false,
        }),
      );
      return resolved.map((entry) => {
        const raw = toRaw(entry);
        if (raw === null) throw new Error(`Event in ${streamId} was not written by this adapter`);
        return raw;
      });
    } catch (error) {
      if (error instanceof KurrentStreamNotFoundError) return [];
      if (error instanceof KurrentStreamDeletedError || error instanceof KurrentStreamTombstonedError) {
        if (how.deletedThrows) throw new StreamDeletedError(streamId);
        return [];
      }
      throw error;
    }
  }

  private async readAllPage(after: number, maxCount: number, filter: EventFilter | undefined): Promise<ReadAllPage> {
    if (!Number.isSafeInteger(after) || after < 0) throw new RangeError('after must be an integer >= 0');
    if (!Number.isSafeInteger(maxCount) || maxCount < 1) throw new RangeError('maxCount must be a positive integer');
    // Everything at or before the head seen now is examined by the read below (it reaches the end or
    // stops at maxCount), so at the end of the store the page may report the head as its last position
    // even when the filter kept nothing: a checkpoint moves on through filtered-out regions.
    const head = await this.headPosition();
    // The read starts AT `after` (inclusive): one extra event makes up for the one dropped.
    const requested = after > 0 ? maxCount + 1 : maxCount;
    const raw = await collect(
      this.client.readAll({
        direction: FORWARDS,
        fromPosition: after > 0 ? toPosition(after) : START,
        maxCount: requested,
        filter: serverFilter(filter),
      }),
    );
    const events: RecordedEvent[] = [];
    let lastPosition = after;
    let consumed = 0;
    for (const resolved of raw) {
      if (events.length === maxCount) break;
      consumed += 1;
      const position = resolved.event ? toNumber(resolved.event.position.commit, 'commit position') : lastPosition;
      if (position <= after) continue;
      lastPosition = Math.max(lastPosition, position);
      const event = this.acceptFromAll(resolved, filter);
      if (event) events.push(event);
    }
    const isEnd = raw.length < requested && consumed === raw.length;
    return { events, lastPosition: isEnd ? Math.max(lastPosition, head) : lastPosition, isEnd };
  }

  /**
   * The live tail. `checkpointReached` passes on the server's filter checkpoints (client docs: "a
   * callback invoked and awaited when a checkpoint is reached"; `checkpointInterval` 1 x the server's
   * default search window of 32 = one after every 32 events examined). Only a checkpoint whose commit
   * and prepare positions are equal is passed on: that addresses one record exactly (every event
   * appended over gRPC is such a record, see the class comment), so a later read or subscription can
   * start from it; any other is skipped (the next one, or the quiet-stream probe, covers its stretch).
   */
  private subscribeLive(
    after: number,
    filter: EventFilter | undefined,
    onCheckpoint: (position: number, unreadBefore: number) => void,
  ): AllStreamSubscription {
    return this.client.subscribeToAll({
      fromPosition: after > 0 ? toPosition(after) : START,
      filter: serverFilter(filter, {
        checkpointInterval: 1,
        checkpointReached: (subscription, position) => {
          if (position.commit !== position.prepare || position.commit > BigInt(Number.MAX_SAFE_INTEGER)) return;
          onCheckpoint(Number(position.commit), subscription.readableLength);
        },
      }),
    });
  }

  /** Client-side half of the filter (the server's covers one condition), plus conversion and upcasting. */
  private acceptFromAll(resolved: AllStreamResolvedEvent, filter: EventFilter | undefined): RecordedEvent | null {
    const event = resolved.event;
    if (!event || event.type.startsWith('$') || event.streamId.startsWith('$')) return null;
    if (filter?.eventTypes && !filter.eventTypes.includes(event.type)) return null;
    if (filter?.streamPrefixes && !filter.streamPrefixes.some((prefix) => event.streamId.startsWith(prefix)))
      return null;
    // Events other clients wrote into $all (no envelope of ours) are not part of this store.
    const raw = toRaw(resolved);
    return raw === null ? null : this.upcast(raw);
  }

  private upcast(raw: RawEvent): RecordedEvent {
    const { schemaVersion, data } = this.upcasters.upcast(raw.type, raw.schemaVersion, raw.data);
    return {
      id: raw.id,
      type: raw.type,
      schemaVersion,
      data,
      metadata: raw.metadata,
      streamId: raw.streamId,
      revision: raw.revision,
      position: raw.position,
      recordedAt: raw.recordedAt,
      chain: raw.chain,
    };
  }

  // --- lifecycle ----------------------------------------------------------------------------------

  private track<T>(work: () => Promise<T>): Promise<T> {
    const promise = (async () => work())();
    this.inFlight.add(promise);
    const forget = () => this.inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreClosedError();
  }
}

/** How a live subscription hears of the server's filter checkpoints. */
interface CheckpointOptions {
  readonly checkpointInterval: number;
  readonly checkpointReached: NonNullable<Filter['checkpointReached']>;
}

/** The server-side filter: one condition (event types if given, else stream prefixes, else "no system events"). */
function serverFilter(filter: EventFilter | undefined, checkpoints?: CheckpointOptions): Filter {
  // Prefix filters, checked exactly on the client: no regular-expression dialect to get wrong.
  if (filter?.eventTypes?.length) return eventTypeFilter({ prefixes: [...filter.eventTypes], ...checkpoints });
  if (filter?.streamPrefixes?.length) return streamNameFilter({ prefixes: [...filter.streamPrefixes], ...checkpoints });
  return excludeSystemEvents({ ...checkpoints });
}

function chainInput(
  streamId: string,
  event: Pick<RawEvent, 'revision' | 'id' | 'type' | 'schemaVersion' | 'data' | 'metadata'>,
) {
  return {
    streamId,
    revision: event.revision,
    id: event.id.toLowerCase(),
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
  };
}

function toRaw(resolved: ResolvedEvent | AllStreamResolvedEvent): RawEvent | null {
  const event = resolved.event;
  if (!event || !event.isJson) return null;
  const stored = event.metadata as Partial<StoredMetadata> | undefined;
  if (
    stored === undefined ||
    stored === null ||
    typeof stored !== 'object' ||
    typeof stored.schemaVersion !== 'number' ||
    typeof stored.chain !== 'string' ||
    stored.metadata === null ||
    typeof stored.metadata !== 'object'
  ) {
    return null;
  }
  if (!event.position) throw new Error('KurrentDB returned an event without its position (server older than 22.6?)');
  return {
    streamId: event.streamId,
    revision: toNumber(event.revision, 'revision'),
    position: toNumber(event.position.commit, 'commit position'),
    id: event.id.toLowerCase(),
    type: event.type,
    schemaVersion: stored.schemaVersion,
    data: event.data,
    metadata: stored.metadata,
    chain: stored.chain,
    recordedAt: event.created.toISOString(),
  };
}

function toPosition(position: number): Position {
  const value = BigInt(position);
  return { commit: value, prepare: value };
}

function toNumber(value: bigint, what: string): number {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER))
    throw new RangeError(`KurrentDB ${what} ${value} does not fit a JS number`);
  return Number(value);
}

function revisionOf(state: bigint | 'no_stream'): number | null {
  return state === NO_STREAM || typeof state !== 'bigint' || state < 0n ? null : toNumber(state, 'revision');
}

function translate(error: unknown, streamId: string): unknown {
  if (error instanceof KurrentStreamDeletedError || error instanceof KurrentStreamTombstonedError)
    return new StreamDeletedError(streamId);
  return error;
}

function assertUserName(name: string, what: string): void {
  if (name.startsWith('$'))
    throw new InvalidAppendError(`${what} ${name}: names starting with $ are reserved for KurrentDB`);
}

function jsonRoundTrip(value: unknown, where: string): unknown {
  try {
    // canonicalJson rejects what JSON would silently change (non-finite numbers, BigInt); JSON.parse
    // then gives the exact values a reader will see.
    canonicalJson(value);
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch (error) {
    throw new InvalidAppendError(
      `${where}: not representable as JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
