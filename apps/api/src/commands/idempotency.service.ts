import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Clock } from '@pruefpfad/application';
import { canonicalJson, type EventStore } from '@pruefpfad/event-store';
import type { Doc, DocumentStore, WriteCondition } from '@pruefpfad/read-store';
import { classifyStoreError } from '../errors/store-errors.js';
import { CLOCK, DOCUMENT_STORE, EVENT_STORE } from '../runtime/tokens.js';

/** Optional provider overriding `IdempotencyTimings` (tests). */
export const IDEMPOTENCY_TIMINGS = Symbol('IdempotencyTimings');

export const IDEMPOTENCY_COLLECTION = '_idempotency';
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export class IdempotencyKeyReusedError extends Error {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor() {
    super(
      'Dieser Idempotency-Key wurde bereits für eine andere Anfrage verwendet. / ' +
        'This Idempotency-Key was already used for a different request.',
    );
    this.name = 'IdempotencyKeyReusedError';
  }
}

export class InvalidIdempotencyKeyError extends Error {
  readonly code = 'VALIDATION_FAILED';
  readonly errors = [{ field: 'Idempotency-Key', message: '1–255 visible ASCII characters' }];
  constructor() {
    super('Ungültiger Idempotency-Key / Invalid Idempotency-Key');
    this.name = 'InvalidIdempotencyKeyError';
  }
}

export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * A retry arrived while the first attempt may still be running (on another instance, or its outcome at
 * the store is not settled yet): the client waits `Retry-After` and sends the same request again.
 */
export class IdempotentRequestInProgressError extends Error {
  readonly code = 'IDEMPOTENT_REQUEST_IN_PROGRESS';
  constructor(readonly retryAfterSeconds: number) {
    super(
      'Dieselbe Anfrage wird gerade noch bearbeitet oder ihr Ergebnis steht noch nicht fest; bitte gleich erneut senden. / ' +
        'The same request is still being processed or its outcome is not settled yet; please send it again shortly.',
    );
    this.name = 'IdempotentRequestInProgressError';
  }
}

/**
 * The first attempt's answer was lost (the store failed after it may have committed), and its events are
 * in the store: the request was carried out once and is not carried out again. Its answer cannot be
 * rebuilt; `position` lets the client read its result (`X-Min-Position`).
 */
export class IdempotentRequestAppliedError extends Error {
  readonly code = 'IDEMPOTENT_REQUEST_APPLIED';
  readonly problemExtensions: { readonly position: number };
  constructor(position: number) {
    super(
      'Diese Anfrage wurde beim ersten Versuch bereits gespeichert und wird nicht noch einmal ausgeführt; bitte die Ansicht neu laden. / ' +
        'This request was already stored by its first attempt and is not carried out again; please reload the view.',
    );
    this.name = 'IdempotentRequestAppliedError';
    this.problemExtensions = { position };
  }
}

/**
 * Request header (internal: the interceptor removes any value a client sends) naming the attempt of an
 * idempotent request. `commandContext` writes it as the events' `causationId`, so a retry after an
 * unknown outcome can find out whether the first attempt committed.
 */
export const ATTEMPT_HEADER = 'x-pruefpfad-attempt';

/** How an attempt's events are recognised in the store. */
export function attemptCausationId(attempt: string): string {
  return `request:${attempt}`;
}

type IdempotencyRecord =
  | (Record<string, unknown> & {
      readonly _id: string;
      readonly requestHash: string;
      readonly expiresAt: string;
      /** Records written before attempts were tracked have no state: `normalise` makes them `done`. */
      readonly state: 'done';
      readonly attempt?: string;
      readonly response: StoredResponse;
    })
  | (Record<string, unknown> & {
      readonly _id: string;
      readonly requestHash: string;
      readonly expiresAt: string;
      /** `pending`: an attempt is running (or its process died); `unknown`: it failed with its write's outcome unknown. */
      readonly state: 'pending' | 'unknown';
      readonly attempt: string;
      readonly tenant: string;
      /** The store's head before the attempt: its events, if any, lie after it. */
      readonly headBefore: number;
      readonly startedAt: string;
    })
  | (Record<string, unknown> & {
      readonly _id: string;
      readonly requestHash: string;
      readonly expiresAt: string;
      /** An attempt whose answer was lost was found committed at `position`. */
      readonly state: 'applied';
      readonly position: number;
    });

