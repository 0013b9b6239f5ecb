export * from './event-store.port.js';
export * from './errors.js';
export * from './upcasting.js';
export * from './hmac-chain.js';
export * from './canonical-json.js';
export * from './append-validation.js';
export { SqliteEventStore, ReadOnlyEventStoreError } from './sqlite/sqlite-event-store.js';
export type { SqliteEventStoreOptions } from './sqlite/sqlite-event-store.js';
