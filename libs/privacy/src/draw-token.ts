import { hkdfSync } from 'node:crypto';
import { populationKeyId } from './key-ids.js';
import type { KeyStore } from './key-store.port.js';
import { pseudonymise } from './pseudonym.js';

/**
 * Draw tokens: what a population stores instead of the tenant-wide pseudonym. A token is the pseudonym
 * under a second HMAC whose key is derived (HKDF-SHA256) from the population's own data key. The draw
 * ranks tokens, so a draw stays recomputable from the stored rows alone; once the population's key is
 * destroyed at the end of its reference window, no key in existence links a token to a pseudonym or a
 * customer number any more, and the population's rows are anonymous, backups of the event store included.
 */
const DRAW_TOKEN_INFO = 'pruefpfad/draw-token/v1';
const DRAW_TOKEN_PURPOSE = 'draw-token';

/** The population's token key, or null once its data key was destroyed. */
export async function populationTokenKey(keyStore: KeyStore, populationId: string): Promise<Uint8Array | null> {
  const dataKey = await keyStore.get(populationKeyId(populationId));
  return dataKey === null ? null : deriveTokenKey(dataKey.key);
}

/** The token key of a new population (its data key is created here). */
export async function newPopulationTokenKey(keyStore: KeyStore, populationId: string): Promise<Uint8Array> {
  return deriveTokenKey((await keyStore.getOrCreate(populationKeyId(populationId))).key);
}

function deriveTokenKey(dataKey: Uint8Array): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', dataKey, new Uint8Array(0), DRAW_TOKEN_INFO, 32));
}

/** The case's token in one population: HMAC of its tenant pseudonym under the population's token key. */
export function drawToken(tokenKey: Uint8Array, casePseudonym: string): string {
  return pseudonymise(tokenKey, casePseudonym, DRAW_TOKEN_PURPOSE);
}
