import type { Clock, IdGenerator } from '@pruefpfad/application';
import { type EventStore, WrongExpectedRevisionError } from '@pruefpfad/event-store';
import {
  buildSeal,
  CHAIN_HEADS_SEALED,
  CHAIN_HEADS_SEALED_VERSION,
  CHAIN_SEALS_STREAM,
  isSealData,
  SEAL_ACTOR,
  SEAL_TENANT,
  tenantOf,
  type ChainHeadsSealedData,
  type SealedHead,
} from './chain-seal.js';

export const DEFAULT_SEAL_INTERVAL_MS = 10 * 60 * 1000;
/** Bounds one seal event's size: a first seal over a large store is split into several. */
export const DEFAULT_MAX_HEADS_PER_SEAL = 5000;
const DEFAULT_PAGE_SIZE = 1000;
/** Another sealer (a second process) appended meanwhile: start over from its seal this often. */
const CONFLICT_ATTEMPTS = 3;

export interface ChainSealerOptions {
  readonly eventStore: EventStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly rulesVersion: string;
  readonly intervalMs?: number;
  readonly maxHeadsPerSeal?: number;
  readonly pageSize?: number;
  readonly onSealed?: (seal: ChainHeadsSealedData, position: number) => void;
  readonly onError?: (error: unknown) => void;
}

interface LastSeal {
  readonly data: ChainHeadsSealedData;
  readonly revision: number;
}

export class SealStreamInvalidError extends Error {
  readonly code = 'SEAL_STREAM_INVALID';
  constructor(revision: number) {
    super(`${CHAIN_SEALS_STREAM}: the seal at revision ${revision} is not a valid ${CHAIN_HEADS_SEALED} event`);
    this.name = 'SealStreamInvalidError';
  }
}

/**
 * Seals the chain heads of every stream changed since the previous seal: on `start()`, then every
 * interval, and whenever `sealNow()` is called. It follows `readAll` from the previous seal's
 * `throughPosition`, so nothing is scanned twice and a restart continues where the last seal ended.
 * Runs once per deployment (embedded: the API process; server: the projector); a second sealer is
 * harmless, the expected revision of the seal stream makes one of them start over.
 */
export class ChainSealer {
  private readonly intervalMs: number;
  private readonly maxHeads: number;
  private readonly pageSize: number;
  private running: Promise<readonly ChainHeadsSealedData[]> = Promise.resolve([]);
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly options: ChainSealerOptions) {
    this.intervalMs = options.intervalMs ?? DEFAULT_SEAL_INTERVAL_MS;
    this.maxHeads = options.maxHeadsPerSeal ?? DEFAULT_MAX_HEADS_PER_SEAL;
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!(this.intervalMs > 0)) throw new RangeError('intervalMs must be > 0');
    if (!Number.isSafeInteger(this.maxHeads) || this.maxHeads < 1) throw new RangeError('maxHeadsPerSeal must be >= 1');
    if (!Number.isSafeInteger(this.pageSize) || this.pageSize < 1) throw new RangeError('pageSize must be >= 1');
  }

  /** Seals now (after a seal already running); answers the seals appended, none when nothing changed. */
  sealNow(): Promise<readonly ChainHeadsSealedData[]> {
    const next = this.running.catch(() => []).then(() => this.sealWithRetry());
    this.running = next;
    return next;
  }

  /** Seals once right away (what changed while the service was down), then every interval. */
  start(): void {
    this.stopped = false;
    this.tick();
  }

  /** Stops the timer and waits for a seal in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running.catch(() => undefined);
  }

  private tick(): void {
    this.sealNow()
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        if (this.stopped) return;
        this.timer = setTimeout(() => this.tick(), this.intervalMs);
        // A pending seal must not keep a process alive that is otherwise done.
        this.timer.unref();
      });
  }

  private async sealWithRetry(): Promise<readonly ChainHeadsSealedData[]> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.sealPending();
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= CONFLICT_ATTEMPTS) throw error;
      }
    }
  }

  private async sealPending(): Promise<readonly ChainHeadsSealedData[]> {
    const { eventStore } = this.options;
    let last = await this.lastSeal();
    const appended: ChainHeadsSealedData[] = [];
    for (;;) {
      const heads = new Map<string, SealedHead>();
      let position = last?.data.throughPosition ?? 0;
      let reachedEnd = false;
      while (heads.size < this.maxHeads) {
        const page = await eventStore.readAll({ after: position, maxCount: this.pageSize });
        for (const event of page.events) {
          if (event.streamId === CHAIN_SEALS_STREAM) continue;
          heads.set(event.streamId, {
            streamId: event.streamId,
            revision: event.revision,
            chain: event.chain,
            tenant: tenantOf(event),
          });
        }
        position = page.lastPosition;
        if (page.isEnd) {
          reachedEnd = true;
          break;
        }
      }
      // Only seals (or nothing) since the last seal: sealing them would seal forever.
      if (heads.size === 0) return appended;
      const seal = buildSeal(last?.data ?? null, position, [...heads.values()]);
      const result = await eventStore.append(
        CHAIN_SEALS_STREAM,
        [
          {
            id: this.options.ids.next(),
            type: CHAIN_HEADS_SEALED,
            schemaVersion: CHAIN_HEADS_SEALED_VERSION,
            data: seal,
            metadata: {
              occurredAt: this.options.clock.now().toISOString(),
              actor: SEAL_ACTOR,
              tenant: SEAL_TENANT,
              correlationId: seal.sealHash,
              causationId: null,
              rulesVersion: this.options.rulesVersion,
            },
          },
        ],
        { expectedRevision: last?.revision ?? 'no_stream' },
      );
      appended.push(seal);
      this.options.onSealed?.(seal, result.position);
      last = { data: seal, revision: result.revision };
      if (reachedEnd) return appended;
    }
  }

  private async lastSeal(): Promise<LastSeal | null> {
    const [event] = await this.options.eventStore.readStream(CHAIN_SEALS_STREAM, {
      direction: 'backwards',
      maxCount: 1,
    });
    if (event === undefined) return null;
    // Sealing on top of a damaged seal would hide the damage behind a valid-looking successor.
    if (event.type !== CHAIN_HEADS_SEALED || !isSealData(event.data)) throw new SealStreamInvalidError(event.revision);
    return { data: event.data, revision: event.revision };
  }
}
