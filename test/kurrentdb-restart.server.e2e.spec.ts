/**
 * KurrentDB restarts under a live subscription and under commits (a real KurrentDB 26.0 LTS container,
 * `restart()` on a fixed host port, so the clients opened before the restart are the ones that must recover).
 *
 * Proves:
 * 1. A live subscription does not stall when the server goes away: its pending `next()` rejects (the
 *    adapter turns the server stream's error or end into a failure, SubscriptionEndedError for a clean end),
 *    and a resubscription from the last checkpoint delivers every later event exactly once.
 * 2. An append while the server restarts fails with an error `classifyStoreError` (the API's 503 mapping)
 *    calls retryable (`unavailable`, KurrentDB); retrying the same events (same ids) after the restart
 *    commits each of them exactly once, also when the failed attempt had in fact been written.
 * 3. The projection runner (server mode's consumer) rides through a restart during a stream of commits: its
 *    backoff resubscribes from the checkpoint, and the read model equals the fold of every event in the
 *    store, each applied once (the ledger documents list every entry they applied).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StartedKurrentDbContainer } from '@testcontainers/kurrentdb';
import { KurrentDbEventStore, type NewEvent, type SubscriptionBatch } from '@pruefpfad/event-store';
import { ProjectionRunner } from '@pruefpfad/projections';
import { EmbeddedReadStore } from '@pruefpfad/read-store';
import { classifyStoreError } from '../apps/api/src/errors/store-errors.js';
import { describeWithContainers } from './support/container-runtime.js';
import {
  CHAIN_KEY,
  eventually,
  expectedLedgers,
  LEDGER_EVENT,
  ledgerEntry,
  ledgerProjection,
  readEverything,
  startKurrentDb,
  withoutBookkeeping,
  within,
} from './support/server-fixtures.js';

/** Appends, retrying only errors the API would answer with a retryable 503; collects those errors. */
async function appendThroughRestart(
  store: KurrentDbEventStore,
  streamId: string,
  events: readonly NewEvent[],
  retryable: unknown[],
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await store.append(streamId, events, { expectedRevision: 'any' });
      return;
    } catch (error) {
      const fault = classifyStoreError(error);
      if (fault === null || fault.kind !== 'unavailable') throw error;
      retryable.push(error);
      if (Date.now() > deadline)
        throw new Error(`append to ${streamId} still failing after ${timeoutMs} ms`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describeWithContainers('KurrentDB restarts during a live subscription and during commits', () => {
  let container: StartedKurrentDbContainer;
  let store: KurrentDbEventStore;

  beforeAll(async () => {
    container = await startKurrentDb();
    store = await KurrentDbEventStore.open({ connectionString: container.getConnectionString(), chainKey: CHAIN_KEY });
  }, 300_000);

  afterAll(async () => {
    await store?.close();
    await container?.stop();
  });

  it('rejects the pending next() of a live subscription when the server restarts, and a resubscription from the checkpoint delivers each later event once', async () => {
    const prefix = `sub-${Date.now()}`;
    for (let seq = 0; seq < 20; seq += 1) {
      const { streamId, event } = ledgerEntry(prefix, seq, 4);
      await store.append(streamId, [event], { expectedRevision: 'any' });
    }
    const filter = { eventTypes: [LEDGER_EVENT], streamPrefixes: [`ledger-${prefix}-`] };
    const first = store.subscribeToAll({ after: 0, filter, batchSize: 5 });
    const iterator = first[Symbol.asyncIterator]();
    const seen: number[] = [];
    let checkpoint = 0;
    let live = false;
    while (!live || seen.length < 20) {
      const next = await within('history batch', 30_000, iterator.next());
      if (next.done === true) throw new Error('subscription ended before catching up');
      const batch: SubscriptionBatch = next.value;
      seen.push(...batch.events.map((event) => (event.data as { seq: number }).seq));
      checkpoint = batch.lastPosition;
      live = batch.caughtUp;
    }
    expect(seen).toEqual([...Array(20).keys()]);

    // Live now, nothing pending: the restart must turn the waiting next() into a failure, not a hang.
    const pending = iterator.next();
    const restarted = container.restart();
    await expect(within('pending next() after the restart', 90_000, pending)).rejects.toBeInstanceOf(Error);
    await restarted;
    await first.close();

    const failures: unknown[] = [];
    for (let seq = 20; seq < 40; seq += 1) {
      const { streamId, event } = ledgerEntry(prefix, seq, 4);
      await appendThroughRestart(store, streamId, [event], failures);
    }

    const again = store.subscribeToAll({ after: checkpoint, filter, batchSize: 7 });
    const later: number[] = [];
    try {
      for await (const batch of again) {
        later.push(...batch.events.map((event) => (event.data as { seq: number }).seq));
        if (later.length >= 20 && batch.caughtUp) break;
      }
    } finally {
      await again.close();
    }
    expect(later).toEqual([...Array(20).keys()].map((n) => n + 20));
  }, 240_000);

  it('fails an append during the restart with a retryable store error; the retry with the same events commits each once', async () => {
    const streamId = `restart-append-${Date.now()}`;
    const attempted: NewEvent[][] = [];
    const failures: unknown[] = [];
    const restarted = container.restart();
    let settled = false;
    void restarted.finally(() => (settled = true));
    // Commits one after the other while the node stops and starts; the first failed one is what we retry.
    let failed: NewEvent[] | null = null;
    for (let seq = 0; failed === null && !settled; seq += 1) {
      const events = [ledgerEntry(streamId, seq, 1).event];
      attempted.push(events);
      try {
        await store.append(streamId, events, { expectedRevision: 'any' });
      } catch (error) {
        failures.push(error);
        failed = events;
      }
    }
    await restarted;
    expect(failed).not.toBeNull();
    const fault = classifyStoreError(failures[0]);
    expect(fault).toMatchObject({ kind: 'unavailable', store: 'kurrentdb' });

    // The failed attempt's outcome is unknown: it may have been written. The same ids make the retry safe.
    await appendThroughRestart(store, streamId, failed!, failures);
    const stored = await store.readStream(streamId);
    const ids = stored.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    const failedId = failed![0]!.id;
    expect(ids.filter((id) => id === failedId)).toHaveLength(1);
    // Every attempt before the failure was acknowledged, so each of them is there too, once.
    for (const events of attempted.slice(0, -1)) expect(ids).toContain(events[0]!.id);
    expect((await store.verifyStream(streamId)).ok).toBe(true);
  }, 240_000);

  it('keeps the projection runner converging through a restart during a stream of commits: every event applied once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-restart-'));
    const readStore = EmbeddedReadStore.open({ file: path.join(dir, 'read.db') });
    const definition = ledgerProjection(`ledger_${Date.now()}`);
    const prefix = definition.name;
    const runner = new ProjectionRunner({
      definitions: [definition],
      eventStore: store,
      documentStore: readStore.documents,
      checkpointStore: readStore.checkpoints,
      batchSize: 25,
      retry: { initialMs: 50, maxMs: 1_000 },
    });
    runner.start();
    try {
      const failures: unknown[] = [];
      let restarted: Promise<void> | null = null;
      for (let seq = 0; seq < 600; seq += 1) {
        // Mid-stream, once the runner has committed part of it: restart the node under its feet.
        if (seq === 300) {
          await eventually(
            'runner has committed part of the stream',
            60_000,
            () => runner.statusOf(prefix).position > 0,
          );
          restarted = container.restart();
        }
        const { streamId, event } = ledgerEntry(prefix, seq, 10);
        await appendThroughRestart(store, streamId, [event], failures);
      }
      await restarted;
      const head = await store.headPosition();
      await eventually(
        'the runner to reach the head after the restart',
        120_000,
        () => runner.statusOf(prefix).position >= head && runner.statusOf(prefix).state === 'live',
      );
      // The projection sees every ledger entry in the store (the earlier tests' too): compare with all of them.
      const events = await readEverything(store, { eventTypes: [LEDGER_EVENT] });
      const ours = events.filter((event) => event.streamId.startsWith(`ledger-${prefix}-`));
      expect(ours).toHaveLength(600);
      const collection = await readStore.documents.resolve(prefix);
      const docs = withoutBookkeeping(await readStore.documents.find(collection));
      expect(docs).toEqual(expectedLedgers(events));
      const applied = docs
        .filter((doc) => doc._id.startsWith(`${prefix}-`))
        .flatMap((doc) => doc['seqs'] as number[])
        .sort((a, b) => a - b);
      expect(applied).toEqual([...Array(600).keys()]);
    } finally {
      await runner.stop();
      await readStore.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
