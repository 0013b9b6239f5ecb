import type { AllStreamResolvedEvent, AllStreamSubscription } from '@kurrent/kurrentdb-client';
import {
  DEFAULT_PROGRESS_INTERVAL_MS,
  type ReadAllPage,
  type RecordedEvent,
  type Subscription,
  type SubscriptionBatch,
} from '../event-store.port.js';

/** What the subscription needs from the store; the store passes closures so this file stays small. */
export interface KurrentSubscriptionSource {
  /** One `readAll` page (exclusive `after`), with the adapter's filtering and upcasting. */
  readPage(after: number, maxCount: number): Promise<ReadAllPage>;
  /**
   * Opens the server's live catch-up subscription, exclusive of `after` (0: from the start).
   * `onCheckpoint` receives the server's filter checkpoints that address one record exactly, with the
   * number of events the stream had already produced but not yet emitted to `data` listeners (the
   * client calls it while transforming server messages, ahead of events still buffered for readers).
   */
  subscribeLive(after: number, onCheckpoint: (position: number, unreadBefore: number) => void): AllStreamSubscription;
  /** The adapter's conversion and client-side filter: null for events the subscription must not deliver. */
  accept(resolved: AllStreamResolvedEvent): RecordedEvent | null;
  /** Called once when the subscription ends, so the store can forget it. */
  onClose(subscription: KurrentSubscription): void;
}

export interface KurrentSubscriptionOptions {
  readonly batchSize: number;
  /** See `SubscribeOptions.progressIntervalMs`; also how long the live stream may stay quiet before a probe. */
  readonly progressIntervalMs?: number;
  readonly now?: () => number;
}

/** Idle probes never run more often than this, whatever the progress interval (0 in tests). */
const MIN_PROBE_INTERVAL_MS = 10;

/** Progress through skipped events, queued in order with the live events before and after it. */
interface ProgressMark {
  readonly progress: number;
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
 * Progress through events the filter skips (see `SubscriptionBatch`) comes from two places. The
 * server's filter checkpoints (`checkpointReached`, sent after every `checkpointInterval` x
 * `maxSearchWindow` = 32 events it examined) are queued in order with the live events around them.
 * Fewer than 32 skipped events produce none, so when the live stream stays quiet for
 * `progressIntervalMs` the subscription asks the store itself: a filtered one-event `readAll` from its
 * position, which ends at the head when nothing of ours lies in between (a position the server would
 * still deliver an event before is never passed: such a read returns that event, and then we wait).
 * Progress batches are throttled to one per `progressIntervalMs`; event batches carry it along.
 *
 * Live events are buffered up to twice the batch size, then the server stream is paused (Readable
 * backpressure) until the consumer catches up. A live batch counts as caught up when it empties the
 * buffer. Errors of the server stream, and its end when we did not close it, reject the pending
 * `next()`; `close()` ends it with `done`.
 */
export class KurrentSubscription implements Subscription, AsyncIterator<SubscriptionBatch> {
  private phase: 'history' | 'live' = 'history';
  /** Examined so far; ahead of `delivered` while progress is held back. */
  private position: number;
  private delivered: number;
  private deliveredAt = Number.NEGATIVE_INFINITY;
  private announcedCaughtUp = false;
  private closed = false;
  private failure: Error | null = null;
  private live: AllStreamSubscription | null = null;
  private readonly buffer: (RecordedEvent | ProgressMark)[] = [];
  /** Items the live stream has emitted to us; a server checkpoint applies once its predecessors arrived. */
  private received = 0;
  private readonly checkpoints: { readonly after: number; readonly position: number }[] = [];
  private wake: (() => void) | null = null;
  private readonly closedSignal: Promise<void>;
  private signalClosed!: () => void;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly batchSize: number;
  private readonly progressIntervalMs: number;
  private readonly now: () => number;

