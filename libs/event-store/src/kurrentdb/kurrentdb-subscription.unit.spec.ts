import { PassThrough } from 'node:stream';
import type { AllStreamResolvedEvent } from '@kurrent/kurrentdb-client';
import type { RecordedEvent, SubscriptionBatch } from '../event-store.port.js';
import {
  KurrentSubscription,
  SubscriptionEndedError,
  liveStreamEnded,
  type KurrentSubscriptionSource,
} from './kurrentdb-subscription.js';

/** Stands in for the client's live stream: a Readable in object mode with `unsubscribe`. */
class FakeLiveStream extends PassThrough {
  unsubscribed = false;
  constructor() {
    super({ objectMode: true });
  }
  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
    this.destroy();
    await Promise.resolve();
  }
}

function recorded(position: number): RecordedEvent {
  return { position } as unknown as RecordedEvent;
}

/**
 * A source whose history ends at `head` and whose live streams are fakes; `opened` records the
 * position each live subscription was opened from.
 */
function fakeSource(head: number) {
  const opened: {
    after: number;
    stream: FakeLiveStream;
    checkpoint: (position: number, unreadBefore: number) => void;
  }[] = [];
  const store = { head, reads: [] as number[], pending: [] as RecordedEvent[] };
  const source: KurrentSubscriptionSource = {
    // A filtered read: the events of ours not yet delivered live (`pending`), else the head.
    readPage: (after) => {
      store.reads.push(after);
      const next = store.pending.filter((event) => event.position > after).slice(0, 1);
      return Promise.resolve(
        next.length > 0
          ? { events: next, lastPosition: next[0]!.position, isEnd: false }
          : { events: [], lastPosition: Math.max(after, store.head), isEnd: true },
      );
    },
    subscribeLive: (after, checkpoint) => {
      const stream = new FakeLiveStream();
      opened.push({ after, stream, checkpoint });
      return stream;
    },
    accept: (resolved) => recorded((resolved as unknown as { position: number }).position),
    onClose: () => undefined,
  };
  return { source, opened, store };
}

function liveEvent(position: number): AllStreamResolvedEvent {
  return { position } as unknown as AllStreamResolvedEvent;
}

/**
 * The consumer's side as the projection processor and the reactor behave: follow a subscription from
 * the checkpoint, save the checkpoint after each batch, and on an error open a new subscription from
 * the saved checkpoint (their backoff sits between the attempts; it does not change the position).
 */
async function consume(
  source: KurrentSubscriptionSource,
  until: (checkpoint: number, errors: readonly unknown[]) => boolean,
): Promise<{ checkpoint: number; errors: unknown[] }> {
  let checkpoint = 0;
  const errors: unknown[] = [];
  while (!until(checkpoint, errors)) {
    const subscription = new KurrentSubscription(source, checkpoint, { batchSize: 10 });
    try {
      for await (const batch of subscription as AsyncIterable<SubscriptionBatch>) {
        checkpoint = batch.lastPosition;
        if (until(checkpoint, errors)) break;
      }
      if (!until(checkpoint, errors)) throw new Error('the subscription finished without an error');
    } catch (error) {
      errors.push(error);
    } finally {
      await subscription.close();
    }
  }
  return { checkpoint, errors };
}

describe('KurrentSubscription: a live stream that ends on its own', () => {
  it.each(['end', 'close'] as const)(
    "rejects next() after the server stream's '%s', so the consumer resubscribes from its checkpoint",
    async (how) => {
      const { source, opened } = fakeSource(5);
      const run = consume(source, (checkpoint) => checkpoint >= 8);
      // First live subscription: one event arrives, then the server stream ends cleanly.
      const first = await until(() => opened[0]);
      first.stream.write(liveEvent(7));
      await until(() => (first.stream.listenerCount('data') > 0 ? true : undefined));
      if (how === 'end') first.stream.end();
      else first.stream.destroy();
      // The consumer opens a second one from the checkpoint it saved (7), not from the start.
      const second = await until(() => opened[1]);
      expect(second.after).toBe(7);
      second.stream.write(liveEvent(8));
      const { checkpoint, errors } = await run;
      expect(checkpoint).toBe(8);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(SubscriptionEndedError);
      expect(errors[0]).toMatchObject({ code: 'SUBSCRIPTION_ENDED', how, position: 7 });
    },
  );

  it('ends with done, not an error, when the consumer closes it', async () => {
    const { source, opened } = fakeSource(3);
    const subscription = new KurrentSubscription(source, 0, { batchSize: 10 });
    await expect(subscription.next()).resolves.toMatchObject({ done: false, value: { caughtUp: true } });
    const pending = subscription.next();
    await subscription.close();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    expect(opened[0]?.stream.unsubscribed).toBe(true);
  });

  it('decides: our own close is no failure; any other end is one', () => {
    expect(liveStreamEnded({ how: 'close', closedByUs: true, position: 4 })).toBeNull();
    expect(liveStreamEnded({ how: 'end', closedByUs: true, position: 4 })).toBeNull();
    expect(liveStreamEnded({ how: 'end', closedByUs: false, position: 4 })).toBeInstanceOf(SubscriptionEndedError);
    expect(liveStreamEnded({ how: 'close', closedByUs: false, position: 4 })).toMatchObject({ position: 4 });
  });
});

