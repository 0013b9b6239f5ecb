import { randomUUID } from 'node:crypto';
import type { Doc, DocumentStore } from '@pruefpfad/read-store';
import { LeaseLostError } from './projection-status.js';

/** Collection holding lease records; not a projected collection (conditional `putIf`/`deleteIf`). */
export const LEASE_COLLECTION = '_leases';

export interface LeaseRecord extends Doc {
  readonly owner: string;
  /** Epoch milliseconds; after this anyone may take the lease over. */
  readonly expiresAt: number;
  readonly acquiredAt: string;
  readonly renewedAt: string;
}

export interface LeaseOptions {
  readonly documentStore: DocumentStore;
  /** E.g. `projection:reviews` (server-mode runner) or `rebuild:reviews` (rebuild lock). */
  readonly key: string;
  /** Unique per process and purpose (host name, pid and a random part). */
  readonly owner: string;
  /** How long a lease lives without renewal (default 30 s). */
  readonly ttlMs?: number;
  /** Epoch milliseconds; injectable so tests can expire a lease without waiting. */
  readonly clock?: () => number;
}

/**
 * A lease (lock with expiry) kept as a document: the owner renews it well before `expiresAt`; when the
 * owner dies its lease expires and another process takes over. Used for one active projection runner per
 * projection in server mode and for refusing a second rebuild of the same projection.
 *
 * Every change is one conditional write (`DocumentStore.putIf`/`deleteIf`), decided by the store against
 * the record as it is at that moment: acquire writes only if the lease is free, expired or already ours;
 * renew only if it is still ours and unexpired; release deletes only our own record. So a holder that
 * stalled (an event-loop pause, a slow store) past its expiry cannot take a lease back that another
 * process took over meanwhile, nor delete it. Expiry is judged by this process's clock (`expiresAt` is
 * written by the holder's clock): clocks of the processes sharing a lease must agree to well within the TTL.
 *
 * Holders must re-check (`verify`) right before an irreversible step (switching an alias): a holder that
 * was paused longer than the TTL may have lost its lease without knowing. What a stalled holder writes
 * meanwhile is refused by the read store where it matters: a projection checkpoint never moves backwards.
 */
export class DocumentLease {
  readonly key: string;
  readonly owner: string;
  readonly ttlMs: number;
  private readonly store: DocumentStore;
  private readonly clock: () => number;
  private renewedAt = 0;
  private acquiredAt: string | null = null;
  private isHeld = false;

  constructor(options: LeaseOptions) {
    this.store = options.documentStore;
    this.key = options.key;
    this.owner = options.owner;
    this.ttlMs = options.ttlMs ?? 30_000;
    this.clock = options.clock ?? Date.now;
  }

  /** Whether this process believes it holds the lease (as of its last acquire, renew or verify). */
  get held(): boolean {
    return this.isHeld && this.clock() < this.renewedAt + this.ttlMs;
  }

  /** The current record, or null when nobody holds an unexpired lease. */
  async holder(): Promise<LeaseRecord | null> {
    const record = await this.read();
    return record !== null && record.expiresAt > this.clock() ? record : null;
  }

  /** Takes the lease when it is free, expired or already ours. Resolves true when held. */
  async acquire(): Promise<boolean> {
    const now = this.clock();
    // Read only to spare a write that cannot win and to keep `acquiredAt` of a lease that is ours;
    // whether this process holds the lease is decided by the conditional write alone.
    const current = await this.read();
    if (current !== null && current.owner !== this.owner && current.expiresAt > now) {
      this.isHeld = false;
      return false;
    }
    const acquiredAt = current?.owner === this.owner ? current.acquiredAt : new Date(now).toISOString();
    const won = await this.store.putIf(LEASE_COLLECTION, this.record(now, acquiredAt), {
      absent: true,
      matches: { $or: [{ owner: this.owner }, { expiresAt: { $lte: now } }] },
    });
    this.isHeld = won;
    if (won) {
      this.acquiredAt = acquiredAt;
      this.renewedAt = now;
    }
    return won;
  }

  /** Extends the lease if it is still ours and unexpired; throws `LeaseLostError` otherwise. */
  async renew(): Promise<void> {
    const now = this.clock();
    const renewed = await this.store.putIf(
      LEASE_COLLECTION,
      this.record(now, this.acquiredAt ?? new Date(now).toISOString()),
      { matches: { owner: this.owner, expiresAt: { $gt: now } } },
    );
    if (!renewed) {
      this.isHeld = false;
      throw new LeaseLostError(this.key, this.owner);
    }
    this.isHeld = true;
    this.renewedAt = now;
  }

  /** Renews when a third of the TTL has passed since the last renewal (cheap to call per batch). */
  async renewIfDue(): Promise<void> {
    if (this.clock() - this.renewedAt >= this.ttlMs / 3) await this.renew();
  }

  /** Reads the record back; throws `LeaseLostError` unless it is ours and unexpired. */
  async verify(): Promise<void> {
    const record = await this.read();
    if (record === null || record.owner !== this.owner || record.expiresAt <= this.clock()) {
      this.isHeld = false;
      throw new LeaseLostError(this.key, this.owner);
    }
  }

  /** Gives the lease up if it is still ours; another owner's record stays. */
  async release(): Promise<void> {
    this.isHeld = false;
    await this.store.deleteIf(LEASE_COLLECTION, this.key, { owner: this.owner });
  }

  private async read(): Promise<LeaseRecord | null> {
    return (await this.store.get(LEASE_COLLECTION, this.key)) as LeaseRecord | null;
  }

  private record(now: number, acquiredAt: string): LeaseRecord {
    return {
      _id: this.key,
      owner: this.owner,
      expiresAt: now + this.ttlMs,
      acquiredAt,
      renewedAt: new Date(now).toISOString(),
    };
  }
}

/** An owner id that is unique per process and purpose. */
export function leaseOwner(purpose: string): string {
  return `${purpose}:${process.pid}:${randomUUID()}`;
}
