export { KeyDestroyedError, type DataKey, type KeyStore } from './key-store.port.js';
export {
  DecryptionFailedError,
  InvalidKeyIdError,
  KeyStoreClosedError,
  MasterKeyError,
  type MasterKeyErrorCode,
} from './errors.js';
export {
  assertValidKeyId,
  CHAIN_KEY_ID,
  MAX_KEY_ID_LENGTH,
  populationKeyId,
  pseudonymKeyId,
  samplingKeyId,
  SYSTEM_KEY_PREFIX,
} from './key-ids.js';
export { drawToken, newPopulationTokenKey, populationTokenKey } from './draw-token.js';
export {
  createMasterKeyCheck,
  DATA_KEY_BYTES,
  newDataKey,
  unwrapDataKey,
  verifyMasterKeyCheck,
  WRAPPED_KEY_BYTES,
  wrapDataKey,
} from './key-wrap.js';
export {
  generateMasterKeyText,
  loadOrCreateMasterKey,
  MASTER_KEY_BYTES,
  MASTER_KEY_ENV,
  MASTER_KEY_FILE_NAME,
  parseMasterKey,
  weakKeyReason,
  type LoadedMasterKey,
  type LoadMasterKeyOptions,
  type RuntimeEnvironment,
} from './master-key.js';
export { SqliteKeyStore, type SqliteKeyStoreOptions } from './embedded/sqlite-key-store.js';
export { Envelope, isSealed, SEALED_FORMAT_VERSION, type Sealed } from './envelope.js';
export {
  CASE_REF_PURPOSE,
  normalisePseudonymInput,
  pseudonymise,
  PSEUDONYM_MIN_KEY_BYTES,
  tenantPseudonymKey,
} from './pseudonym.js';
