import type { AllStreamResolvedEvent, AllStreamSubscription } from '@kurrent/kurrentdb-client';
import type { ReadAllPage, RecordedEvent, Subscription, SubscriptionBatch } from '../event-store.port.js';

/** What the subscription needs from the store; the store passes closures so this file stays small. */
export interface KurrentSubscriptionSource {
  /** One `readAll` page (exclusive `after`), with the adapter's filtering and upcasting. */
  readPage(after: number, maxCount: number): Promise<ReadAllPage>;
  /** Opens the server's live catch-up subscription, exclusive of `after` (0: from the start). */
  subscribeLive(after: number): AllStreamSubscription;
  /** The adapter's conversion and client-side filter: null for events the subscription must not deliver. */
  accept(resolved: AllStreamResolvedEvent): RecordedEvent | null;
  /** Called once when the subscription ends, so the store can forget it. */
  onClose(subscription: KurrentSubscription): void;
}

/** A live server subscription ended although nobody closed it; the consumer resubscribes from its checkpoint. */
export class SubscriptionEndedError extends Error {
  readonly code = 'SUBSCRIPTION_ENDED';
  constructor(
    readonly how: 'end' | 'close',
    readonly position: number,
  ) {
    super(`The KurrentDB live subscription ended unexpectedly ('${how}') after position ${position}`);
    this.name = 'SubscriptionEndedError';
  }
}

/**
 * What an `end` or `close` of the server stream means: nothing when we closed it ourselves, otherwise
 * a failure that `next()` rejects with, so the consumer's backoff resubscribes from its checkpoint.
 */
export function liveStreamEnded(event: {
  readonly how: 'end' | 'close';
  readonly closedByUs: boolean;
  readonly position: number;
}): SubscriptionEndedError | null {
  return event.closedByUs ? null : new SubscriptionEndedError(event.how, event.position);
}

/**
 * The port's batched catch-up subscription over KurrentDB.
 *
 * History is read with paged `readAll` (whose `isEnd` is what marks the batch that caught up) and only
 * then does a server subscription (`subscribeToAll`, exclusive of the position we reached) deliver the
 * live tail. The client also emits `caughtUp` on its subscription stream (KurrentDB 23.10+), but that
 * event is emitted while the stream is transforming server messages, ahead of events still buffered
 * for the reader, so it cannot mark a batch boundary exactly; a `readAll` page can.
 *
 * Live events are buffered up to twice the batch size, then the server stream is paused (Readable
 * backpressure) until the consumer catches up. A live batch counts as caught up when it empties the
 * buffer. Errors of the server stream, and its end when we did not close it, reject the pending
 * `next()`; `close()` ends it with `done`.
 */
export class KurrentSubscription implements Subscription, AsyncIterator<SubscriptionBatch> {
  private phase: 'history' | 'live' = 'history';
  private position: number;
  private announcedCaughtUp = false;
  private closed = false;
  private failure: Error | null = null;
  private live: AllStreamSubscription | null = null;
  private readonly buffer: RecordedEvent[] = [];
  private wake: (() => void) | null = null;
  private readonly closedSignal: Promise<void>;
  private signalClosed!: () => void;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly source: KurrentSubscriptionSource,
    after: number,
    private readonly batchSize: number,
  ) {
    this.position = after;
    this.closedSignal = new Promise<void>((resolve) => {
      this.signalClosed = resolve;
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionBatch> {
    return this;
  }

  next(): Promise<IteratorResult<SubscriptionBatch>> {
    // Calls are served one after another, as a for-await loop would make them.
    const result = this.queue.then(() => this.nextBatch());
    this.queue = result.catch(() => undefined);
    return result;
  }

  async return(): Promise<IteratorResult<SubscriptionBatch>> {
    await this.close();
    return { done: true, value: undefined };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.signalClosed();
    this.wake?.();
    this.source.onClose(this);
    const live = this.live;
    this.live = null;
    if (live) {
      live.removeAllListeners('data');
      await live.unsubscribe();
    }
  }

  private async nextBatch(): Promise<IteratorResult<SubscriptionBatch>> {
    while (!this.closed) {
      if (this.phase === 'history') {
        const page = await this.untilClosed(this.source.readPage(this.position, this.batchSize));
        if (page === null) break;
        this.position = Math.max(this.position, page.lastPosition);
        if (page.isEnd) {
          this.phase = 'live';
          this.startLive();
          if (page.events.length > 0 || !this.announcedCaughtUp) {
            this.announcedCaughtUp = true;
            return { done: false, value: { events: page.events, lastPosition: this.position, caughtUp: true } };
          }
        } else if (page.events.length > 0) {
          return { done: false, value: { events: page.events, lastPosition: this.position, caughtUp: false } };
        }
        continue;
      }
      if (this.failure) throw this.failure;
      if (this.buffer.length === 0) {
        await this.untilClosed(new Promise<void>((resolve) => (this.wake = resolve)));
        this.wake = null;
        continue;
      }
      const events = this.buffer.splice(0, this.batchSize);
      if (this.buffer.length < this.batchSize) this.live?.resume();
      this.position = Math.max(this.position, events.at(-1)!.position);
      return { done: false, value: { events, lastPosition: this.position, caughtUp: this.buffer.length === 0 } };
    }
    return { done: true, value: undefined };
  }

  private startLive(): void {
    const live = this.source.subscribeLive(this.position);
    this.live = live;
    live.on('data', (resolved: AllStreamResolvedEvent) => {
      try {
        const event = this.source.accept(resolved);
        // The server never repeats what lies at or before the start position; this guards the
        // boundary against a position read from a page that ended between two events.
        if (event === null || event.position <= this.position) return;
        this.buffer.push(event);
        if (this.buffer.length >= 2 * this.batchSize) live.pause();
      } catch (error) {
        this.fail(error);
      }
      this.wake?.();
    });
    live.on('error', (error: Error) => this.fail(error));
    // A live stream that ends without our `close()` (server restart, leader change, a proxy's idle
    // timeout) is a failure: waiting on it would stall forever, and only the consumer knows the
    // checkpoint to resubscribe from and the backoff to use.
    for (const how of ['end', 'close'] as const) {
      live.on(how, () => {
        const failure = liveStreamEnded({
          how,
          closedByUs: this.closed || this.live !== live,
          position: this.position,
        });
        if (failure !== null) this.fail(failure);
      });
    }
  }

  private fail(error: unknown): void {
    if (this.closed || this.failure) return;
    this.failure = error instanceof Error ? error : new Error(String(error));
    this.wake?.();
  }

  /** The work's result, or null as soon as the subscription is closed. */
  private async untilClosed<T>(work: Promise<T>): Promise<T | null> {
    const result = await Promise.race([work, this.closedSignal.then(() => null)]);
    // A read still running when we closed is left to finish; its outcome no longer matters.
    if (result === null) work.catch(() => undefined);
    return result;
  }
}
