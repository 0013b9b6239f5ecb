import type { PopulationPurgeStarted, ReviewPurgeStarted } from '@pruefpfad/domain';
import { populationKeyId } from '@pruefpfad/privacy';
import type { PurgeLedgerEntry } from '../operations/purge-ledger.port.js';
import type { PopulationReferencesEntry } from './population-references.js';

/*
 * The purge ledger's entries, one per purge, named by what they purge. `record` holds the start event's
 * data (ids, dates, trigger: no content), which a restore needs to record the purge again in an event
 * store restored from before it.
 */

export const reviewPurgeLedgerId = (reviewId: string): string => `review-purge:${reviewId}`;
export const populationPurgeLedgerId = (populationId: string): string => `population-purge:${populationId}`;
export const populationReferencesLedgerId = (populationId: string): string => `population-references:${populationId}`;

export function reviewPurgeLedgerEntry(
  started: ReviewPurgeStarted['data'],
  keys: readonly string[],
  streams: readonly string[],
  now: Date,
): PurgeLedgerEntry {
  return {
    id: reviewPurgeLedgerId(started.reviewId),
    kind: 'review-purge',
    tenant: started.tenant,
    subjectId: started.reviewId,
    keys,
    streams,
    record: { ...started, measureIds: [...started.measureIds] },
    recordedAt: now.toISOString(),
  };
}

export function populationPurgeLedgerEntry(
  started: PopulationPurgeStarted['data'],
  keys: readonly string[],
  streams: readonly string[],
  now: Date,
): PurgeLedgerEntry {
  return {
    id: populationPurgeLedgerId(started.populationId),
    kind: 'population-purge',
    tenant: started.tenant,
    subjectId: started.populationId,
    keys,
    streams,
    record: { ...started, sampleIds: [...started.sampleIds] },
    recordedAt: now.toISOString(),
  };
}

export function populationReferencesLedgerEntry(entry: PopulationReferencesEntry, now: Date): PurgeLedgerEntry {
  return {
    id: populationReferencesLedgerId(entry.populationId),
    kind: 'population-references',
    tenant: entry.tenant,
    subjectId: entry.populationId,
    keys: [populationKeyId(entry.populationId)],
    streams: [],
    record: { ...entry },
    recordedAt: now.toISOString(),
  };
}