  constructor(
    private readonly source: KurrentSubscriptionSource,
    after: number,
    options: KurrentSubscriptionOptions,
  ) {
    this.position = after;
    this.delivered = after;
    this.batchSize = options.batchSize;
    this.progressIntervalMs = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
    if (!(this.progressIntervalMs >= 0)) throw new RangeError('progressIntervalMs must be >= 0');
    this.now = options.now ?? Date.now;
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
            return this.deliver(page.events, true);
          }
          if (this.progressWaitMs() === 0) return this.deliver([], true);
        } else if (page.events.length > 0 || this.progressWaitMs() === 0) {
          return this.deliver(page.events, false);
        }
        continue;
      }
      if (this.failure) throw this.failure;
      const events = this.takeBuffered();
      if (events.length > 0) return this.deliver(events, !this.buffer.some(isEvent));
      const progressWait = this.progressWaitMs();
      if (progressWait === 0) return this.deliver([], !this.buffer.some(isEvent));
      if (progressWait !== Number.POSITIVE_INFINITY) {
        await this.sleep(progressWait);
        continue;
      }
      // Nothing pending: wait for the server; if it stays quiet for an interval, ask the store.
      if (!(await this.sleep(Math.max(MIN_PROBE_INTERVAL_MS, this.progressIntervalMs)))) await this.probe();
    }
    return { done: true, value: undefined };
  }

  /** Up to a batch of buffered events, and the progress marks queued among and right after them. */
  private takeBuffered(): RecordedEvent[] {
    const events: RecordedEvent[] = [];
    let taken = 0;
    for (const item of this.buffer) {
      if (isEvent(item)) {
        if (events.length === this.batchSize) break;
        events.push(item);
        this.position = Math.max(this.position, item.position);
      } else {
        this.position = Math.max(this.position, item.progress);
      }
      taken += 1;
    }
    this.buffer.splice(0, taken);
    if (this.buffer.length < this.batchSize) this.live?.resume();
    return events;
  }

  /**
   * The stream was quiet for an interval: events the filter skips may have been appended since (the
   * server reports those only every 32). A filtered read from our position that finds none of ours
   * ends at the head; any event of ours it finds is one the live stream has yet to deliver, so then
   * nothing moves.
   */
  private async probe(): Promise<void> {
    const from = this.position;
    const page = await this.untilClosed(this.source.readPage(from, 1));
    if (page === null || this.failure !== null) return;
    if (page.events.length > 0 || this.position !== from || this.buffer.length > 0) return;
    this.position = Math.max(this.position, page.lastPosition);
  }

  /** 0 when progress is waiting and may be delivered now; the time left when it must wait; else Infinity. */
  private progressWaitMs(): number {
    if (this.position <= this.delivered) return Number.POSITIVE_INFINITY;
    return Math.max(0, this.deliveredAt + this.progressIntervalMs - this.now());
  }

  private deliver(events: readonly RecordedEvent[], caughtUp: boolean): IteratorResult<SubscriptionBatch> {
    this.delivered = this.position;
    this.deliveredAt = this.now();
    return { done: false, value: { events, lastPosition: this.position, caughtUp } };
  }

  /** Resolves true when woken (live data, a failure, close), false when `ms` passed first. */
  private sleep(ms: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => finish(false), ms);
      const finish = (woken: boolean): void => {
        clearTimeout(timer);
        this.wake = null;
        resolve(woken);
      };
      this.wake = () => finish(true);
    });
  }

  private startLive(): void {
    const live = this.source.subscribeLive(this.position, (position, unreadBefore) => {
      if (this.live !== live) return;
      this.checkpoints.push({ after: this.received + unreadBefore, position });
      this.releaseCheckpoints();
      this.wake?.();
    });
    this.live = live;
    live.on('data', (resolved: AllStreamResolvedEvent) => {
      this.received += 1;
      try {
        const event = this.source.accept(resolved);
        // The server never repeats what lies at or before the start position; this guards the
        // boundary against a position read from a page that ended between two events.
        if (event !== null && event.position > this.position) this.buffer.push(event);
        this.releaseCheckpoints();
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

  /** Queues the server checkpoints whose preceding events have all reached the buffer. */
  private releaseCheckpoints(): void {
    while (this.checkpoints.length > 0 && this.checkpoints[0]!.after <= this.received) {
      this.buffer.push({ progress: this.checkpoints.shift()!.position });
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

function isEvent(item: RecordedEvent | ProgressMark): item is RecordedEvent {
  return !('progress' in item);
}
