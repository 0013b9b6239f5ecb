/**
 * The event store port. Feature code depends on this file only; adapters (embedded `node:sqlite`,
 * KurrentDB) are chosen at the composition root. Conventions shared by every adapter:
 *
 * - Revisions follow KurrentDB: the first event of a stream has revision 0; an append answers with the
 *   revision of its last event.
 * - Positions are global, strictly increasing across the whole store, and fit a JS number (KurrentDB's
 *   commit position is a byte offset in its log; 2^53 bytes is far beyond any deployment). A checkpoint
 *   is the position of the last event handled; reading "from" a checkpoint is exclusive.
 * - Event types are explicit, stable strings (never a class name) plus a schema version; older versions
 *   are upcast on read by the `UpcasterRegistry` the adapter was built with.
 * - Every stream is HMAC-chained: each stored event carries `chain = HMAC(key, previous chain, event)`,
 *   so a changed, inserted or removed event is detected by `verifyStream`.
 */

/** Who did it, for whom, why: set by the command pipeline, never by the client. */
export interface EventMetadata {
  /** Server time when the command arrived (ISO 8601, UTC), from the injected clock. */
  readonly occurredAt: string;
  readonly actor: { readonly userId: string; readonly role: string };
  readonly tenant: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  /** Version of the rules (configuration) that produced the event. */
  readonly rulesVersion: string;
}

/** An event to append. `id` is a UUIDv7 chosen by the caller (idempotent retries reuse it). */
export interface NewEvent<Data = unknown> {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent<Data = unknown> extends NewEvent<Data> {
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  /** When the store wrote it (ISO 8601, UTC), from the store's clock. */
  readonly recordedAt: string;
  /** HMAC chain value over this event and its predecessor's chain (hex). */
  readonly chain: string;
}

/** `no_stream`: the stream must not exist; `any`: no check; a number: the stream's current last revision. */
export type ExpectedRevision = 'no_stream' | 'any' | number;

export interface AppendOptions {
  readonly expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  readonly streamId: string;
  /** Revision of the last event appended. */
  readonly revision: number;
  /** Global position of the last event appended. */
  readonly position: number;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  readonly direction?: Direction;
  /** Inclusive; default: start (forwards) or end (backwards). */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

/** Selects events of a subscription or `readAll`. All given conditions must hold. */
export interface EventFilter {
  readonly eventTypes?: readonly string[];
  readonly streamPrefixes?: readonly string[];
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. 0 (or absent) reads from the start. */
  readonly after?: number;
  readonly maxCount: number;
  readonly filter?: EventFilter;
}

export interface ReadAllPage {
  readonly events: readonly RecordedEvent[];
  /**
   * Position to pass as `after` for the next page; it may be beyond the last returned event when the
   * filter skipped events, so callers can checkpoint progress through filtered-out regions. Every event
   * in (after, lastPosition] that the filter keeps is in `events`: a page without events proves that
   * stretch holds none (read-your-writes relies on this, see `QuietStretch` in the projections).
   */
  readonly lastPosition: number;
  /** True when the page reached the current end of the store. */
  readonly isEnd: boolean;
}

export interface SubscribeOptions {
  /** Exclusive checkpoint; 0 from the beginning. */
  readonly after: number;
  readonly filter?: EventFilter;
  /** Events per batch delivered to the consumer (default 1000). */
  readonly batchSize?: number;
  /**
   * Bound on progress batches (default 1000 ms): at most one progress batch per interval, and progress
   * past skipped events is delivered at the latest this long after the subscription learnt of it (see
   * `SubscriptionBatch`). Consumers save a checkpoint per progress batch, so this bounds their writes.
   */
  readonly progressIntervalMs?: number;
}

/** Default of `SubscribeOptions.progressIntervalMs`. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 1000;

/**
 * A catch-up subscription: first the history after `after`, then live events, in batches.
 * `caughtUp` is true on a batch that reached the store's end at the time it was read.
 *
 * Progress through events the filter skips: a batch may be EMPTY (a progress batch); its `lastPosition`
 * is how far the store has been examined, so a consumer saves it as its checkpoint and its position (and
 * lag) follows the store's head although none of its events arrive. Every adapter promises:
 * - when the subscription first catches up it delivers one batch with `caughtUp` (empty if nothing
 *   matched), whose `lastPosition` is at least the head the store had when the subscription started;
 * - after that, once events the filter skips lie beyond the last delivered `lastPosition`, a progress
 *   batch carrying at least their position follows within `progressIntervalMs` plus the time to read
 *   them (embedded: on the next wake-up or poll; KurrentDB: the server's filter checkpoints, or a
 *   filtered read of the store when the stream stays quiet for an interval);
 * - progress batches come at most once per `progressIntervalMs` (the first after a quiet interval at
 *   once), so saving each one costs a consumer at most one checkpoint write per interval; batches with
 *   events are never held back, and their `lastPosition` includes any progress not yet delivered.
 */
export interface SubscriptionBatch {
  readonly events: readonly RecordedEvent[];
  /** Position up to which the store has been examined (a checkpoint that is safe to save). */
  readonly lastPosition: number;
  readonly caughtUp: boolean;
}

export interface Subscription extends AsyncIterable<SubscriptionBatch> {
  /** Ends the iteration; a pending `next()` resolves with `done`. */
  close(): Promise<void>;
}

export interface ChainVerification {
  readonly streamId: string;
  readonly ok: boolean;
  readonly eventsChecked: number;
  /** First broken link: the revision (and position) whose chain value does not match, with a reason. */
  readonly brokenAt?: { readonly revision: number; readonly position: number | null; readonly reason: string };
}

export interface StreamInfo {
  readonly streamId: string;
  /** Revision of the last event, or null when the stream does not exist (or was deleted). */
  readonly revision: number | null;
}

export interface EventStore {
  /**
   * Whether `readAll` and subscriptions may still return events of a deleted stream: KurrentDB does until
   * a scavenge has run; node:sqlite removes them with the delete. Rebuilds skip such events (retention).
   */
  readonly returnsDeletedEvents: boolean;
  append(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /** Events of one stream, upcast to their current schema. An absent or deleted stream reads as []. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  streamInfo(streamId: string): Promise<StreamInfo>;
  readAll(options: ReadAllOptions): Promise<ReadAllPage>;
  subscribeToAll(options: SubscribeOptions): Subscription;
  /** Removes the stream's events for good (retention). Appending to a deleted stream fails. */
  deleteStream(streamId: string): Promise<void>;
  /** Recomputes the stream's HMAC chain from its raw stored events. */
  verifyStream(streamId: string): Promise<ChainVerification>;
  /** Position of the newest event in the store (0 when empty): projections measure lag against it. */
  headPosition(): Promise<number>;
  /** Finishes in-flight appends, then releases resources. */
  close(): Promise<void>;
}
