import { createHash } from 'node:crypto';
import { canonicalJson, CHAIN_GENESIS, type RecordedEvent } from '@pruefpfad/event-store';

/**
 * Sealed chain heads. A per-stream HMAC chain shows a changed, inserted or removed event, but not a
 * stream whose newest events were cut off, nor a stream removed as a whole: what is left is still a
 * valid chain. A seal remembers, for every stream that changed since the previous seal, its last
 * revision and chain value, in a long-lived stream of its own; verification later demands that each
 * sealed revision is still there with the same chain value.
 *
 * Seals are incremental (only streams changed since the previous seal), so the heads known for a stream
 * are those of the newest seal that names it. The seal stream is chained twice over: by the store's HMAC
 * chain like every stream, and by `previousSealHash`, so seals can also be checked outside the store
 * (the sealer logs each `sealHash`).
 */
export const CHAIN_SEALS_STREAM = 'audit-chain-seals';
export const CHAIN_HEADS_SEALED = 'ChainHeadsSealed';
export const CHAIN_HEADS_SEALED_VERSION = 1;
/** Seals belong to no Jobcenter: they cover every tenant's streams. */
export const SEAL_TENANT = 'system';
export const SEAL_ACTOR = { userId: 'system:chain-sealer', role: 'system' } as const;

export interface SealedHead {
  readonly streamId: string;
  /** Revision of the stream's last event when sealed. */
  readonly revision: number;
  /** Chain value of that event. */
  readonly chain: string;
  /** Tenant of the stream (event metadata), so auditors can be shown their own streams even once removed. */
  readonly tenant: string | null;
}

export interface ChainHeadsSealedData {
  /** 1 for the first seal, then consecutive. */
  readonly sealNumber: number;
  /** `readAll` was followed from here (exclusive: the previous seal's `throughPosition`, 0 at first)… */
  readonly fromPosition: number;
  /** …up to here (inclusive): the next seal continues after it. */
  readonly throughPosition: number;
  /** Sorted by stream id. */
  readonly heads: readonly SealedHead[];
  readonly headsHash: string;
  /** `sealHash` of the previous seal; `CHAIN_GENESIS` for the first. */
  readonly previousSealHash: string;
  readonly sealHash: string;
}

export interface ChainHeadsSealed {
  readonly type: typeof CHAIN_HEADS_SEALED;
  readonly data: ChainHeadsSealedData;
}

function sha256(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

export function headsHash(heads: readonly SealedHead[]): string {
  return sha256(heads);
}

export function sealHash(
  seal: Pick<
    ChainHeadsSealedData,
    'sealNumber' | 'fromPosition' | 'throughPosition' | 'headsHash' | 'previousSealHash'
  >,
): string {
  return sha256({
    sealNumber: seal.sealNumber,
    fromPosition: seal.fromPosition,
    throughPosition: seal.throughPosition,
    headsHash: seal.headsHash,
    previousSealHash: seal.previousSealHash,
  });
}

/** Builds the seal following `previous` (null: the first seal). */
export function buildSeal(
  previous: ChainHeadsSealedData | null,
  throughPosition: number,
  heads: readonly SealedHead[],
): ChainHeadsSealedData {
  const sorted = [...heads].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
  const base = {
    sealNumber: (previous?.sealNumber ?? 0) + 1,
    fromPosition: previous?.throughPosition ?? 0,
    throughPosition,
    headsHash: headsHash(sorted),
    previousSealHash: previous?.sealHash ?? CHAIN_GENESIS,
  };
  return { ...base, heads: sorted, sealHash: sealHash(base) };
}

/** Structural check of a stored seal (a tampered one may be anything). */
export function isSealData(value: unknown): value is ChainHeadsSealedData {
  if (value === null || typeof value !== 'object') return false;
  const seal = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(seal.sealNumber) &&
    Number.isSafeInteger(seal.fromPosition) &&
    Number.isSafeInteger(seal.throughPosition) &&
    typeof seal.headsHash === 'string' &&
    typeof seal.previousSealHash === 'string' &&
    typeof seal.sealHash === 'string' &&
    Array.isArray(seal.heads) &&
    seal.heads.every((head: unknown) => {
      if (head === null || typeof head !== 'object') return false;
      const entry = head as Record<string, unknown>;
      return (
        typeof entry.streamId === 'string' &&
        Number.isSafeInteger(entry.revision) &&
        typeof entry.chain === 'string' &&
        (entry.tenant === null || typeof entry.tenant === 'string')
      );
    })
  );
}

/** The tenant an event names in its metadata, if any. */
export function tenantOf(event: Pick<RecordedEvent, 'metadata'>): string | null {
  const tenant = (event.metadata as { tenant?: unknown } | null)?.tenant;
  return typeof tenant === 'string' ? tenant : null;
}
