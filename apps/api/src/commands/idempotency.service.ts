import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@pruefpfad/application';
import { canonicalJson } from '@pruefpfad/event-store';
import type { DocumentStore } from '@pruefpfad/read-store';
import { CLOCK, DOCUMENT_STORE } from '../runtime/tokens.js';

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

interface IdempotencyRecord extends Record<string, unknown> {
  readonly _id: string;
  readonly requestHash: string;
  readonly response: StoredResponse;
  readonly expiresAt: string;
}

/**
 * Makes a retried POST return the first answer instead of writing twice. Keys are scoped to tenant and
 * subject (two users may pick the same key), kept 24 h; the same key with another request is refused.
 * Concurrent requests with one key in this process are serialised, so the second sees the first's answer.
 */
@Injectable()
export class IdempotencyService {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  static validateKey(key: string): void {
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) throw new InvalidIdempotencyKeyError();
  }

  async run(
    scope: { tenant: string; subject: string; key: string },
    request: { method: string; path: string; body: unknown },
    execute: () => Promise<StoredResponse>,
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
      const existing = (await this.documents.get(IDEMPOTENCY_COLLECTION, id)) as IdempotencyRecord | null;
      const now = this.clock.now();
      if (existing && Date.parse(existing.expiresAt) > now.getTime()) {
        if (existing.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
        return { replayed: true, response: existing.response };
      }
      const response = await execute();
      // Only successful answers are remembered: a refused request may be corrected and retried with the key.
      if (response.status < 400) {
        const record: IdempotencyRecord = {
          _id: id,
          requestHash,
          response,
          expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS).toISOString(),
        };
        await this.documents.put(IDEMPOTENCY_COLLECTION, record);
      }
      return { replayed: false, response };
    } finally {
      this.inFlight.delete(id);
      release();
    }
  }

  /** Removes expired records; called periodically by the app. */
  async sweep(): Promise<number> {
    const expired = await this.documents.find(IDEMPOTENCY_COLLECTION, {
      expiresAt: { $lt: this.clock.now().toISOString() },
    });
    for (const record of expired) await this.documents.delete(IDEMPOTENCY_COLLECTION, record._id);
    return expired.length;
  }
}
