import { createSecretKey, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { StatementSync } from 'node:sqlite';
import { BroadcastChannel } from 'node:worker_threads';
import { createPrivateDirectory, createPrivateFile } from '@pruefpfad/runtime';
import { validateAppend } from '../append-validation.js';
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
  EventStore,
  ExpectedRevision,
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
import { EVENT_COLUMNS, SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';
import type { EventRow } from './schema.js';
import { SqliteSubscription } from './sqlite-subscription.js';
import type { SubscriptionSource } from './sqlite-subscription.js';

export interface SqliteEventStoreOptions {
  /** Path of the database file (created with its folder if missing), or `:memory:` for throwaway stores. */
  readonly file: string;
  /** HMAC key of the per-stream chains. */
  readonly chainKey: Uint8Array;
  readonly upcasters?: UpcasterRegistry;
  /** Source of `recordedAt`; defaults to the system clock. */
  readonly clock?: () => Date;
  /** A read connection (e.g. for a worker thread): reads and subscriptions work, writes are refused. */
  readonly readOnly?: boolean;
  /** How often waiting subscriptions look for appends made by other processes (default 250 ms). */
  readonly pollIntervalMs?: number;
  /** How long a write waits for another process's write lock before failing (default 5000 ms). */
  readonly busyTimeoutMs?: number;
  /** Most appends committed in one transaction (default 512): bounds the latency of a group commit. */
  readonly maxBatchSize?: number;
}

export class ReadOnlyEventStoreError extends Error {
  readonly code = 'EVENT_STORE_READ_ONLY';
  constructor() {
    super('This event store connection is read-only');
    this.name = 'ReadOnlyEventStoreError';
  }
}

/** An append checked and serialised outside the write lock, waiting for the next group commit. */
interface PendingAppend {
  readonly streamId: string;
  readonly expected: ExpectedRevision;
  readonly events: readonly PreparedEvent[];
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: Error) => void;
}

interface PreparedEvent {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly dataJson: string;
  readonly metadataJson: string;
  /** The values as they will read back from the stored JSON: the chain covers exactly those. */
  readonly storedData: unknown;
  readonly storedMetadata: unknown;
}

/** A stream's head as seen inside the running batch (earlier appends of the batch included). */
interface StreamHead {
  revision: number;
  chain: string;
  deleted: boolean;
  dirty: boolean;
}

type Outcome = { readonly result: AppendResult; readonly wrote: boolean } | { readonly error: Error };

interface StreamRow {
  readonly revision: number;
  readonly chain: string | null;
  readonly deleted: number;
}

interface ReadStatements {
  readonly streamRow: StatementSync;
  readonly readForwards: StatementSync;
  readonly readBackwards: StatementSync;
  readonly head: StatementSync;
  readonly readAllUnfiltered: StatementSync;
}

interface WriteStatements {
  readonly begin: StatementSync;
  readonly commit: StatementSync;
  readonly rollback: StatementSync;
  readonly savepoint: StatementSync;
  readonly release: StatementSync;
  readonly rollbackToSavepoint: StatementSync;
  readonly insertEvent: StatementSync;
  readonly upsertStream: StatementSync;
  readonly eventIdsAfter: StatementSync;
  readonly deleteEvents: StatementSync;
  readonly markDeleted: StatementSync;
  readonly checkpointTruncate: StatementSync;
}

const DEFAULT_POLL_INTERVAL_MS = 250;
const DEFAULT_BUSY_TIMEOUT_MS = 5000;
const DEFAULT_MAX_BATCH = 512;
/** A filtered page examines at most this many positions (or 8 × maxCount), so a checkpoint advances. */
const FILTER_SCAN_WINDOW = 20_000;

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function prepareEvent(event: NewEvent): PreparedEvent {
  let dataJson: string | undefined;
  let metadataJson: string | undefined;
  try {
    dataJson = JSON.stringify(event.data);
    metadataJson = JSON.stringify(event.metadata);
  } catch (error) {
    throw new InvalidAppendError(`event ${event.id}: not JSON-serialisable (${asError(error).message})`);
  }
  if (typeof dataJson !== 'string') throw new InvalidAppendError(`event ${event.id}: data is not JSON-serialisable`);
  if (typeof metadataJson !== 'string')
    throw new InvalidAppendError(`event ${event.id}: metadata is not JSON-serialisable`);
  return {
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    dataJson,
    metadataJson,
    storedData: JSON.parse(dataJson),
    storedMetadata: JSON.parse(metadataJson),
  };
}

/**
 * The embedded event store: one durable SQLite file in WAL mode with `synchronous=FULL`, so an
 * acknowledged append has been fsynced. Throughput comes from group commit: appends arriving in the
 * same turn of the event loop share one `BEGIN IMMEDIATE … COMMIT` (one fsync), each still checked
 * against its own expected revision. `node:sqlite` is synchronous, so each batch, read or delete runs
 * to completion within one tick and never interleaves with another on this connection.
 */
export class SqliteEventStore implements EventStore {
  /** `deleteStream` removes the rows (secure delete) at once. */
  readonly returnsDeletedEvents = false;
  private readonly db: DatabaseSync;
  private readonly read: ReadStatements;
  private readonly write: WriteStatements | null;
  private readonly filteredReads = new Map<string, StatementSync>();
  private readonly chainKey: KeyObject;
  private readonly upcasters: UpcasterRegistry;
  private readonly clock: () => Date;
  private readonly pollIntervalMs: number;
  private readonly maxBatchSize: number;
  private readonly channel: BroadcastChannel;
  private readonly listeners = new Set<() => void>();
  private readonly subscriptions = new Set<SqliteSubscription>();
  private queue: PendingAppend[] = [];
  private flushHandle: NodeJS.Immediate | null = null;
  private closed = false;

  static open(options: SqliteEventStoreOptions): Promise<SqliteEventStore> {
    try {
      return Promise.resolve(new SqliteEventStore(options));
    } catch (error) {
      return Promise.reject(asError(error));
    }
  }

  private constructor(options: SqliteEventStoreOptions) {
    if (!(options.chainKey instanceof Uint8Array) || options.chainKey.length === 0) {
      throw new TypeError('SqliteEventStore: chainKey must be a non-empty Uint8Array');
    }
    const readOnly = options.readOnly ?? false;
    const inMemory = options.file === ':memory:';
    const file = inMemory ? ':memory:' : path.resolve(options.file);
    if (!readOnly && !inMemory) {
      // Private from the start: SQLite gives the -wal and -shm files it creates the database file's mode.
      createPrivateDirectory(path.dirname(file));
      createPrivateFile(file);
    }

    this.chainKey = createSecretKey(options.chainKey);
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.clock = options.clock ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH;
    if (!(this.pollIntervalMs > 0)) throw new RangeError('pollIntervalMs must be > 0');
    if (!Number.isSafeInteger(this.maxBatchSize) || this.maxBatchSize < 1)
      throw new RangeError('maxBatchSize must be >= 1');

    this.db = new DatabaseSync(file, { readOnly, timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
    try {
      if (readOnly) this.checkSchema();
      else this.initialise(inMemory);
      this.read = this.prepareReads();
      this.write = readOnly ? null : this.prepareWrites();
    } catch (error) {
      this.db.close();
      throw error;
    }

    // Same name in every thread of this process (the real path, so a symlinked path agrees): readers in
    // worker threads wake on our commits.
    this.channel = new BroadcastChannel(`pruefpfad-event-store:${inMemory ? randomUUID() : realpathSync(file)}`);
    this.channel.onmessage = () => this.notifyLocal();
    this.channel.unref();
  }

  append(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreClosedError());
    if (this.write === null) return Promise.reject(new ReadOnlyEventStoreError());
    let prepared: PreparedEvent[];
    try {
      validateAppend(streamId, events, options);
      prepared = events.map(prepareEvent);
    } catch (error) {
      return Promise.reject(asError(error));
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, expected: options.expectedRevision, events: prepared, resolve, reject });
      this.flushHandle ??= setImmediate(this.flushOneBatch);
    });
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.run(() => {
      const limit = options.maxCount ?? -1;
      if (options.maxCount !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
        throw new RangeError('maxCount must be an integer >= 0');
      }
      const backwards = (options.direction ?? 'forwards') === 'backwards';
      const from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
      const statement = backwards ? this.read.readBackwards : this.read.readForwards;
      const rows = statement.all(streamId, from, limit) as unknown as EventRow[];
      return rows.map((row) => this.toRecorded(row));
    });
  }

  streamInfo(streamId: string): Promise<StreamInfo> {
    return this.run(() => {
      const row = this.read.streamRow.get(streamId) as StreamRow | undefined;
      return { streamId, revision: row === undefined || row.deleted !== 0 ? null : row.revision };
    });
  }

  readAll(options: ReadAllOptions): Promise<ReadAllPage> {
    return this.run(() => this.readPage(options.after ?? 0, options.maxCount, options.filter));
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    if (this.closed) throw new EventStoreClosedError();
    const source: SubscriptionSource = {
      readPage: (after, maxCount, filter) => {
        if (this.closed) throw new EventStoreClosedError();
        return this.readPage(after, maxCount, filter);
      },
      onChange: (wake) => {
        this.listeners.add(wake);
        return () => this.listeners.delete(wake);
      },
      pollIntervalMs: this.pollIntervalMs,
      detach: (subscription) => this.subscriptions.delete(subscription),
    };
    const subscription = new SqliteSubscription(source, options);
    this.subscriptions.add(subscription);
    return subscription;
  }

  deleteStream(streamId: string): Promise<void> {
    return this.run(() => {
      const write = this.requireWriter();
      // Appends issued before the delete are committed before it, in call order.
      this.drainQueue();
      write.begin.run();
      try {
        write.deleteEvents.run(streamId);
        write.markDeleted.run(streamId);
        write.commit.run();
      } catch (error) {
        if (this.db.isTransaction) write.rollback.run();
        throw error;
      }
      // secure_delete zeroed the freed pages; copying them into the main file and truncating the WAL
      // removes the last copies the store controls. Readers holding an old snapshot can make this
      // partial; the next checkpoint completes it.
      write.checkpointTruncate.get();
    });
  }

  verifyStream(streamId: string): Promise<ChainVerification> {
    return this.run(() => this.verify(streamId));
  }

  headPosition(): Promise<number> {
    return this.run(() => this.head());
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    try {
      this.drainQueue();
    } finally {
      this.closed = true;
      for (const subscription of [...this.subscriptions]) subscription.closeNow();
      this.listeners.clear();
      this.channel.close();
      this.db.close();
    }
    return Promise.resolve();
  }

  // --- write path -------------------------------------------------------------------------------

  private readonly flushOneBatch = (): void => {
    this.flushHandle = null;
    const batch =
      this.queue.length <= this.maxBatchSize ? this.queue.splice(0) : this.queue.splice(0, this.maxBatchSize);
    this.commitBatch(batch);
    if (this.queue.length > 0) this.flushHandle = setImmediate(this.flushOneBatch);
  };

  private drainQueue(): void {
    if (this.flushHandle !== null) {
      clearImmediate(this.flushHandle);
      this.flushHandle = null;
    }
    while (this.queue.length > 0) this.commitBatch(this.queue.splice(0, this.maxBatchSize));
  }

  private commitBatch(batch: readonly PendingAppend[]): void {
    const write = this.write;
    if (write === null || batch.length === 0) return;
    const outcomes: Outcome[] = [];
    try {
      write.begin.run();
    } catch (error) {
      for (const pending of batch) pending.reject(asError(error));
      return;
    }
    try {
      const recordedAt = this.clock().toISOString();
      const heads = new Map<string, StreamHead>();
      // A lone append needs no savepoint: if a statement fails, rolling back the whole transaction
      // below undoes exactly that append, and it alone is rejected.
      const isolate = batch.length > 1;
      for (const pending of batch)
        outcomes.push(this.applyAppend(write, pending, this.headOf(pending.streamId, heads), recordedAt, isolate));
      for (const [streamId, head] of heads) {
        if (head.dirty) write.upsertStream.run(streamId, head.revision, head.chain);
      }
      write.commit.run();
    } catch (error) {
      if (this.db.isTransaction) {
        try {
          write.rollback.run();
        } catch {
          // The original error says more than a failed rollback on a broken connection.
        }
      }
      for (const pending of batch) pending.reject(asError(error));
      return;
    }
    let wrote = false;
    for (const [index, pending] of batch.entries()) {
      const outcome = outcomes[index];
      if (outcome === undefined) continue;
      if ('error' in outcome) {
        pending.reject(outcome.error);
      } else {
        wrote ||= outcome.wrote;
        pending.resolve(outcome.result);
      }
    }
    if (wrote) {
      this.notifyLocal();
      this.channel.postMessage(null);
    }
  }

  private headOf(streamId: string, heads: Map<string, StreamHead>): StreamHead {
    let head = heads.get(streamId);
    if (head === undefined) {
      const row = this.read.streamRow.get(streamId) as StreamRow | undefined;
      head =
        row === undefined
          ? { revision: -1, chain: CHAIN_GENESIS, deleted: false, dirty: false }
          : { revision: row.revision, chain: row.chain ?? CHAIN_GENESIS, deleted: row.deleted !== 0, dirty: false };
      heads.set(streamId, head);
    }
    return head;
  }

  private applyAppend(
    write: WriteStatements,
    pending: PendingAppend,
    head: StreamHead,
    recordedAt: string,
    isolate: boolean,
  ): Outcome {
    const { streamId, expected, events } = pending;
    if (head.deleted) return { error: new StreamDeletedError(streamId) };
    if (expected !== 'any') {
      const wanted = expected === 'no_stream' ? -1 : expected;
      if (head.revision !== wanted) {
        const replayed = this.idempotentReplay(write, pending, wanted, head);
        if (replayed !== null) return { result: replayed, wrote: false };
        return { error: new WrongExpectedRevisionError(streamId, expected, head.revision < 0 ? null : head.revision) };
      }
    }
    // A savepoint per append of a batch: a statement failing for one append must not take the others with it.
    if (isolate) write.savepoint.run();
    let revision = head.revision;
    let chain = head.chain;
    let position = 0;
    try {
      for (const event of events) {
        revision += 1;
        chain = chainLink(this.chainKey, chain, {
          streamId,
          revision,
          id: event.id,
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.storedData,
          metadata: event.storedMetadata,
        });
        const inserted = write.insertEvent.run(
          streamId,
          revision,
          event.id,
          event.type,
          event.schemaVersion,
          event.dataJson,
          event.metadataJson,
          recordedAt,
          chain,
        );
        position = Number(inserted.lastInsertRowid);
      }
      if (isolate) write.release.run();
    } catch (error) {
      // Some errors (disk full, I/O) make SQLite roll back the whole transaction: then the batch fails.
      if (!isolate || !this.db.isTransaction) throw error;
      write.rollbackToSavepoint.run();
      write.release.run();
      return { error: asError(error) };
    }
    head.revision = revision;
    head.chain = chain;
    head.dirty = true;
    return { result: { streamId, revision, position }, wrote: true };
  }

  /**
   * KurrentDB's idempotent append: a retry of an append that already succeeded (same event ids at the
   * revisions following the expected one) answers with the original result instead of a conflict.
   * Only for an exact or `no_stream` expectation: with `any` there is nothing to compare against, so
   * retries that must not duplicate events should state their expected revision.
   */
  private idempotentReplay(
    write: WriteStatements,
    pending: PendingAppend,
    wanted: number,
    head: StreamHead,
  ): AppendResult | null {
    const count = pending.events.length;
    if (head.revision < wanted + count) return null;
    const rows = write.eventIdsAfter.all(pending.streamId, wanted, count) as unknown as [string, number][];
    if (rows.length !== count) return null;
    for (let index = 0; index < count; index += 1) {
      if (rows[index]?.[0].toLowerCase() !== pending.events[index]?.id.toLowerCase()) return null;
    }
    const last = rows[count - 1];
    return last === undefined ? null : { streamId: pending.streamId, revision: wanted + count, position: last[1] };
  }

  private requireWriter(): WriteStatements {
    if (this.write === null) throw new ReadOnlyEventStoreError();
    return this.write;
  }

  // --- read path --------------------------------------------------------------------------------

  private run<T>(work: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new EventStoreClosedError());
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(asError(error));
    }
  }

  /** Highest position ever handed out (AUTOINCREMENT's counter survives deletes of the newest events). */
  private head(): number {
    const row = this.read.head.get() as { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  private readPage(after: number, maxCount: number, filter: EventFilter | undefined): ReadAllPage {
    if (!Number.isSafeInteger(maxCount) || maxCount < 1) throw new RangeError('maxCount must be a positive integer');
    if (!Number.isSafeInteger(after) || after < 0) throw new RangeError('after must be an integer >= 0');
    // Read the head first: positions at or below it are final (AUTOINCREMENT under one write lock), so
    // capping the query there keeps the page consistent without a read transaction.
    const head = this.head();
    if (after >= head) return { events: [], lastPosition: after, isEnd: true };
    // An empty list is no condition (like an absent one), not a filter that matches nothing.
    const types = filter?.eventTypes ?? [];
    const prefixes = filter?.streamPrefixes ?? [];
    let rows: EventRow[];
    let scannedTo: number;
    if (types.length === 0 && prefixes.length === 0) {
      rows = this.read.readAllUnfiltered.all(after, head, maxCount) as unknown as EventRow[];
      scannedTo = head;
    } else {
      scannedTo = Math.min(head, after + Math.max(FILTER_SCAN_WINDOW, maxCount * 8));
      const parameters: (string | number)[] = [after, scannedTo, ...types];
      for (const prefix of prefixes) parameters.push(prefix, prefix);
      parameters.push(maxCount);
      rows = this.filteredRead(types.length, prefixes.length).all(...parameters) as unknown as EventRow[];
    }
    const last = rows.length === maxCount ? rows[rows.length - 1] : undefined;
    const lastPosition = last === undefined ? scannedTo : last[0];
    return { events: rows.map((row) => this.toRecorded(row)), lastPosition, isEnd: lastPosition >= head };
  }

  /** One cached statement per filter shape; values are bound, never spliced into SQL. */
  private filteredRead(typeCount: number, prefixCount: number): StatementSync {
    const key = `${typeCount}:${prefixCount}`;
    let statement = this.filteredReads.get(key);
    if (statement === undefined) {
      const conditions = ['position > ?', 'position <= ?'];
      if (typeCount > 0) conditions.push(`type IN (${Array.from({ length: typeCount }, () => '?').join(', ')})`);
      // substr/length count characters, so any prefix works (LIKE would need escaping of % and _).
      if (prefixCount > 0) {
        conditions.push(
          `(${Array.from({ length: prefixCount }, () => 'substr(stream_id, 1, length(?)) = ?').join(' OR ')})`,
        );
      }
      statement = this.db.prepare(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE ${conditions.join(' AND ')} ORDER BY position LIMIT ?`,
        { returnArrays: true },
      );
      this.filteredReads.set(key, statement);
    }
    return statement;
  }

  private toRecorded(row: EventRow): RecordedEvent {
    const [position, streamId, revision, id, type, storedVersion, data, metadata, recordedAt, chain] = row;
    const current = this.upcasters.upcast(type, storedVersion, JSON.parse(data));
    return {
      id,
      type,
      schemaVersion: current.schemaVersion,
      data: current.data,
      metadata: JSON.parse(metadata) as RecordedEvent['metadata'],
      streamId,
      revision,
      position,
      recordedAt,
      chain,
    };
  }

  private verify(streamId: string): ChainVerification {
    const rows = this.read.readForwards.all(streamId, 0, -1) as unknown as EventRow[];
    let previous = CHAIN_GENESIS;
    let checked = 0;
    const broken = (revision: number, position: number | null, reason: string): ChainVerification => ({
      streamId,
      ok: false,
      eventsChecked: checked,
      brokenAt: { revision, position, reason },
    });
    for (const [position, , revision, id, type, schemaVersion, dataText, metadataText, , chain] of rows) {
      if (revision !== checked) {
        return broken(
          revision,
          position,
          `expected revision ${checked} here: an event was removed, inserted or renumbered`,
        );
      }
      let data: unknown;
      let metadata: unknown;
      try {
        data = JSON.parse(dataText);
        metadata = JSON.parse(metadataText);
      } catch {
        return broken(revision, position, 'stored data or metadata is not valid JSON');
      }
      const expected = chainLink(this.chainKey, previous, {
        streamId,
        revision,
        id,
        type,
        schemaVersion,
        data,
        metadata,
      });
      if (expected !== chain)
        return broken(revision, position, 'chain value does not match: the event or its predecessor was changed');
      previous = expected;
      checked += 1;
    }
    const stream = this.read.streamRow.get(streamId) as StreamRow | undefined;
    if (stream !== undefined && stream.deleted === 0) {
      if (stream.revision !== checked - 1) {
        return broken(
          checked,
          null,
          `stream head says revision ${stream.revision} but the stored events end at ${checked - 1}`,
        );
      }
      if (stream.chain !== previous) return broken(checked - 1, null, 'stream head chain differs from the last event');
    }
    return { streamId, ok: true, eventsChecked: checked };
  }

  private notifyLocal(): void {
    for (const wake of [...this.listeners]) wake();
  }

  // --- setup ------------------------------------------------------------------------------------

  private initialise(inMemory: boolean): void {
    const mode = this.db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode: string } | undefined;
    if (!inMemory && mode?.journal_mode !== 'wal')
      throw new Error(`SqliteEventStore: WAL mode refused (${mode?.journal_mode})`);
    this.db.exec('PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;');
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const version = this.userVersion();
      if (version > SCHEMA_VERSION)
        throw new Error(`SqliteEventStore: schema version ${version} is newer than this code (${SCHEMA_VERSION})`);
      if (version < SCHEMA_VERSION) {
        this.db.exec(SCHEMA_SQL);
        this.db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
      }
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  private checkSchema(): void {
    const version = this.userVersion();
    if (version !== SCHEMA_VERSION) {
      throw new Error(
        `SqliteEventStore: no event store of schema version ${SCHEMA_VERSION} in this file (found ${version})`,
      );
    }
  }

  private userVersion(): number {
    const row = this.db.prepare('PRAGMA user_version').get() as { user_version: number } | undefined;
    return row?.user_version ?? 0;
  }

  private prepareReads(): ReadStatements {
    const arrays = { returnArrays: true };
    return {
      streamRow: this.db.prepare('SELECT revision, chain, deleted FROM streams WHERE stream_id = ?'),
      readForwards: this.db.prepare(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
        arrays,
      ),
      readBackwards: this.db.prepare(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
        arrays,
      ),
      head: this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'"),
      readAllUnfiltered: this.db.prepare(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`,
        arrays,
      ),
    };
  }

  private prepareWrites(): WriteStatements {
    return {
      begin: this.db.prepare('BEGIN IMMEDIATE'),
      commit: this.db.prepare('COMMIT'),
      rollback: this.db.prepare('ROLLBACK'),
      savepoint: this.db.prepare('SAVEPOINT append'),
      release: this.db.prepare('RELEASE append'),
      rollbackToSavepoint: this.db.prepare('ROLLBACK TO append'),
      insertEvent: this.db.prepare(
        `INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at, chain)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      upsertStream: this.db.prepare(
        `INSERT INTO streams (stream_id, revision, chain, deleted) VALUES (?, ?, ?, 0)
         ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, chain = excluded.chain`,
      ),
      eventIdsAfter: this.db.prepare(
        'SELECT event_id, position FROM events WHERE stream_id = ? AND revision > ? ORDER BY revision LIMIT ?',
        { returnArrays: true },
      ),
      deleteEvents: this.db.prepare('DELETE FROM events WHERE stream_id = ?'),
      // Only the id survives: enough to refuse appends, nothing about what the stream contained.
      markDeleted: this.db.prepare(
        `INSERT INTO streams (stream_id, revision, chain, deleted) VALUES (?, -1, NULL, 1)
         ON CONFLICT (stream_id) DO UPDATE SET revision = -1, chain = NULL, deleted = 1`,
      ),
      checkpointTruncate: this.db.prepare('PRAGMA wal_checkpoint(TRUNCATE)'),
    };
  }
}
