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
 * id), records which master key wraps each key (see `MasterKeyRotationPort`), and hands out copies of
 * key bytes. A destroy blinds the store it went through at once, including reads under way. Other stores
 * open over the same storage see it:
 * - embedded (SQLite): at once (`PRAGMA data_version` drops the cache when another connection commits);
 * - MongoDB: within the key cache's lifetime, `DEFAULT_MONGO_KEY_CACHE_TTL_MS` = 2 s by default
 *   (`cacheTtlMs`; 0 makes it immediate at one round trip per key read). A purge's destroy in the CLI or
 *   another replica may thus leave a key usable for up to 2 s in a replica that read it just before.
 * `contract/key-store.contract.ts` is the executable form of this port.
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

/** Where a key store stands with its master key (ids are fingerprints, never keys). */
export interface MasterKeyStatus {
  /** The master key the store is under (its start-up check). */
  readonly currentMasterKeyId: string;
  /** The rotation under way, or null. */
  readonly rotation: {
    readonly from: string;
    readonly to: string;
    readonly startedAt: string;
    /** See `MasterKeyRotationPort`: online keeps a handover in the store, offline never does. */
    readonly mode: 'online' | 'offline';
  } | null;
  /** Live (not destroyed) data keys per master-key id that wraps them. */
  readonly keysByMasterKey: Readonly<Record<string, number>>;
}

export interface RewrapProgress {
  /** Rows re-wrapped by this batch. */
  readonly rewrapped: number;
  /** Live rows not yet under the rotation's target key. */
  readonly remaining: number;
}

/**
 * Master-key rotation, an operator's port beside `KeyStore` (application code never sees it). Every step
 * is idempotent and the state lives in the store, so a rotation interrupted anywhere is continued by
 * running it again (`rotateMasterKey` drives the steps). Two modes:
 *
 * - Online (default): running processes carry on without a restart. While the rotation runs every store
 *   open over the same storage reads rows under either key (it learns the other key from the store's
 *   handover record at once or within its poll interval) and wraps new keys under the target. The
 *   handover holds the NEW key wrapped under the OLD one (and the reverse) until the finish, so whoever
 *   has the old key and any copy of the store from that window can unwrap the new key and every data key:
 *   embedded, a copy of the key file or its WAL taken meanwhile (the finish deletes the record with
 *   secure_delete and truncates the WAL, so the live file keeps nothing); MongoDB, a key-database backup
 *   or snapshot taken meanwhile, and the oplog, which keeps the record's insert for its whole window
 *   after the finish. Fine for a routine rotation; not when the old key may be compromised.
 * - Offline (`{ offline: true }`): every process using the store is stopped first. No handover is ever
 *   written; only the rotating process holds both keys, in memory. The record names the rotation only,
 *   and a store opened without both keys (`otherMasterKey`) is refused with
 *   `MASTER_KEY_ROTATION_IN_PROGRESS`, so a service started after a crash half-way fails clearly instead
 *   of serving; the rotation is continued by running it again with both keys. Use it when the old key
 *   may be compromised.
 *
 * Re-wrapping is conditional on the row still being under the old key, so a concurrent destroy stays a
 * destroy. `finishMasterKeyRotation` replaces the start-up check and deletes the rotation record: from
 * then on a process started with the old key is refused (`MASTER_KEY_ROTATED`), and stores that were
 * open zero the old key. Until then either key opens the store (online), also when a finish was
 * interrupted between its writes (the check may already be under the new key).
 */
export interface MasterKeyRotationPort {
  masterKeyStatus(): Promise<MasterKeyStatus>;
  /**
   * Starts a rotation to `next` (or continues one to the same key and mode). Fails with
   * `MASTER_KEY_ROTATION_CONFLICT` when another rotation runs, one of the other mode runs (an online one
   * has already stored `next` under the old key), or `next` is already the current key.
   */
  beginMasterKeyRotation(next: Uint8Array, now: Date, options?: { readonly offline?: boolean }): Promise<void>;
  /** Re-wraps up to `limit` rows still under the old key: one transaction (embedded), conditional per row. */
  rewrapBatch(limit: number): Promise<RewrapProgress>;
  /** Ends the rotation once no row is left under the old key; `MASTER_KEY_ROTATION_CONFLICT` otherwise. */
  finishMasterKeyRotation(now: Date): Promise<void>;
}

export function supportsMasterKeyRotation<T extends KeyStore>(store: T): store is T & MasterKeyRotationPort {
  const candidate = store as Partial<MasterKeyRotationPort>;
  return (
    typeof candidate.masterKeyStatus === 'function' &&
    typeof candidate.beginMasterKeyRotation === 'function' &&
    typeof candidate.rewrapBatch === 'function' &&
    typeof candidate.finishMasterKeyRotation === 'function'
  );
}