export interface IdempotencyTimings {
  /**
   * How long a running attempt is presumed alive: a pending record younger than this belongs to an
   * attempt that may still write (default 60 s, beyond the longest command with the store's deadlines).
   */
  readonly attemptLifetimeMs?: number;
  /**
   * How long after an attempt began a write whose outcome is unknown may still land at the store
   * (KurrentDB may commit an append after the client's deadline passed; default 30 s). A retry within
   * this time is asked to come back; after it the store is searched for the attempt's events.
   */
  readonly outcomeSettleMs?: number;
}

/** What `IdempotencyService` needs of the event store: finding an attempt's events. */
type AttemptSearchStore = Pick<EventStore, 'headPosition' | 'readAll'>;

/**
 * Makes a retried POST return the first answer instead of writing twice. Keys are scoped to tenant and
 * subject (two users may pick the same key), kept 24 h; the same key with another request is refused.
 * Concurrent requests with one key in this process are serialised, so the second sees the first's answer.
 *
 * Each attempt is recorded (`pending`) before it runs, with its id, which its events carry as causation,
 * and the store's head. A refused attempt removes its record (a corrected retry may reuse the key); one
 * that failed with its write's outcome unknown (a store error, `commitUnknown`) leaves it `unknown`. A
 * retry then searches the store after that head for the attempt's events: found, the request was carried
 * out and is not carried out again (`IDEMPOTENT_REQUEST_APPLIED`); not found once the outcome has
 * settled, the request runs as a new attempt. A retry that meets a live `pending` record of another
 * instance is asked to come back (`IDEMPOTENT_REQUEST_IN_PROGRESS` with `Retry-After`).
 */
