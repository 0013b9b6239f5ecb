/**
 * @pruefpfad/read-store: where read models are kept.
 *
 * For: the `DocumentStore` and `CheckpointStore` ports (documents and a projection's checkpoint committed
 * together, aliases for blue/green rebuilds, writes applied in call order), the embedded adapter on
 * `node:sqlite` (optionally with a writer thread) and the MongoDB adapter.
 *
 * Exports: the ports, `EmbeddedReadStore` and `MongoReadStore`. The contract suites stay inside the package.
 *
 * Must not depend on: the domain, the event store, projections or the application; only on
 * `@pruefpfad/runtime`.
 */

export { EmbeddedReadStore } from './embedded/embedded-read-store.js';
export { MongoReadStore } from './mongodb/mongo-read-store.js';
export { CheckpointRegressionError } from './read-store.port.js';
export type {
  CheckpointStore,
  Doc,
  DocumentStore,
  DocumentWrite,
  Filter,
  FindOptions,
  IndexSpec,
  Pipeline,
  WriteCondition,
} from './read-store.port.js';
