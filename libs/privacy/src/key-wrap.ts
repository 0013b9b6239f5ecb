import { createHmac, randomBytes } from 'node:crypto';
import { AES_256_KEY_BYTES, GCM_IV_BYTES, GCM_TAG_BYTES, gcmOpen, gcmSeal } from './aes-gcm.js';
import { DecryptionFailedError } from './errors.js';

/**
 * Wrapping of data keys under the master key, shared by every key-store adapter so that a wrapped key
 * means the same bytes everywhere: `version(1) ‖ iv(12) ‖ tag(16) ‖ ciphertext(32)`, AES-256-GCM,
 * AAD = `pruefpfad/data-key/v1 NUL <keyId>`. Binding the id means a wrapped key copied onto another id
 * does not unwrap there.
 */
export const DATA_KEY_BYTES = AES_256_KEY_BYTES;
const WRAP_VERSION = 1;
export const WRAPPED_KEY_BYTES = 1 + GCM_IV_BYTES + GCM_TAG_BYTES + DATA_KEY_BYTES;

export function newDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}

function dataKeyAad(keyId: string): Buffer {
  return Buffer.from(`pruefpfad/data-key/v${WRAP_VERSION}\u0000${keyId}`, 'utf8');
}

function pack(box: { iv: Buffer; tag: Buffer; ct: Buffer }): Buffer {
  return Buffer.concat([Buffer.of(WRAP_VERSION), box.iv, box.tag, box.ct]);
}

function unpack(wrapped: Uint8Array): { iv: Buffer; tag: Buffer; ct: Buffer } | null {
  const bytes = Buffer.from(wrapped.buffer, wrapped.byteOffset, wrapped.byteLength);
  if (bytes.byteLength !== WRAPPED_KEY_BYTES || bytes[0] !== WRAP_VERSION) return null;
  return {
    iv: bytes.subarray(1, 1 + GCM_IV_BYTES),
    tag: bytes.subarray(1 + GCM_IV_BYTES, 1 + GCM_IV_BYTES + GCM_TAG_BYTES),
    ct: bytes.subarray(1 + GCM_IV_BYTES + GCM_TAG_BYTES),
  };
}

export function wrapDataKey(masterKey: Uint8Array, keyId: string, dataKey: Uint8Array): Buffer {
  if (dataKey.byteLength !== DATA_KEY_BYTES) throw new RangeError(`A data key has ${DATA_KEY_BYTES} bytes`);
  return pack(gcmSeal(masterKey, dataKeyAad(keyId), dataKey));
}

/** Throws `DecryptionFailedError` for a wrong master key, another key id, or any changed byte. */
export function unwrapDataKey(masterKey: Uint8Array, keyId: string, wrapped: Uint8Array): Buffer {
  const box = unpack(wrapped);
  if (box === null) throw new DecryptionFailedError(keyId, 'wrapped key has an unknown format');
  const key = gcmOpen(masterKey, dataKeyAad(keyId), box);
  if (key === null || key.byteLength !== DATA_KEY_BYTES) {
    throw new DecryptionFailedError(keyId, 'wrapped key does not open under this master key and key id');
  }
  return key;
}

const MASTER_CHECK_AAD = Buffer.from('pruefpfad/master-check/v1', 'utf8');
const MASTER_CHECK_PLAINTEXT = Buffer.from('pruefpfad master key check', 'utf8');

/**
 * A small token a key store keeps next to its keys so that opening it with another master key fails
 * at start-up with a clear message instead of on the first read of personal data.
 */
export function createMasterKeyCheck(masterKey: Uint8Array): Buffer {
  return pack(gcmSeal(masterKey, MASTER_CHECK_AAD, MASTER_CHECK_PLAINTEXT));
}

export function verifyMasterKeyCheck(masterKey: Uint8Array, check: Uint8Array): boolean {
  const bytes = Buffer.from(check.buffer, check.byteOffset, check.byteLength);
  if (bytes.byteLength < 1 + GCM_IV_BYTES + GCM_TAG_BYTES || bytes[0] !== WRAP_VERSION) return false;
  const plaintext = gcmOpen(masterKey, MASTER_CHECK_AAD, {
    iv: bytes.subarray(1, 1 + GCM_IV_BYTES),
    tag: bytes.subarray(1 + GCM_IV_BYTES, 1 + GCM_IV_BYTES + GCM_TAG_BYTES),
    ct: bytes.subarray(1 + GCM_IV_BYTES + GCM_TAG_BYTES),
  });
  return plaintext !== null && plaintext.equals(MASTER_CHECK_PLAINTEXT);
}

const MASTER_KEY_ID_LABEL = Buffer.from('pruefpfad/master-key-id/v1', 'utf8');

/**
 * A master key's public name: the first 16 bytes of HMAC-SHA256(key, label), hex. It tells which master
 * key wraps a row and which key a store is under, without revealing anything about the key (HMAC is a
 * PRF); stores, logs and error messages may show it.
 */
export function masterKeyId(masterKey: Uint8Array): string {
  if (masterKey.byteLength !== DATA_KEY_BYTES) throw new RangeError(`A master key has ${DATA_KEY_BYTES} bytes`);
  return createHmac('sha256', masterKey).update(MASTER_KEY_ID_LABEL).digest('hex').slice(0, 32);
}

function handoverAad(wrappingId: string, wrappedId: string): Buffer {
  return Buffer.from(`pruefpfad/master-key-handover/v${WRAP_VERSION}\u0000${wrappingId}\u0000${wrappedId}`, 'utf8');
}

/**
 * One master key wrapped under another, kept in the store only while a rotation runs, so that a process
 * holding either key learns the other one (see `master-keyring.ts`). Same format as a wrapped data key;
 * the AAD binds both ids.
 */
export function wrapMasterKey(wrapping: Uint8Array, wrapped: Uint8Array): Buffer {
  return pack(gcmSeal(wrapping, handoverAad(masterKeyId(wrapping), masterKeyId(wrapped)), wrapped));
}

/** The master key `wrappedId`, or null when `wrapping` does not open the handover. */
export function unwrapMasterKey(wrapping: Uint8Array, wrappedId: string, handover: Uint8Array): Buffer | null {
  const box = unpack(handover);
  if (box === null) return null;
  const key = gcmOpen(wrapping, handoverAad(masterKeyId(wrapping), wrappedId), box);
  if (key === null || key.byteLength !== DATA_KEY_BYTES || masterKeyId(key) !== wrappedId) return null;
  return key;
}