@Injectable()
export class IdempotencyService {
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly attemptLifetimeMs: number;
  private readonly outcomeSettleMs: number;

  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly events: AttemptSearchStore,
    @Optional() @Inject(IDEMPOTENCY_TIMINGS) timings: IdempotencyTimings | null = null,
  ) {
    this.attemptLifetimeMs = timings?.attemptLifetimeMs ?? 60_000;
    this.outcomeSettleMs = timings?.outcomeSettleMs ?? 30_000;
  }

  static validateKey(key: string): void {
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) throw new InvalidIdempotencyKeyError();
  }

  /**
   * `execute` gets the attempt id; the events it appends must carry `attemptCausationId(attempt)` as their
   * causation (the interceptor passes it to `commandContext` through `ATTEMPT_HEADER`).
   */
  async run(
    scope: { tenant: string; subject: string; key: string },
    request: { method: string; path: string; body: unknown },
    execute: (attempt: string) => Promise<StoredResponse>,
  ): Promise<{ replayed: boolean; response: StoredResponse }> {
    IdempotencyService.validateKey(scope.key);
    const id = createHash('sha256')
      .update(canonicalJson([scope.tenant, scope.subject, scope.key]))
      .digest('hex');
    const requestHash = createHash('sha256').update(canonicalJson(request)).digest('hex');

    for (;;) {
      const pending = this.inFlight.get(id);
      if (!pending) break;
      await pending.catch(() => undefined);
    }
    let release!: () => void;
    this.inFlight.set(id, new Promise<void>((resolve) => (release = resolve)));
    try {
      const existing = normalise(await this.documents.get(IDEMPOTENCY_COLLECTION, id));
      const now = this.clock.now();
      if (existing && Date.parse(existing.expiresAt) > now.getTime()) {
        if (existing.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
        const settled = await this.settle(existing, now);
        if (settled !== null) return settled;
      }
      return await this.attempt(id, scope.tenant, requestHash, execute, existing);
    } finally {
      this.inFlight.delete(id);
      release();
    }
  }

  /** The answer an earlier attempt determines, or null when the request is to run (again). */
  private async settle(
    existing: IdempotencyRecord,
    now: Date,
  ): Promise<{ replayed: boolean; response: StoredResponse } | null> {
    if (existing.state === 'done') return { replayed: true, response: existing.response };
    if (existing.state === 'applied') throw new IdempotentRequestAppliedError(existing.position);
    const age = now.getTime() - Date.parse(existing.startedAt);
    if (existing.state === 'pending' && age < this.attemptLifetimeMs)
      throw new IdempotentRequestInProgressError(secondsUntil(this.attemptLifetimeMs - age));
    if (age < this.outcomeSettleMs)
      throw new IdempotentRequestInProgressError(secondsUntil(this.outcomeSettleMs - age));
    const position = await this.findAttempt(existing.attempt, existing.tenant, existing.headBefore);
    if (position === null) return null;
    const applied: IdempotencyRecord = {
      _id: existing._id,
      requestHash: existing.requestHash,
      expiresAt: existing.expiresAt,
      state: 'applied',
      position,
    };
    await this.documents.putIf(IDEMPOTENCY_COLLECTION, applied, { matches: { attempt: existing.attempt } });
    throw new IdempotentRequestAppliedError(position);
  }

  private async attempt(
    id: string,
    tenant: string,
    requestHash: string,
    execute: (attempt: string) => Promise<StoredResponse>,
    seen: IdempotencyRecord | null,
  ): Promise<{ replayed: boolean; response: StoredResponse }> {
    const attempt = randomUUID();
    const startedAt = this.clock.now();
    const expiresAt = new Date(startedAt.getTime() + IDEMPOTENCY_TTL_MS).toISOString();
    const pending: IdempotencyRecord = {
      _id: id,
      requestHash,
      expiresAt,
      state: 'pending',
      attempt,
      tenant,
      headBefore: await this.events.headPosition(),
      startedAt: startedAt.toISOString(),
    };
    // Claimed only over what was read: of two instances taking over the same record, one runs.
    if (!(await this.documents.putIf(IDEMPOTENCY_COLLECTION, pending, claimOver(seen))))
      throw new IdempotentRequestInProgressError(1);
    const ours = { attempt };
    let response: StoredResponse;
    try {
      response = await execute(attempt);
    } catch (error) {
      const fault = classifyStoreError(error);
      if (fault?.kind === 'unavailable' && fault.writeMayHaveCommitted) {
        await this.documents.putIf(IDEMPOTENCY_COLLECTION, { ...pending, state: 'unknown' }, { matches: ours });
      } else {
        // Refused (or failed before writing): a corrected retry may reuse the key.
        await this.documents.deleteIf(IDEMPOTENCY_COLLECTION, id, ours);
      }
      throw error;
    }
    // Only successful answers are remembered: a refused request may be corrected and retried with the key.
    if (response.status < 400) {
      const done: IdempotencyRecord = { _id: id, requestHash, expiresAt, state: 'done', attempt, response };
      await this.documents.putIf(IDEMPOTENCY_COLLECTION, done, { matches: ours });
    } else {
      await this.documents.deleteIf(IDEMPOTENCY_COLLECTION, id, ours);
    }
    return { replayed: false, response };
  }

  /** Position of the last event the attempt appended, or null when it appended none. */
  private async findAttempt(attempt: string, tenant: string, headBefore: number): Promise<number | null> {
    const causationId = attemptCausationId(attempt);
    let after = headBefore;
    let found: number | null = null;
    for (;;) {
      const page = await this.events.readAll({ after, maxCount: 1000 });
      for (const event of page.events) {
        if (event.metadata.causationId === causationId && event.metadata.tenant === tenant) found = event.position;
      }
      if (page.isEnd || page.lastPosition <= after) return found;
      after = page.lastPosition;
    }
  }

  /** Removes expired records; called periodically by the app. */
  async sweep(): Promise<number> {
    const expired = await this.documents.find(IDEMPOTENCY_COLLECTION, {
      expiresAt: { $lt: this.clock.now().toISOString() },
    });
    let removed = 0;
    // Only the record that was read: a request may have claimed it anew since (a new expiry).
    for (const record of expired)
      if (await this.documents.deleteIf(IDEMPOTENCY_COLLECTION, record._id, { expiresAt: record.expiresAt }))
        removed += 1;
    return removed;
  }
}

/** The condition under which a new attempt replaces the record it was decided on (or finds none). */
function claimOver(seen: IdempotencyRecord | null): WriteCondition {
  if (seen === null) return { absent: true };
  return {
    matches:
      seen.state === 'pending' || seen.state === 'unknown' ? { attempt: seen.attempt } : { expiresAt: seen.expiresAt },
  };
}

function normalise(doc: Doc | null): IdempotencyRecord | null {
  if (doc === null) return null;
  return (doc.state === undefined ? { ...doc, state: 'done' } : doc) as IdempotencyRecord;
}

function secondsUntil(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
