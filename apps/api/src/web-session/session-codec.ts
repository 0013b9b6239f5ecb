import { hkdfSync } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { CompactEncrypt, compactDecrypt } from 'jose';

/**
 * Seals small JSON values into compact JWEs (`dir` + `A256GCM`) under a key derived with HKDF-SHA256
 * from the session secret, one key per purpose, so a login-state cookie can never pass for a session.
 * The JSON is deflated before encryption (our own bytes, no attacker-chosen text beside secrets): an
 * OIDC session with its refresh and ID tokens then stays well inside a browser's 4 KB per cookie.
 */
export type SealPurpose = 'session' | 'login-state';

const MAX_INFLATED_BYTES = 64 * 1024;

export class SessionCodec {
  private readonly keys: Record<SealPurpose, Uint8Array>;

  constructor(secret: Uint8Array) {
    if (secret.byteLength < 32) throw new Error('The session secret must have at least 32 bytes');
    const derive = (purpose: SealPurpose): Uint8Array =>
      new Uint8Array(hkdfSync('sha256', secret, 'pruefpfad', `pruefpfad web ${purpose} v1`, 32));
    this.keys = { session: derive('session'), 'login-state': derive('login-state') };
  }

  async seal(purpose: SealPurpose, value: unknown): Promise<string> {
    const plaintext = deflateRawSync(Buffer.from(JSON.stringify(value), 'utf8'));
    return new CompactEncrypt(plaintext)
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: `pruefpfad-${purpose}+deflate` })
      .encrypt(this.keys[purpose]);
  }

  /** The sealed value, or null for anything we did not seal for this purpose (never throws). */
  async open(purpose: SealPurpose, token: string): Promise<unknown> {
    try {
      const { plaintext, protectedHeader } = await compactDecrypt(token, this.keys[purpose], {
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: ['A256GCM'],
      });
      if (protectedHeader.cty !== `pruefpfad-${purpose}+deflate`) return null;
      const json = inflateRawSync(plaintext, { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8');
      return JSON.parse(json) as unknown;
    } catch {
      return null;
    }
  }
}
