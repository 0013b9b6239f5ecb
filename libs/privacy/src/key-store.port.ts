/**
 * The key store port: per-subject data keys (one per review, per measure, per population, …) wrapped
 * by a master key, held apart from the events (its own SQLite file in its own directory, or a MongoDB
 * collection) and backed up separately with a shorter life. Destroying a data key blinds every copy of
 * the ciphertext it protected (crypto-shredding): events, read models, backups of the event store.
 *
 * Key ids are chosen by callers (`key-ids.ts`): per-subject ids such as `review:<id>`, and reserved ids
 * `system:chain` (HMAC key of the event-store chain; never destroyed) and `system:pseudonym:<tenant>`
 * (the tenant's pseudonym / blind-index key). For the store these are ordinary data keys.
 *
 * Every adapter wraps keys with `key-wrap.ts` (AES-256-GCM under the master key, AAD bound to the key
 * id), hands out copies of key bytes, and makes a destroy visible at once to every other store open
 * over the same storage (no stale cached key may outlive a destroy). `contract/key-store.contract.ts`
 * is the executable form of this port.
 */
export interface DataKey {
  readonly keyId: string;
  /** 32 bytes, AES-256. Never persisted in clear. */
  readonly key: Uint8Array;
}

export interface KeyStore {
  /** The key for `keyId`, created on first use. Fails with `KeyDestroyedError` after `destroy`. */
  getOrCreate(keyId: string): Promise<DataKey>;
  /** The key for `keyId`, or null when it never existed or was destroyed. */
  get(keyId: string): Promise<DataKey | null>;
  /**
   * Irreversibly removes the key (secure delete, no copy left in journals or WAL) and keeps a tombstone
   * with the id only; later `getOrCreate` for it fails. Idempotent; destroying an id that never had a
   * key still leaves the tombstone.
   */
  destroy(keyId: string): Promise<void>;
  /** True once `destroy` ran for the id. */
  isDestroyed(keyId: string): Promise<boolean>;
  close(): Promise<void>;
}

export class KeyDestroyedError extends Error {
  readonly code = 'KEY_DESTROYED';
  constructor(readonly keyId: string) {
    super(`Data key ${keyId} was destroyed`);
    this.name = 'KeyDestroyedError';
  }
}
