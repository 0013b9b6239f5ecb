import { createHmac } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** What the chain covers: everything that gives an event its meaning and place in its stream. */
export interface ChainInput {
  readonly streamId: string;
  readonly revision: number;
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  /** The data as stored (before any upcasting). */
  readonly data: unknown;
  readonly metadata: unknown;
}

/** The chain value of the first event uses this as its predecessor. */
export const CHAIN_GENESIS = '0'.repeat(64);

/**
 * chain(n) = HMAC-SHA256(key, chain(n-1) ‖ canonical(event n)). Changing an event breaks its own link;
 * removing or inserting one breaks the next link (revisions are covered too); truncating the tail is
 * caught by comparing with sealed chain heads (audit issue).
 *
 * Hot paths should pass a `KeyObject` (`createSecretKey(key)` once): importing raw key bytes on every
 * call costs several times the HMAC itself.
 */
export function chainLink(key: Uint8Array | KeyObject, previous: string, event: ChainInput): string {
  const body = canonicalJson({
    d: event.data,
    i: event.id,
    m: event.metadata,
    r: event.revision,
    s: event.streamId,
    t: event.type,
    v: event.schemaVersion,
  });
  return createHmac('sha256', key).update(previous).update('\n').update(body).digest('hex');
}
