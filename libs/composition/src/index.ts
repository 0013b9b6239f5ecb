/**
 * @pruefpfad/composition: the composition root, the only place that picks adapters.
 *
 * For: opening the embedded or server infrastructure (event store, read store, key store, projections and
 * reactors) from the configuration, the catalogues of projections and reactors, the reactors that span
 * streams (opening reviews, retention purges, population references), chain sealing and verification, and
 * the operations on projections (status, rebuild, confirm), and the store operations: online backup of
 * the embedded stores (keys apart), the purge ledger kept apart from the events, restore with the ledger
 * re-applied, and the report of what destroyed data is still physically present.
 *
 * Exports: the names below.
 *
 * Must not depend on: any app (`apps/`, `bench/`); every library is below it.
 */

export type { ChainFinding, ChainFindingKind } from './chain-sealing/chain-finding.js';
export { CHAIN_SEALS_STREAM, type ChainHeadsSealedData } from './chain-sealing/chain-seal.js';
export { ChainSealer } from './chain-sealing/chain-sealer.js';
export { verifyChains } from './chain-sealing/chain-verification.js';
export { embeddedFiles, openInfrastructure } from './infrastructure.js';
export type { Infrastructure } from './infrastructure.types.js';
export { projections } from './projection-catalogue.js';
export {
  type OperatorProjectionView,
  ProjectionOperations,
  type ProjectionOperationsPort,
  type RebuildProgressView,
  type RebuildRunView,
  type RebuildStarted,
} from './projection-operations.js';
export {
  projectionsUnderRules,
  readModelsBehind,
  RULE_DRIVEN_NAMES,
  type RunningProjections,
  startProjections,
} from './projections.js';
export { type RunningReactors, startReactors } from './reactor-catalogue.js';
export { OPEN_REVIEWS_REACTOR } from './reactors/open-reviews.reactor.js';
export { readPopulation, type StoredPopulation } from './reactors/population-stream.js';
export { reactorReached } from './reactors/reactor-progress.js';
export { populationPurgeReactor } from './retention/population-purge-reactor.js';
export { purgeReactor } from './retention/purge-reactor.js';
export type { PurgePlanEntry } from './retention/retention-planner.js';
export { type PurgeRun, runRetentionPurge } from './retention/retention-purge.js';
export { populationAggregate, samplingAggregate, samplingAggregateId } from './sampling-aggregates.js';
export {
  BackupInvalidError,
  type BackupManifest,
  MANIFEST_FILE,
  readVerifiedManifest,
} from './operations/backup-manifest.js';
export {
  backupEmbeddedEvents,
  backupEmbeddedKeys,
  BackupRefusedError,
  type BackupResult,
  DEFAULT_EVENT_BACKUP_DAYS,
  DEFAULT_KEY_BACKUP_DAYS,
} from './operations/embedded-backup.js';
export type { OplogWindow } from './operations/mongo-oplog-window.js';
export { openPurgeLedger, purgeLedgerDatabase, purgeLedgerFile } from './operations/open-purge-ledger.js';
export type { PurgeLedger, PurgeLedgerEntry, PurgeLedgerKind } from './operations/purge-ledger.port.js';
export { restore, type RestoreReport, RestoreRefusedError } from './operations/restore.js';
export { type PageProgress, sqliteFileInUse } from './operations/sqlite-file-backup.js';
export { SqlitePurgeLedger } from './operations/sqlite-purge-ledger.js';
export { embeddedFileStates, type StorageReport, storageReport } from './operations/storage-report.js';
export { reapplyPurge, type ReapplyOutcome } from './retention/reapply-purges.js';
