import { unwrapMasterKey, WRAPPED_KEY_BYTES } from '../key-wrap.js';

/**
 * Whether `wanted` (a master-key id) can be unwrapped with `holder` from anything in `chunks`: every
 * offset of the raw bytes (a BLOB or BSON Binary) and of every base64 run in them (the embedded record is
 * JSON text). What an attacker holding the old key would try on a copy of the store.
 */
export function findsMasterKeyHandover(chunks: readonly Uint8Array[], holder: Uint8Array, wanted: string): boolean {
  const candidates: Buffer[] = [];
  for (const chunk of chunks) {
    const raw = Buffer.from(chunk);
    candidates.push(raw);
    for (const run of raw.toString('latin1').match(/[A-Za-z0-9+/]{80,}={0,2}/gu) ?? []) {
      candidates.push(Buffer.from(run, 'base64'));
    }
  }
  for (const bytes of candidates) {
    for (let offset = 0; offset + WRAPPED_KEY_BYTES <= bytes.byteLength; offset++) {
      // Every wrapping starts with its version byte, 1.
      if (bytes[offset] !== 1) continue;
      const key = unwrapMasterKey(holder, wanted, bytes.subarray(offset, offset + WRAPPED_KEY_BYTES));
      if (key !== null) {
        key.fill(0);
        return true;
      }
    }
  }
  return false;
}
