import { randomUUID } from 'node:crypto';
import type { Doc, DocumentStore } from '@pruefpfad/read-store';
import { sleep } from './backoff.js';
import { LeaseLostError } from './projection-status.js';

/** Collection holding lease records; not a projected collection (plain `put`/`delete`). */
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
  /**
   * Wait between writing a claim and reading it back (default 100 ms). The document store port has no
   * compare-and-set, so two claimants that both saw a free lease both write; the later write wins and the
   * earlier claimant sees the other owner when it reads back. The wait covers the gap between a rival's
   * read and its write (milliseconds on SQLite and a healthy MongoDB).
   */
  readonly settleMs?: number;
  /** Epoch milliseconds; injectable so tests can expire a lease without waiting. */
  readonly clock?: () => number;
}

/**
 * A lease (lock with expiry) kept as a document: the owner renews it well before `expiresAt`; when the
 * owner dies its lease expires and another process takes over. Used for one active projection runner per
 * projection in server mode and for refusing a second rebuild of the same projection.
 *
 * Holders must re-check (`verify`) right before an irreversible step (switching an alias): a holder that
 * was paused longer than the TTL may have lost its lease without knowing.
 */
export class DocumentLease {
  readonly key: string;
  readonly owner: string;
  readonly ttlMs: number;
  private readonly store: DocumentStore;
  private readonly settleMs: number;
  private readonly clock: () => number;
  private renewedAt = 0;
  private acquiredAt: string | null = null;
  private isHeld = false;

  constructor(options: LeaseOptions) {
    this.store = options.documentStore;
    this.key = options.key;
    this.owner = options.owner;
    this.ttlMs = options.ttlMs ?? 30_000;
    this.settleMs = options.settleMs ?? 100;
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
    const current = await this.read();
    if (current !== null && current.owner !== this.owner && current.expiresAt > this.clock()) {
      this.isHeld = false;
      return false;
    }
    const now = this.clock();
    const acquiredAt = current?.owner === this.owner ? current.acquiredAt : new Date(now).toISOString();
    await this.write(now, acquiredAt);
    if (this.settleMs > 0) await sleep(this.settleMs);
    const after = await this.read();
    this.isHeld = after !== null && after.owner === this.owner;
    if (this.isHeld) {
      this.acquiredAt = acquiredAt;
      this.renewedAt = now;
    }
    return this.isHeld;
  }

  /** Extends the lease; throws `LeaseLostError` when someone else took it meanwhile. */
  async renew(): Promise<void> {
    await this.verify();
    const now = this.clock();
    await this.write(now, this.acquiredAt ?? new Date(now).toISOString());
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

  /** Gives the lease up if it is still ours. */
  async release(): Promise<void> {
    this.isHeld = false;
    const record = await this.read();
    if (record !== null && record.owner === this.owner) await this.store.delete(LEASE_COLLECTION, this.key);
  }

  private async read(): Promise<LeaseRecord | null> {
    return (await this.store.get(LEASE_COLLECTION, this.key)) as LeaseRecord | null;
  }

  private write(now: number, acquiredAt: string): Promise<void> {
    const record: LeaseRecord = {
      _id: this.key,
      owner: this.owner,
      expiresAt: now + this.ttlMs,
      acquiredAt,
      renewedAt: new Date(now).toISOString(),
    };
    return this.store.put(LEASE_COLLECTION, record);
  }
}

/** An owner id that is unique per process and purpose. */
export function leaseOwner(purpose: string): string {
  return `${purpose}:${process.pid}:${randomUUID()}`;
}
