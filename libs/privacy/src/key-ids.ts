import { InvalidKeyIdError } from './errors.js';

/**
 * Key ids are chosen by the caller. Conventions (not enforced, but every adapter stores them alike):
 * - `review:<reviewId>` and similar `<kind>:<id>`: per-subject data keys, destroyed by retention purges.
 * - `system:chain`: the HMAC key of the event store's per-stream chain. Never destroyed: without it no
 *   chain can be verified any more.
 * - `system:pseudonym:<tenant>`: the tenant's pseudonym / blind-index key. It stays with the Jobcenter
 *   (tenant) in its key store; cross-level views only ever see the pseudonyms it produces.
 * Keys under `system:` are ordinary data keys as far as the store is concerned.
 */
export const SYSTEM_KEY_PREFIX = 'system:';
export const CHAIN_KEY_ID = 'system:chain';

export function pseudonymKeyId(tenant: string): string {
  if (tenant.length === 0) throw new InvalidKeyIdError(tenant, 'tenant must not be empty');
  return assertValidKeyId(`system:pseudonym:${tenant}`);
}

/**
 * A month's population: seals its rows' clear case references and derives its draw-token key
 * (`draw-token.ts`). Destroyed when the population's reference window ends, so both go together.
 */
export const populationKeyId = (populationId: string): string => assertValidKeyId(`population:${populationId}`);

/**
 * A programme's sampling of one month: seals the procedure's reasons (supplementary draw, back-dated draw,
 * void), which must outlive the population's references for auditors, and go with the month's sampling
 * stream when the retention purge deletes it.
 */
export const samplingKeyId = (programmeId: string, month: string): string =>
  assertValidKeyId(`sampling:${programmeId}-${month}`);

export const MAX_KEY_ID_LENGTH = 512;

/** Ids are stored and compared as exact strings; control characters would make logs and AAD ambiguous. */
export function assertValidKeyId(keyId: unknown): string {
  if (typeof keyId !== 'string') throw new InvalidKeyIdError(keyId, 'must be a string');
  if (keyId.length === 0) throw new InvalidKeyIdError(keyId, 'must not be empty');
  if (keyId.length > MAX_KEY_ID_LENGTH) throw new InvalidKeyIdError(keyId, `longer than ${MAX_KEY_ID_LENGTH}`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/u.test(keyId)) throw new InvalidKeyIdError(keyId, 'contains control characters');
  return keyId;
}
