import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const AES_256_KEY_BYTES = 32;
export const GCM_IV_BYTES = 12;
export const GCM_TAG_BYTES = 16;

export interface GcmBox {
  readonly iv: Buffer;
  readonly ct: Buffer;
  readonly tag: Buffer;
}

function assertKey(key: Uint8Array): void {
  if (key.byteLength !== AES_256_KEY_BYTES) throw new RangeError(`AES-256 needs a ${AES_256_KEY_BYTES}-byte key`);
}

/** AES-256-GCM with a fresh random 96-bit IV per call (keys here protect few messages each). */
export function gcmSeal(key: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): GcmBox {
  assertKey(key);
  const iv = randomBytes(GCM_IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_BYTES });
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ct, tag: cipher.getAuthTag() };
}

/** The plaintext, or null when authentication fails (wrong key, wrong AAD, any changed byte). */
export function gcmOpen(key: Uint8Array, aad: Uint8Array, box: GcmBox): Buffer | null {
  assertKey(key);
  // Node's GCM would accept a truncated tag unless the length is pinned; a short tag is forgeable.
  if (box.iv.byteLength !== GCM_IV_BYTES || box.tag.byteLength !== GCM_TAG_BYTES) return null;
  const decipher = createDecipheriv('aes-256-gcm', key, box.iv, { authTagLength: GCM_TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(box.tag);
  try {
    return Buffer.concat([decipher.update(box.ct), decipher.final()]);
  } catch {
    return null;
  }
}
