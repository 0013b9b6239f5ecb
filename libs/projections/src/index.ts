export * from './projection.js';
export * from './projection-status.js';
export * from './projection-registry.js';
export { Backoff, type BackoffOptions } from './backoff.js';
export { foldBatch, type DocumentLoader, type FoldedBatch } from './fold-batch.js';
export {
  type BatchDocumentReader,
  ProjectionProcessor,
  type ProcessorOptions,
  type ProcessorOutcome,
  type ProcessorProgress,
} from './projection-processor.js';
export { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner.js';
export * from './rebuild.js';
export * from './lease.js';
export { CheckpointPositionSource, waitForPosition, type PositionSource } from './wait-for-position.js';
export * from './reactor.js';
export {
  InProcessProjectionHost,
  WorkerProjectionHost,
  type ProjectionHost,
  type WorkerProjectionHostOptions,
} from './projection-host.js';
export {
  ProjectionWorkerError,
  type ProjectionStores,
  type ProjectionWorkerContext,
  type ProjectionWorkerData,
  type ProjectionWorkerModule,
  type ProjectionWorkerRunnerOptions,
} from './projection-worker-protocol.js';
