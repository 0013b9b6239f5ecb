import { createHmac } from 'node:crypto';
import { pseudonymKeyId } from './key-ids.js';
import type { KeyStore } from './key-store.port.js';

/**
 * Pseudonyms and blind indexes: a keyed, deterministic digest of a personal value (customer reference,
 * employee id). The same value gives the same pseudonym under the same key and purpose, so views can
 * group and search by it without holding the value.
 *
 * The key is the tenant's `system:pseudonym:<tenant>` entry in its key store and stays with the
 * Jobcenter: cross-level views (Land, Bund) receive pseudonyms only, and without the key a pseudonym
 * cannot be tested against guessed values (customer references are far too guessable for a plain hash).
 */
export const PSEUDONYM_MIN_KEY_BYTES = 32;
/** 160 bits: collisions are out of reach for any population, and 32 base32 characters stay readable. */
const PSEUDONYM_BYTES = 20;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * Unicode NFKC, trimmed, inner whitespace collapsed to one space, lower case: `" 123 d 456"` and
 * `"123 D 456"` are the same reference as typed by two people. Locale-independent on purpose.
 */
export function normalisePseudonymInput(value: string): string {
  return value.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

/**
 * HMAC-SHA256(key, "pruefpfad/pseudonym/v1" NUL purpose NUL normalised value), first 160 bits, as
 * lower-case unpadded base32 (32 characters). The purpose separates uses: the same reference gives
 * unrelated pseudonyms for, say, `customer-ref` and `employee`.
 */
export function pseudonymise(key: Uint8Array, value: string, purpose: string): string {
  if (key.byteLength < PSEUDONYM_MIN_KEY_BYTES) {
    throw new RangeError(`A pseudonym key needs at least ${PSEUDONYM_MIN_KEY_BYTES} bytes`);
  }
  if (!/^[a-z0-9][a-z0-9._:-]*$/u.test(purpose)) {
    throw new RangeError(`Pseudonym purpose ${JSON.stringify(purpose)} must be a lower-case token`);
  }
  const normalised = normalisePseudonymInput(value);
  if (normalised.length === 0) throw new RangeError('Cannot pseudonymise an empty value');
  const digest = createHmac('sha256', key)
    .update(`pruefpfad/pseudonym/v1\u0000${purpose}\u0000${normalised}`, 'utf8')
    .digest();
  return base32(digest.subarray(0, PSEUDONYM_BYTES));
}

/**
 * The purpose of case references (customer numbers): the blind index the population import, the reviews
 * opened from a draw and the lookup by customer number all compute alike.
 */
export const CASE_REF_PURPOSE = 'case-ref';

/** The tenant's pseudonym key from its key store (created on first use). */
export async function tenantPseudonymKey(keyStore: KeyStore, tenant: string): Promise<Uint8Array> {
  return (await keyStore.getOrCreate(pseudonymKeyId(tenant))).key;
}

function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}
