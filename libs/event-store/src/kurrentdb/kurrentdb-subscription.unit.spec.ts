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
  const opened: { after: number; stream: FakeLiveStream }[] = [];
  const source: KurrentSubscriptionSource = {
    readPage: (after) => Promise.resolve({ events: [], lastPosition: Math.max(after, head), isEnd: true }),
    subscribeLive: (after) => {
      const stream = new FakeLiveStream();
      opened.push({ after, stream });
      return stream;
    },
    accept: (resolved) => recorded((resolved as unknown as { position: number }).position),
    onClose: () => undefined,
  };
  return { source, opened };
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
    const subscription = new KurrentSubscription(source, checkpoint, 10);
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
    const subscription = new KurrentSubscription(source, 0, 10);
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
