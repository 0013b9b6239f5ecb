/**
 * @pruefpfad/privacy: personal data sealed under keys that can be destroyed.
 *
 * For: the `KeyStore` port with its embedded (SQLite) and MongoDB adapters, the master key that wraps the
 * data keys, the AES-256-GCM envelope (`Sealed` values), key ids per aggregate, population and sampling
 * month, pseudonyms (HMAC blind index) and the draw tokens of populations.
 *
 * Exports: the names below, including master-key rotation (`rotateMasterKey` over the
 * `MasterKeyRotationPort` both adapters implement). The key-store contract suite stays inside the package.
 *
 * Must not depend on: the domain, the stores of events and read models, projections or the application;
 * only on `@pruefpfad/runtime`.
 */

export { drawToken, newPopulationTokenKey, populationTokenKey } from './draw-token.js';
export { SqliteKeyStore } from './embedded/sqlite-key-store.js';
export { Envelope, isSealed, type Sealed } from './envelope.js';
export { CHAIN_KEY_ID, populationKeyId, samplingKeyId } from './key-ids.js';
export { MasterKeyError, type MasterKeyErrorCode } from './errors.js';
export {
  KeyDestroyedError,
  type KeyStore,
  type MasterKeyRotationPort,
  type MasterKeyStatus,
  type RewrapProgress,
  supportsMasterKeyRotation,
} from './key-store.port.js';
export { masterKeyId } from './key-wrap.js';
export {
  type LoadedMasterKey,
  type LoadedNextMasterKey,
  loadNextMasterKey,
  loadOrCreateMasterKey,
  MASTER_KEY_ENV,
  MASTER_KEY_FILE_NAME,
  MASTER_KEY_NEXT_ENV,
  MASTER_KEY_NEXT_FILE_NAME,
  promoteNextMasterKeyFile,
} from './master-key.js';
export {
  DEFAULT_HANDOVER_GRACE_MS,
  DEFAULT_REWRAP_BATCH_SIZE,
  type RotateMasterKeyOptions,
  rotateMasterKey,
  type RotationProgress,
  type RotationResult,
} from './master-key-rotation.js';
export {
  DEFAULT_MONGO_KEY_CACHE_TTL_MS,
  DEFAULT_MONGO_STATE_POLL_MS,
  MongoKeyStore,
} from './mongodb/mongo-key-store.js';
export { CASE_REF_PURPOSE, normalisePseudonymInput, pseudonymise, tenantPseudonymKey } from './pseudonym.js';
