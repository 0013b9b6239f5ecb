/**
 * @pruefpfad/event-store: where events are kept.
 *
 * For: the `EventStore` port (append with an expected revision, read streams and all, subscribe, delete
 * stream, verify the per-stream HMAC chain), its embedded adapter on `node:sqlite` (group commit, WAL,
 * `synchronous=FULL`) and its KurrentDB adapter, upcasting, canonical JSON and the chain itself.
 *
 * Exports: the port and its error types, both adapters, the upcaster registry, the chain and canonical
 * JSON helpers, and the SQLite schema (for the benchmark's raw figures). The contract suite stays inside
 * the package, run by each adapter's own specs.
 *
 * Must not depend on: the domain, the read side (read store, projections) or the application; only on
 * `@pruefpfad/runtime`.
 */

export { canonicalJson } from './canonical-json.js';
export { InvalidAppendError, StreamDeletedError, WrongExpectedRevisionError } from './errors.js';
export type {
  AppendOptions,
  AppendResult,
  EventFilter,
  EventMetadata,
  EventStore,
  NewEvent,
  RecordedEvent,
  Subscription,
  SubscriptionBatch,
} from './event-store.port.js';
export { DEFAULT_PROGRESS_INTERVAL_MS } from './event-store.port.js';
export { CHAIN_GENESIS, chainLink } from './hmac-chain.js';
export { KurrentDbEventStore } from './kurrentdb/kurrentdb-event-store.js';
export {
  type ScavengeAnswer,
  startKurrentDbScavenge,
  stopKurrentDbScavenge,
  withKurrentDbClient,
} from './kurrentdb/kurrentdb-scavenge.js';
export { EVENT_COLUMNS, type EventRow, SCHEMA_SQL } from './sqlite/schema.js';
export { SqliteEventStore } from './sqlite/sqlite-event-store.js';
export { UpcasterRegistry } from './upcasting.js';
