/**
 * The key store port: per-subject data keys (one per review, per measure, per population, …) wrapped
 * by a master key, held apart from the events (its own SQLite file in its own directory, or a MongoDB
 * collection) and backed up separately with a shorter life. Destroying a data key blinds every copy of
 * the ciphertext it protected (crypto-shredding): events, read models, backups of the event store.
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
  /** Irreversibly removes the key (secure delete); later `getOrCreate` for it fails. Idempotent. */
  destroy(keyId: string): Promise<void>;
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
