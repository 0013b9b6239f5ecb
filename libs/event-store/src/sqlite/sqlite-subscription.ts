import {
  DEFAULT_PROGRESS_INTERVAL_MS,
  type EventFilter,
  type ReadAllPage,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionBatch,
} from '../event-store.port.js';

/** What a subscription needs from the store that created it. */
export interface SubscriptionSource {
  /** Synchronous: the page and the decision to wait happen in one tick, so no wake-up can slip between. */
  readPage(after: number, maxCount: number, filter: EventFilter | undefined): ReadAllPage;
  /** Registers a callback run after a commit in this thread or another; returns its removal. */
  onChange(wake: () => void): () => void;
  /** Appends by other processes send no message: they are seen by polling this often. */
  readonly pollIntervalMs: number;
  detach(subscription: SqliteSubscription): void;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Catch-up subscription: pages through history, then waits for a wake-up (commit message or poll tick)
 * and reads again. Filtered-out stretches are skipped inside `next()`, yielding to the event loop
 * between pages so a long catch-up never starves other work; how far they reached is delivered as
 * progress batches (empty, `lastPosition` moved on), throttled to one per `progressIntervalMs`.
 */
export class SqliteSubscription implements Subscription, AsyncIterator<SubscriptionBatch, undefined> {
  private readonly source: SubscriptionSource;
  private readonly filter: EventFilter | undefined;
  private readonly batchSize: number;
  private readonly progressIntervalMs: number;
  /** Examined so far (every page moves it), ahead of `delivered` while progress is held back. */
  private position: number;
  private delivered: number;
  private deliveredAt = Number.NEGATIVE_INFINITY;
  private announcedCaughtUp = false;
  private closed = false;
  private cancelWait: (() => void) | null = null;
  /** Serialises `next()` calls so two callers never read the same page. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(source: SubscriptionSource, options: SubscribeOptions) {
    const batchSize = options.batchSize ?? 1000;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
    if (!Number.isSafeInteger(options.after) || options.after < 0)
      throw new RangeError('after must be an integer >= 0');
    const progressIntervalMs = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
    if (!(progressIntervalMs >= 0)) throw new RangeError('progressIntervalMs must be >= 0');
    this.source = source;
    this.filter = options.filter;
    this.batchSize = batchSize;
    this.progressIntervalMs = progressIntervalMs;
    this.position = options.after;
    this.delivered = options.after;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<SubscriptionBatch, undefined>> {
    const result = this.tail.then(() => this.step());
    this.tail = result.catch(() => undefined);
    return result;
  }

  return(): Promise<IteratorResult<SubscriptionBatch, undefined>> {
    this.closeNow();
    return Promise.resolve(DONE);
  }

  close(): Promise<void> {
    this.closeNow();
    return Promise.resolve();
  }

  /** Ends the subscription; a `next()` waiting for live events resolves with `done`. */
  closeNow(): void {
    if (this.closed) return;
    this.closed = true;
    this.cancelWait?.();
    this.source.detach(this);
  }

  private async step(): Promise<IteratorResult<SubscriptionBatch, undefined>> {
    for (;;) {
      if (this.closed) return DONE;
      const page = this.source.readPage(this.position, this.batchSize, this.filter);
      this.position = Math.max(this.position, page.lastPosition);
      if (page.events.length > 0) {
        if (page.isEnd) this.announcedCaughtUp = true;
        return this.deliver(page.events, page.isEnd);
      }
      if (!page.isEnd) {
        // A long filtered-out stretch of history: report how far it reached now and then.
        if (this.progressWaitMs() === 0) return this.deliver([], false);
        await nextTurn();
        continue;
      }
      if (!this.announcedCaughtUp) {
        this.announcedCaughtUp = true;
        return this.deliver([], true);
      }
      const progressWait = this.progressWaitMs();
      if (progressWait === 0) return this.deliver([], true);
      // Held-back progress is delivered when its interval ends, or with the next events.
      await this.waitForChange(Math.min(progressWait, this.source.pollIntervalMs));
    }
  }

  /** 0 when progress is waiting and may be delivered now; the time left when it must wait; else Infinity. */
  private progressWaitMs(): number {
    if (this.position <= this.delivered) return Number.POSITIVE_INFINITY;
    return Math.max(0, this.deliveredAt + this.progressIntervalMs - Date.now());
  }

  private deliver(events: readonly RecordedEvent[], caughtUp: boolean): IteratorResult<SubscriptionBatch, undefined> {
    this.delivered = this.position;
    this.deliveredAt = Date.now();
    return { done: false, value: { events, lastPosition: this.position, caughtUp } };
  }

  private waitForChange(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        removeListener();
        this.cancelWait = null;
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      const removeListener = this.source.onChange(finish);
      this.cancelWait = finish;
    });
  }
}
