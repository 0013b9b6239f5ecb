/**
 * @pruefpfad/privacy: personal data sealed under keys that can be destroyed.
 *
 * For: the `KeyStore` port with its embedded (SQLite) and MongoDB adapters, the master key that wraps the
 * data keys, the AES-256-GCM envelope (`Sealed` values), key ids per aggregate, population and sampling
 * month, pseudonyms (HMAC blind index) and the draw tokens of populations.
 *
 * Exports: the names below. The key-store contract suite stays inside the package.
 *
 * Must not depend on: the domain, the stores of events and read models, projections or the application;
 * only on `@pruefpfad/runtime`.
 */

export { drawToken, newPopulationTokenKey, populationTokenKey } from './draw-token.js';
export { SqliteKeyStore } from './embedded/sqlite-key-store.js';
export { Envelope, isSealed, type Sealed } from './envelope.js';
export { CHAIN_KEY_ID, populationKeyId, samplingKeyId } from './key-ids.js';
export { KeyDestroyedError, type KeyStore } from './key-store.port.js';
export { type LoadedMasterKey, loadOrCreateMasterKey, MASTER_KEY_FILE_NAME } from './master-key.js';
export { MongoKeyStore } from './mongodb/mongo-key-store.js';
export { CASE_REF_PURPOSE, normalisePseudonymInput, pseudonymise, tenantPseudonymKey } from './pseudonym.js';
