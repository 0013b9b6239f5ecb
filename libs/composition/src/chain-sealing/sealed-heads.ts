import { CHAIN_GENESIS, type EventStore } from '@pruefpfad/event-store';
import {
  CHAIN_HEADS_SEALED,
  CHAIN_SEALS_STREAM,
  headsHash,
  isSealData,
  sealHash,
  type SealedHead,
} from './chain-seal.js';
import type { ChainFinding } from './chain-finding.js';

export interface SealedHeadState extends SealedHead {
  readonly sealNumber: number;
}

export interface SealSummary {
  readonly count: number;
  readonly lastSealNumber: number | null;
  /** Events up to this position are covered by a seal. */
  readonly sealedThrough: number | null;
  readonly lastSealedAt: string | null;
}

export interface SealedHeads {
  /** Per stream, the head of the newest seal that names it. */
  readonly heads: ReadonlyMap<string, SealedHeadState>;
  readonly summary: SealSummary;
  /** Problems of the seal stream itself. */
  readonly findings: readonly ChainFinding[];
}

/**
 * Folds the seal stream into the newest sealed head per stream, checking each seal on the way: its
 * place in the sequence, its link to the previous seal, and both hashes. A damaged seal is reported, and
 * its heads still count: whatever it names is evidence to compare with.
 */
export async function loadSealedHeads(eventStore: EventStore): Promise<SealedHeads> {
  const findings: ChainFinding[] = [];
  const problem = (revision: number | null, position: number | null, reason: string): void => {
    findings.push({ streamId: CHAIN_SEALS_STREAM, tenant: null, kind: 'seal-invalid', revision, position, reason });
  };
  const verification = await eventStore.verifyStream(CHAIN_SEALS_STREAM);
  if (!verification.ok && verification.brokenAt) {
    problem(
      verification.brokenAt.revision,
      verification.brokenAt.position,
      `Siegelkette gebrochen / seal stream chain broken: ${verification.brokenAt.reason}`,
    );
  }

  const heads = new Map<string, SealedHeadState>();
  const events = await eventStore.readStream(CHAIN_SEALS_STREAM);
  let previousHash = CHAIN_GENESIS;
  let previousThrough = 0;
  let expectedNumber = 1;
  let last: { sealNumber: number; through: number; at: string } | null = null;
  for (const event of events) {
    const seal = event.data;
    if (event.type !== CHAIN_HEADS_SEALED || !isSealData(seal)) {
      problem(event.revision, event.position, 'Kein gültiges Siegel / not a valid seal event');
      continue;
    }
    const complaints: string[] = [];
    if (seal.sealNumber !== expectedNumber)
      complaints.push(`Siegelnummer ${seal.sealNumber} statt ${expectedNumber} / seal number out of sequence`);
    if (seal.previousSealHash !== previousHash)
      complaints.push('Verweis auf das vorige Siegel stimmt nicht / previous seal hash does not match');
    if (seal.fromPosition !== previousThrough) complaints.push('Lücke zum vorigen Siegel / gap to the previous seal');
    if (headsHash(seal.heads) !== seal.headsHash) complaints.push('Hash der Köpfe stimmt nicht / heads hash mismatch');
    if (sealHash(seal) !== seal.sealHash) complaints.push('Siegelhash stimmt nicht / seal hash mismatch');
    if (complaints.length > 0) problem(event.revision, event.position, complaints.join('; '));
    for (const head of seal.heads) heads.set(head.streamId, { ...head, sealNumber: seal.sealNumber });
    previousHash = seal.sealHash;
    previousThrough = seal.throughPosition;
    expectedNumber = seal.sealNumber + 1;
    last = { sealNumber: seal.sealNumber, through: seal.throughPosition, at: event.metadata.occurredAt };
  }
  return {
    heads,
    summary: {
      count: events.length,
      lastSealNumber: last?.sealNumber ?? null,
      sealedThrough: last?.through ?? null,
      lastSealedAt: last?.at ?? null,
    },
    findings,
  };
}
