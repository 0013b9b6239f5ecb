/**
 * One thing verification found wrong. Technical facts only (stream, revision, position, reason), never
 * event content, so operators may see them as well as auditors.
 *
 * - `chain-broken`: the stream's own HMAC chain fails (an event changed, inserted or removed);
 * - `truncated`: a sealed revision is gone from the stream's end;
 * - `sealed-head-changed`: the event at a sealed revision has another chain value than when sealed;
 * - `stream-missing`: a sealed stream has no events any more. Removed without trace or deleted by
 *   retention: the event store port answers both alike (see `chain-verification.ts`);
 * - `seal-invalid`: the seal stream itself is damaged.
 */
export type ChainFindingKind = 'chain-broken' | 'truncated' | 'sealed-head-changed' | 'stream-missing' | 'seal-invalid';

export interface ChainFinding {
  readonly streamId: string;
  readonly tenant: string | null;
  readonly kind: ChainFindingKind;
  /** The revision where the stream breaks (for a missing event: the revision it had). */
  readonly revision: number | null;
  /** Global position of the offending event, null when that event is gone. */
  readonly position: number | null;
  /** German / English. */
  readonly reason: string;
}