/** Resolves once `probe` returns a value; polls on the event loop (a condition, not a timed sleep). */
async function until<T>(probe: () => T | undefined): Promise<T> {
  for (let turn = 0; turn < 10_000; turn += 1) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error('condition not reached: the consumer never resubscribed');
}

describe('KurrentSubscription: progress through events the filter skips', () => {
  const positions = (batch: SubscriptionBatch): number[] => batch.events.map((event) => event.position);

  it('applies a server checkpoint only after the events the stream produced before it, never skipping them', async () => {
    const { source, opened } = fakeSource(5);
    const subscription = new KurrentSubscription(source, 0, { batchSize: 10, progressIntervalMs: 0 });
    await expect(subscription.next()).resolves.toMatchObject({ value: { caughtUp: true, lastPosition: 5 } });
    const live = opened[0]!;
    // Two events are still in the client's stream (not yet emitted) when the server's checkpoint
    // after them is reported: the client calls back while transforming, ahead of its readers.
    live.stream.pause();
    live.stream.write(liveEvent(7));
    live.stream.write(liveEvent(8));
    live.checkpoint(20, live.stream.readableLength);
    const next = subscription.next();
    live.stream.resume();

    const batch = (await next).value as SubscriptionBatch;
    expect(positions(batch)).toEqual([7, 8]);
    expect(batch.lastPosition).toBe(20);
    await subscription.close();
  });

  it('delivers a checkpoint with nothing before it as an empty progress batch', async () => {
    const { source, opened } = fakeSource(5);
    const subscription = new KurrentSubscription(source, 0, { batchSize: 10, progressIntervalMs: 0 });
    await subscription.next();
    const next = subscription.next();
    opened[0]!.checkpoint(40, 0);
    await expect(next).resolves.toEqual({ done: false, value: { events: [], lastPosition: 40, caughtUp: true } });
    await subscription.close();
  });

  it('asks the store when the live stream stays quiet, and passes no event of ours still on its way', async () => {
    const { source, opened, store } = fakeSource(5);
    const subscription = new KurrentSubscription(source, 0, { batchSize: 10, progressIntervalMs: 0 });
    await subscription.next();
    // Fewer skipped events than the server's checkpoint interval, then one of ours not yet delivered live.
    store.head = 30;
    store.pending = [recorded(25)];
    const next = subscription.next();
    await until(() => (store.reads.length >= 3 ? true : undefined));
    // The probe found the event of ours: it must not move past it.
    opened[0]!.stream.write(liveEvent(25));
    const batch = (await next).value as SubscriptionBatch;
    expect(positions(batch)).toEqual([25]);
    expect(batch.lastPosition).toBe(25);

    // Delivered now; the next quiet probe finds nothing of ours and ends at the head.
    store.pending = [];
    await expect(subscription.next()).resolves.toEqual({
      done: false,
      value: { events: [], lastPosition: 30, caughtUp: true },
    });
    await subscription.close();
  });

  it('holds progress back to one batch per interval, but never an event, which carries it along', async () => {
    let now = 1_000;
    const { source, opened } = fakeSource(5);
    const subscription = new KurrentSubscription(source, 0, {
      batchSize: 10,
      progressIntervalMs: 60_000,
      now: () => now,
    });
    await subscription.next();
    let settled = false;
    const next = subscription.next().finally(() => (settled = true));
    opened[0]!.checkpoint(40, 0);
    for (let turn = 0; turn < 50; turn += 1) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);

    opened[0]!.stream.write(liveEvent(41));
    expect((await next).value).toEqual({ events: [recorded(41)], lastPosition: 41, caughtUp: true });

    // An interval later the next checkpoint is delivered at once.
    now += 60_000;
    const progress = subscription.next();
    opened[0]!.checkpoint(90, 0);
    expect((await progress).value).toEqual({ events: [], lastPosition: 90, caughtUp: true });
    await subscription.close();
  });
});
