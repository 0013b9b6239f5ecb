/**
 * Tombstone, then scavenge, then read-all on a real KurrentDB 26.0 LTS container (retention purge, issue 13
 * item 8: "tombstoned events stay in KurrentDB until a scavenge after their chunk closes").
 *
 * Proves, through the adapter:
 * 1. After `deleteStream` (a tombstone) the stream reads as empty, yet `readAll` still returns its events:
 *    exactly what `returnsDeletedEvents: true` tells rebuilds (they skip purged reviews themselves).
 * 2. A scavenge does not remove them while their chunk is still open; once the chunk is complete (the node
 *    runs with 1 MiB chunks, `KURRENTDB_CHUNK_SIZE`, and the test writes past the first chunk) a scavenge
 *    removes them: `readAll` no longer returns a single event of the deleted stream, while every event of
 *    the live streams is still there.
 *
 * The scavenge is started through the node's HTTP admin API (`POST /admin/scavenge`, the documented
 * operator command; the Node client 1.3.1 has no operations client) and awaited on the scavenge's own
 * stream (`$scavenges-<id>`, event `$scavengeCompleted`).
 */
import type { StartedKurrentDbContainer } from '@testcontainers/kurrentdb';
import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { KurrentDbEventStore } from '@pruefpfad/event-store';
import { describeWithContainers } from './support/container-runtime.js';
import {
  CHAIN_KEY,
  KURRENTDB_PORT,
  eventually,
  newEvent,
  readEverything,
  startKurrentDb,
} from './support/server-fixtures.js';

/** KurrentDB's own test nodes use 1 MiB chunks (MiniNode.ChunkSize); the default is 256 MiB. */
const CHUNK_SIZE = 1024 * 1024;

describeWithContainers('tombstone, scavenge, read-all (KurrentDB with 1 MiB chunks)', () => {
  let container: StartedKurrentDbContainer;
  let store: KurrentDbEventStore;
  let raw: KurrentDBClient;
  let adminUrl: string;

  beforeAll(async () => {
    container = await startKurrentDb({ environment: { KURRENTDB_CHUNK_SIZE: String(CHUNK_SIZE) } });
    store = await KurrentDbEventStore.open({ connectionString: container.getConnectionString(), chainKey: CHAIN_KEY });
    raw = KurrentDBClient.connectionString(container.getConnectionString());
    adminUrl = `http://${container.getHost()}:${container.getMappedPort(KURRENTDB_PORT)}/admin/scavenge`;
  }, 300_000);

  afterAll(async () => {
    await store?.close();
    await raw?.dispose();
    await container?.stop();
  });

  /** Starts a scavenge (insecure node: no credentials) and waits for its completion event. */
  async function scavenge(): Promise<Record<string, unknown>> {
    const response = await fetch(adminUrl, { method: 'POST', signal: AbortSignal.timeout(30_000) });
    expect(response.status).toBe(200);
    const { scavengeId } = (await response.json()) as { scavengeId: string };
    let completed: Record<string, unknown> | null = null;
    await eventually(
      `scavenge ${scavengeId} to complete`,
      180_000,
      async () => {
        for await (const resolved of raw.readStream(`$scavenges-${scavengeId}`)) {
          if (resolved.event?.type === '$scavengeCompleted') completed = resolved.event.data as Record<string, unknown>;
        }
        return completed !== null;
      },
      500,
    );
    return completed!;
  }

  it('returns a tombstoned stream’s events from readAll until a scavenge after its chunk closed, then never again', async () => {
    const purged = `review-purged-${Date.now()}`;
    await store.append(
      purged,
      [1, 2, 3, 4, 5].map((n) => newEvent('FindingRecorded', { n, note: 'vertraulich: Herr Beispiel' })),
      { expectedRevision: 'no_stream' },
    );
    const live = `review-live-${Date.now()}`;
    await store.append(live, [newEvent('ReviewOpened', { n: 0 })], { expectedRevision: 'no_stream' });
    await store.deleteStream(purged);

    expect(store.returnsDeletedEvents).toBe(true);
    expect(await store.readStream(purged)).toEqual([]);
    const beforeScavenge = await readEverything(store, { streamPrefixes: [purged] });
    expect(beforeScavenge).toHaveLength(5);
    expect(Math.max(...beforeScavenge.map((event) => event.position))).toBeLessThan(CHUNK_SIZE);

    // The first chunk is still open: a scavenge now leaves the events where they are.
    expect(await scavenge()).toMatchObject({ result: expect.stringMatching(/success/i) });
    expect(await readEverything(store, { streamPrefixes: [purged] })).toHaveLength(5);

    // Write past the first chunk (32 KiB events, each append far below the 1 MiB maximum append size).
    const filler = `filler-${Date.now()}`;
    const padding = 'x'.repeat(32 * 1024);
    let fillerEvents = 0;
    while ((await store.headPosition()) < CHUNK_SIZE + 64 * 1024) {
      await store.append(filler, [newEvent('Padding', { n: fillerEvents, padding })], { expectedRevision: 'any' });
      fillerEvents += 1;
    }

    expect(await scavenge()).toMatchObject({ result: expect.stringMatching(/success/i) });
    expect(await readEverything(store, { streamPrefixes: [purged] })).toEqual([]);
    // Nothing else went: the live stream and every padding event are still read back, chains intact.
    expect(await readEverything(store, { streamPrefixes: [live] })).toHaveLength(1);
    expect(await readEverything(store, { streamPrefixes: [filler] })).toHaveLength(fillerEvents);
    expect((await store.verifyStream(live)).ok).toBe(true);
    await expect(
      store.append(purged, [newEvent('FindingRecorded', { n: 6 })], { expectedRevision: 'any' }),
    ).rejects.toBeInstanceOf(Error);
  }, 600_000);
});
