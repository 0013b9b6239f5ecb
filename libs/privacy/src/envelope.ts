import { GCM_IV_BYTES, GCM_TAG_BYTES, gcmOpen, gcmSeal } from './aes-gcm.js';
import { DecryptionFailedError } from './errors.js';
import { KeyDestroyedError, type KeyStore } from './key-store.port.js';

/**
 * A personal value encrypted under a data key. It travels inside events and read models as a plain
 * JSON object; only `Envelope.open` with the key store turns it back into the value.
 * `iv`, `ct` and `tag` are unpadded base64url; AES-256-GCM with a 12-byte random IV and a 16-byte tag;
 * the AAD binds `kid` and the format version, so a sealed value cannot be re-labelled with another key id.
 */
export interface Sealed {
  readonly $sealed: 1;
  readonly kid: string;
  readonly iv: string;
  readonly ct: string;
  readonly tag: string;
}

export const SEALED_FORMAT_VERSION = 1;

export function isSealed(x: unknown): x is Sealed {
  if (typeof x !== 'object' || x === null) return false;
  const candidate = x as Record<string, unknown>;
  return (
    candidate['$sealed'] === SEALED_FORMAT_VERSION &&
    typeof candidate['kid'] === 'string' &&
    typeof candidate['iv'] === 'string' &&
    typeof candidate['ct'] === 'string' &&
    typeof candidate['tag'] === 'string'
  );
}

function sealedAad(kid: string): Buffer {
  return Buffer.from(JSON.stringify(['pruefpfad/sealed', SEALED_FORMAT_VERSION, kid]), 'utf8');
}

/** Strict base64url: Buffer.from would silently skip foreign characters and accept padding variants. */
function decodeBase64Url(text: string, kid: string, field: string): Buffer {
  const bytes = /^[A-Za-z0-9_-]*$/u.test(text) ? Buffer.from(text, 'base64url') : null;
  if (bytes === null || bytes.toString('base64url') !== text) {
    throw new DecryptionFailedError(kid, `${field} is not canonical base64url`);
  }
  return bytes;
}

export class Envelope {
  constructor(private readonly keyStore: KeyStore) {}

  /**
   * Encrypts `JSON.stringify(value)` under the data key `keyId` (created on first use). Refuses
   * `undefined` and `null`: there is nothing to protect, and a sealed null would be indistinguishable
   * from a destroyed key in `openOrNull`. Fails with `KeyDestroyedError` once the key was destroyed.
   */
  async seal(keyId: string, value: unknown): Promise<Sealed> {
    const json = value === null ? undefined : JSON.stringify(value);
    if (json === undefined) throw new TypeError('Envelope.seal: the value must be JSON and not null');
    const { key } = await this.keyStore.getOrCreate(keyId);
    const box = gcmSeal(key, sealedAad(keyId), Buffer.from(json, 'utf8'));
    return {
      $sealed: SEALED_FORMAT_VERSION,
      kid: keyId,
      iv: box.iv.toString('base64url'),
      ct: box.ct.toString('base64url'),
      tag: box.tag.toString('base64url'),
    };
  }

  /**
   * The value sealed. `KeyDestroyedError` when its key was destroyed (crypto-shredded);
   * `DecryptionFailedError` when the input is not a well-formed sealed value, was changed, or its key
   * does not exist (e.g. a key store restored from a backup older than the events).
   */
  async open(sealed: Sealed): Promise<unknown> {
    if (!isSealed(sealed)) throw new DecryptionFailedError(null, 'not a sealed value of a known version');
    const { kid } = sealed;
    const box = {
      iv: decodeBase64Url(sealed.iv, kid, 'iv'),
      ct: decodeBase64Url(sealed.ct, kid, 'ct'),
      tag: decodeBase64Url(sealed.tag, kid, 'tag'),
    };
    if (box.iv.byteLength !== GCM_IV_BYTES) throw new DecryptionFailedError(kid, 'iv has the wrong length');
    if (box.tag.byteLength !== GCM_TAG_BYTES) throw new DecryptionFailedError(kid, 'tag has the wrong length');
    const dataKey = await this.keyStore.get(kid);
    if (dataKey === null) {
      if (await this.keyStore.isDestroyed(kid)) throw new KeyDestroyedError(kid);
      throw new DecryptionFailedError(kid, 'no data key with this id');
    }
    const plaintext = gcmOpen(dataKey.key, sealedAad(kid), box);
    if (plaintext === null) throw new DecryptionFailedError(kid, 'authentication failed (changed or foreign data)');
    try {
      return JSON.parse(plaintext.toString('utf8')) as unknown;
    } catch {
      throw new DecryptionFailedError(kid, 'plaintext is not JSON');
    }
  }

  /** Like `open`, but null when the key was destroyed; every other failure still throws. */
  async openOrNull(sealed: Sealed): Promise<unknown> {
    try {
      return await this.open(sealed);
    } catch (error) {
      if (error instanceof KeyDestroyedError) return null;
      throw error;
    }
  }
}
