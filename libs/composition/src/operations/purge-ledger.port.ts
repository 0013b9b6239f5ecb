/**
 * The purge ledger: every key destruction and stream deletion a retention purge carries out, recorded in
 * a store of its own, apart from the events (embedded: an SQLite file in the key directory; server: a
 * MongoDB database of its own). A restore puts back an event store (and maybe a key store) from before
 * some purges; the purge records written since are lost with the events they were written beside, but
 * the ledger is not part of that backup, so `restore` re-applies every entry and nothing destroyed comes
 * back.
 *
 * Entries name ids only (review, measure, population, stream and key ids, dates): no content, no personal
 * data, so the ledger may be kept as long as backups of the event store exist.
 *
 * Crash ordering: the retention code records the entry BEFORE it destroys a key or deletes a stream, and
 * only once the purge can no longer stop (after the legal-hold check closed the hold). An entry whose
 * purge did not finish is finished by the reactor's redelivery, and re-applying it after a restore is
 * what the purge would have done anyway. Recording is idempotent (one entry per purge id; a repeated
 * record adds keys and streams the first one did not name), so redeliveries never duplicate it.
 */

/** What a ledger entry stands for (and how `restore` records it again in a restored event store). */
export type PurgeLedgerKind = 'review-purge' | 'population-purge' | 'population-references';

export interface PurgeLedgerEntry {
  /** One entry per purge: `review-purge:<reviewId>`, `population-purge:<populationId>`, … */
  readonly id: string;
  readonly kind: PurgeLedgerKind;
  readonly tenant: string;
  /** The review's or population's id. */
  readonly subjectId: string;
  /** Key ids destroyed (or to be destroyed) by this purge. */
  readonly keys: readonly string[];
  /** Streams deleted (or to be deleted) by this purge. */
  readonly streams: readonly string[];
  /**
   * What re-recording the purge in a restored event store needs, without content (the start event's data:
   * ids, dates, trigger). JSON.
   */
  readonly record: Readonly<Record<string, unknown>>;
  /** When the entry was first recorded (ISO 8601, UTC). */
  readonly recordedAt: string;
}

export interface PurgeLedger {
  /**
   * Records the entry durably before resolving (embedded: `synchronous=FULL`; MongoDB: majority, journal).
   * Idempotent by `id`: a second record keeps the first `recordedAt` and `record` and adds any key or
   * stream the first one lacked. Resolves with the stored entry.
   */
  record(entry: PurgeLedgerEntry): Promise<PurgeLedgerEntry>;
  /** Every entry, oldest first (by `recordedAt`, then `id`). */
  list(): Promise<readonly PurgeLedgerEntry[]>;
  /** Number of entries (for the backup manifest and the storage report). */
  count(): Promise<number>;
  /** Where it lives, for operators (a file, or `mongodb:<database>.<collection>`). */
  readonly location: string;
  close(): Promise<void>;
}

/** Merges two versions of one entry: the first `recordedAt`/`record`, the union of keys and streams. */
export function mergeLedgerEntries(first: PurgeLedgerEntry, second: PurgeLedgerEntry): PurgeLedgerEntry {
  const [older, newer] = first.recordedAt <= second.recordedAt ? [first, second] : [second, first];
  return {
    ...older,
    keys: [...new Set([...older.keys, ...newer.keys])],
    streams: [...new Set([...older.streams, ...newer.streams])],
  };
}

/** The union of several ledgers' entries (e.g. the live one and copies kept with backups), oldest first. */
export function unionOfLedgers(...lists: readonly (readonly PurgeLedgerEntry[])[]): PurgeLedgerEntry[] {
  const byId = new Map<string, PurgeLedgerEntry>();
  for (const list of lists)
    for (const entry of list) {
      const known = byId.get(entry.id);
      byId.set(entry.id, known === undefined ? entry : mergeLedgerEntries(known, entry));
    }
  return [...byId.values()].sort((a, b) => a.recordedAt.localeCompare(b.recordedAt) || a.id.localeCompare(b.id));
}
