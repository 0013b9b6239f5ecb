import { randomBytes } from 'node:crypto';
import { KurrentDbContainer, type StartedKurrentDbContainer } from '@testcontainers/kurrentdb';
import { KurrentDBClient, jsonEvent } from '@kurrent/kurrentdb-client';
import { v7 as uuidv7 } from 'uuid';
import { describeWithContainers } from '../../../../test/support/container-runtime.js';
import { contractUpcasters, eventStoreContract } from '../contract/event-store.contract.js';
import { KurrentDbEventStore } from './kurrentdb-event-store.js';

/**
 * Pinned to the current KurrentDB LTS release (26.0, "one LTS release per year, released in or around
 * January", docs.kurrent.io/server/v26.0/release-schedule), from Kurrent's LTS registry
 * (`docker.kurrent.io/kurrent-lts/kurrentdb`, server docs "Run with Docker"). The module starts it as an
 * insecure single node with the standard projections running, so `$all` carries the system projections'
 * link events the adapter must skip.
 */
const KURRENTDB_IMAGE = 'docker.kurrent.io/kurrent-lts/kurrentdb:26.0.3';

describeWithContainers('KurrentDbEventStore (KurrentDB 26.0 LTS in a container)', () => {
  let container: StartedKurrentDbContainer;
  const chainKey = randomBytes(32);

  beforeAll(async () => {
    container = await new KurrentDbContainer(KURRENTDB_IMAGE).start();
  }, 300_000);

  afterAll(async () => {
    await container?.stop();
  });

  const open = () =>
    KurrentDbEventStore.open({
      connectionString: container.getConnectionString(),
      chainKey,
      upcasters: contractUpcasters(),
    });

  eventStoreContract('KurrentDB 26.0 LTS', async () => {
    const store = await open();
    return { store, dispose: () => store.close() };
  });

  describe('KurrentDbEventStore specifics', () => {
    let store: KurrentDbEventStore;
    let raw: KurrentDBClient;

    beforeAll(async () => {
      store = await open();
      raw = KurrentDBClient.connectionString(container.getConnectionString());
    });

    afterAll(async () => {
      await store?.close();
      await raw?.dispose();
    });

    const meta = () => ({
      occurredAt: '2025-03-14T09:26:53.589Z',
      actor: { userId: 'user-1', role: 'Fachaufsicht' },
      tenant: 'jc-test',
      correlationId: uuidv7(),
      causationId: null,
      rulesVersion: 'rules-test',
    });

    it('stores the type as KurrentDB event type, our id as event id, and version, chain and metadata in its metadata', async () => {
      const streamId = `kurrent-layout-${uuidv7()}`;
      const id = uuidv7();
      const metadata = meta();
      await store.append(streamId, [{ id, type: 'LayoutChecked', schemaVersion: 3, data: { a: 1 }, metadata }], {
        expectedRevision: 'no_stream',
      });
      const [stored] = await collect(raw.readStream(streamId));
      expect(stored?.event).toMatchObject({ id, type: 'LayoutChecked', data: { a: 1 }, isJson: true });
      expect(stored?.event?.metadata).toMatchObject({
        $correlationId: metadata.correlationId,
        schemaVersion: 3,
        metadata,
      });
      expect((stored?.event?.metadata as { chain: string }).chain).toMatch(/^[0-9a-f]{64}$/);
    });

    it('detects an event appended behind its back (no chain value) and one whose content was changed', async () => {
      const streamId = `kurrent-tamper-${uuidv7()}`;
      const first = { id: uuidv7(), type: 'TamperChecked', schemaVersion: 1, data: { n: 1 }, metadata: meta() };
      await store.append(streamId, [first], { expectedRevision: 'no_stream' });
      const [original] = await collect(raw.readStream(streamId));
      // A forged copy of event 0's envelope on revision 1: its chain value is event 0's, so the link breaks.
      await raw.appendToStream(
        streamId,
        jsonEvent({
          id: uuidv7(),
          type: 'TamperChecked',
          data: { n: 2 },
          metadata: original!.event!.metadata as Record<string, unknown>,
        }),
      );
      const verification = await store.verifyStream(streamId);
      expect(verification.ok).toBe(false);
      expect(verification.brokenAt?.revision).toBe(1);
    });

    it('refuses names KurrentDB reserves for itself', async () => {
      const event = { id: uuidv7(), type: '$SystemLike', schemaVersion: 1, data: {}, metadata: meta() };
      await expect(
        store.append(`kurrent-reserved-${uuidv7()}`, [event], { expectedRevision: 'any' }),
      ).rejects.toMatchObject({
        code: 'INVALID_APPEND',
      });
      await expect(
        store.append(`$reserved-${uuidv7()}`, [{ ...event, type: 'Fine' }], { expectedRevision: 'any' }),
      ).rejects.toMatchObject({
        code: 'INVALID_APPEND',
      });
    });

    it('treats a retried append with the same event ids as done, for every kind of expected revision', async () => {
      for (const expectedRevision of ['no_stream', 'any'] as const) {
        const streamId = `kurrent-retry-${expectedRevision}-${uuidv7()}`;
        const batch = [1, 2].map((n) => ({
          id: uuidv7(),
          type: 'RetryChecked',
          schemaVersion: 1,
          data: { n },
          metadata: meta(),
        }));
        const first = await store.append(streamId, batch, { expectedRevision });
        const again = await store.append(streamId, batch, { expectedRevision });
        expect(again).toEqual(first);
        expect(await store.readStream(streamId)).toHaveLength(2);
      }
    });
  });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
