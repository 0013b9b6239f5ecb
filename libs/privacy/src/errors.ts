/**
 * Errors of the privacy library. Each carries a stable `code` so the HTTP and CLI layers can map it in
 * one place. `KeyDestroyedError` lives in `key-store.port.ts` because the port promises it.
 */

/** Ciphertext that cannot be opened: tampered, malformed, under another key, or its key is missing. */
export class DecryptionFailedError extends Error {
  readonly code = 'DECRYPTION_FAILED';
  constructor(
    readonly keyId: string | null,
    readonly reason: string,
  ) {
    super(`Decryption failed${keyId === null ? '' : ` for key ${keyId}`}: ${reason}`);
    this.name = 'DecryptionFailedError';
  }
}

export type MasterKeyErrorCode =
  | 'MASTER_KEY_MISSING'
  | 'MASTER_KEY_INVALID'
  | 'MASTER_KEY_WEAK'
  | 'MASTER_KEY_INSECURE_PERMISSIONS'
  | 'MASTER_KEY_MISMATCH'
  /** The key was replaced by a rotation, or a row is wrapped under a key this process does not hold. */
  | 'MASTER_KEY_ROTATED'
  /** A rotation step that does not fit the rotation under way (another target, not finished, same key). */
  | 'MASTER_KEY_ROTATION_CONFLICT'
  /** An offline rotation is recorded: only the rotating CLI, holding both keys, may open the store. */
  | 'MASTER_KEY_ROTATION_IN_PROGRESS';

/**
 * A configuration problem with the master key. Raised at start-up and read by an operator, so the
 * message is German first, English second, and never contains key material.
 */
export class MasterKeyError extends Error {
  constructor(
    readonly code: MasterKeyErrorCode,
    german: string,
    english: string,
  ) {
    super(`${german}\n${english}`);
    this.name = 'MasterKeyError';
  }
}

export class KeyStoreClosedError extends Error {
  readonly code = 'KEY_STORE_CLOSED';
  constructor() {
    super('The key store is closed');
    this.name = 'KeyStoreClosedError';
  }
}

export class InvalidKeyIdError extends Error {
  readonly code = 'INVALID_KEY_ID';
  constructor(
    readonly keyId: unknown,
    reason: string,
  ) {
    super(`Invalid key id ${JSON.stringify(String(keyId)).slice(0, 80)}: ${reason}`);
    this.name = 'InvalidKeyIdError';
  }
}
