import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { v7 as uuidv7 } from 'uuid';
import { uuidV7Ids } from '@pruefpfad/application';
import { CHAIN_GENESIS, type EventMetadata, type NewEvent, SqliteEventStore } from '@pruefpfad/event-store';
import { until } from '@pruefpfad/projections/testing';
import { CHAIN_SEALS_STREAM, headsHash, sealHash, type ChainHeadsSealedData } from './chain-seal.js';
import { ChainSealer, SealStreamInvalidError } from './chain-sealer.js';
import { verifyChains } from './chain-verification.js';

const clock = { now: () => new Date('2026-04-01T10:00:00.000Z') };
const metadata = (tenant: string): EventMetadata => ({
  occurredAt: '2026-04-01T10:00:00.000Z',
  actor: { userId: 'tester', role: 'management' },
  tenant,
  correlationId: 'corr',
  causationId: null,
  rulesVersion: '2026.1',
});
const events = (count: number, tenant = 'jc-a'): NewEvent[] =>
  Array.from({ length: count }, (_, index) => ({
    id: uuidv7(),
    type: 'Probe',
    schemaVersion: 1,
    data: { index },
    metadata: metadata(tenant),
  }));

/** A second, raw connection to the same file: what an attacker with file access could do. */
function raw(file: string, work: (db: DatabaseSync) => void): void {
  const db = new DatabaseSync(file);
  try {
    work(db);
  } finally {
    db.close();
  }
}

describe('chain sealing and verification (embedded event store)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-'));
  const chainKey = randomBytes(32);
  let counter = 0;
  let file: string;
  let store: SqliteEventStore;
  const sealer = (options: { maxHeadsPerSeal?: number; intervalMs?: number } = {}) =>
    new ChainSealer({ eventStore: store, clock, ids: uuidV7Ids, rulesVersion: '2026.1', pageSize: 3, ...options });
  const seals = async (): Promise<ChainHeadsSealedData[]> =>
    (await store.readStream(CHAIN_SEALS_STREAM)).map((event) => event.data as ChainHeadsSealedData);

  beforeEach(async () => {
    counter += 1;
    file = path.join(root, `events-${counter}.sqlite`);
    store = await SqliteEventStore.open({ file, chainKey });
  });
  afterEach(async () => {
    await store.close();
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('seals nothing on an empty store', async () => {
    expect(await sealer().sealNow()).toEqual([]);
    expect(await store.streamInfo(CHAIN_SEALS_STREAM)).toEqual({ streamId: CHAIN_SEALS_STREAM, revision: null });
  });

  it('seals the heads of changed streams only, each seal linked to the one before', async () => {
    await store.append('a', events(3), { expectedRevision: 'no_stream' });
    await store.append('b', events(2, 'jc-b'), { expectedRevision: 'no_stream' });
    const chainSealer = sealer();

    const [first] = await chainSealer.sealNow();
    const [aLast] = await store.readStream('a', { direction: 'backwards', maxCount: 1 });
    expect(first).toMatchObject({
      sealNumber: 1,
      fromPosition: 0,
      throughPosition: 5,
      previousSealHash: CHAIN_GENESIS,
      heads: [
        { streamId: 'a', revision: 2, chain: aLast!.chain, tenant: 'jc-a' },
        { streamId: 'b', revision: 1, tenant: 'jc-b' },
      ],
    });
    expect(first!.headsHash).toBe(headsHash(first!.heads));
    expect(first!.sealHash).toBe(sealHash(first!));

    expect(await chainSealer.sealNow()).toEqual([]);

    await store.append('b', events(1, 'jc-b'), { expectedRevision: 1 });
    await store.append('c', events(1), { expectedRevision: 'no_stream' });
    const [second] = await sealer().sealNow();
    expect(second).toMatchObject({
      sealNumber: 2,
      fromPosition: first!.throughPosition,
      previousSealHash: first!.sealHash,
      heads: [
        { streamId: 'b', revision: 2 },
        { streamId: 'c', revision: 0 },
      ],
    });
    expect(await seals()).toEqual([first, second]);
    expect(await store.verifyStream(CHAIN_SEALS_STREAM)).toMatchObject({ ok: true, eventsChecked: 2 });
  });

  it('splits a large backlog into several seals of bounded size', async () => {
    for (const stream of ['s1', 's2', 's3', 's4', 's5'])
      await store.append(stream, events(1), { expectedRevision: 'no_stream' });
    const appended = await sealer({ maxHeadsPerSeal: 2 }).sealNow();
    expect(appended.length).toBeGreaterThan(1);
    expect(appended.every((seal) => seal.heads.length <= 2 + 3)).toBe(true);
    expect(appended.flatMap((seal) => seal.heads.map((head) => head.streamId)).sort()).toEqual([
      's1',
      's2',
      's3',
      's4',
      's5',
    ]);
    for (const [index, seal] of appended.entries())
      expect(seal.fromPosition).toBe(index === 0 ? 0 : appended[index - 1]!.throughPosition);
    expect(await sealer({ maxHeadsPerSeal: 2 }).sealNow()).toEqual([]);
  });

  it('seals at start and again after the interval', async () => {
    await store.append('a', events(1), { expectedRevision: 'no_stream' });
    const running = sealer({ intervalMs: 20 });
    running.start();
    try {
      await until(async () => (await seals()).length === 1, 5000, 'the seal at start');
      await store.append('a', events(1), { expectedRevision: 0 });
      await until(async () => (await seals()).length === 2, 5000, 'the seal after the interval');
      expect((await seals())[1]!.heads).toEqual([expect.objectContaining({ streamId: 'a', revision: 1 })]);
    } finally {
      await running.stop();
    }
  });

  it('refuses to seal on top of a damaged seal', async () => {
    await store.append('a', events(1), { expectedRevision: 'no_stream' });
    await sealer().sealNow();
    raw(file, (db) => db.exec(`UPDATE events SET data = '{"forged":true}' WHERE stream_id = '${CHAIN_SEALS_STREAM}'`));
    await store.append('a', events(1), { expectedRevision: 0 });
    await expect(sealer().sealNow()).rejects.toBeInstanceOf(SealStreamInvalidError);
  });

  describe('verifyChains', () => {
    beforeEach(async () => {
      await store.append('kept', events(3), { expectedRevision: 'no_stream' });
      await store.append('cut', events(3), { expectedRevision: 'no_stream' });
      await store.append('gone', events(2, 'jc-b'), { expectedRevision: 'no_stream' });
      await sealer().sealNow();
      await store.append('unsealed', events(2), { expectedRevision: 'no_stream' });
    });

    it('answers clean for an untouched store', async () => {
      expect(await verifyChains(store)).toMatchObject({
        clean: true,
        streamsChecked: 4,
        eventsChecked: 10,
        findings: [],
        next: null,
        seals: { count: 1, lastSealNumber: 1, sealedThrough: 8 },
      });
    });

    it('finds a cut-off tail and a removed stream that the chains alone accept', async () => {
      const [cutLast, cutBefore] = await store.readStream('cut', { direction: 'backwards', maxCount: 2 });
      raw(file, (db) => {
        db.prepare('DELETE FROM events WHERE position = ?').run(cutLast!.position);
        db.prepare(`UPDATE streams SET revision = 1, chain = ? WHERE stream_id = 'cut'`).run(cutBefore!.chain);
        db.exec(`DELETE FROM events WHERE stream_id = 'gone'`);
        db.exec(`DELETE FROM streams WHERE stream_id = 'gone'`);
      });
      expect(await store.verifyStream('cut')).toMatchObject({ ok: true });
      expect(await store.verifyStream('gone')).toMatchObject({ ok: true, eventsChecked: 0 });

      const report = await verifyChains(store);

      expect(report).toMatchObject({ clean: false, streamsChecked: 4 });
      expect(report!.findings).toEqual([
        expect.objectContaining({ streamId: 'cut', kind: 'truncated', revision: 2, position: null, tenant: 'jc-a' }),
        expect.objectContaining({ streamId: 'gone', kind: 'stream-missing', revision: 1, tenant: 'jc-b' }),
      ]);
      expect(report!.findings[1]!.reason).toMatch(/does not tell these apart/);
      // The same answers stream by stream, and per tenant.
      expect((await verifyChains(store, { streamId: 'gone' }))!.findings).toEqual([report!.findings[1]]);
      expect((await verifyChains(store, { tenant: 'jc-b' }))!.findings).toEqual([report!.findings[1]]);
      expect((await verifyChains(store, { tenant: 'jc-a' }))!.findings).toEqual([report!.findings[0]]);
      expect(await verifyChains(store, { streamId: 'gone', tenant: 'jc-a' })).toBeNull();
      expect(await verifyChains(store, { streamId: 'never-existed' })).toBeNull();
    });

    it('reports a damaged seal', async () => {
      raw(file, (db) =>
        db.exec(
          `UPDATE events SET data = json_set(data, '$.heads[0].revision', 9) WHERE stream_id = '${CHAIN_SEALS_STREAM}'`,
        ),
      );
      const findings = (await verifyChains(store))!.findings;
      expect(findings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ streamId: CHAIN_SEALS_STREAM, kind: 'seal-invalid', revision: 0 }),
        ]),
      );
      expect(findings.some((finding) => /heads hash mismatch/.test(finding.reason))).toBe(true);
    });

    it('checks a large store in bounded parts, every stream exactly once', async () => {
      const [kept] = await store.readStream('kept', { fromRevision: 1, maxCount: 1 });
      raw(file, (db) => db.prepare(`UPDATE events SET data = '{"index":7}' WHERE position = ?`).run(kept!.position));
      const checked: number[] = [];
      const findings: string[] = [];
      let after: number | null = 0;
      while (after !== null) {
        const part = await verifyChains(store, { after, maxEvents: 2, pageSize: 2 });
        checked.push(part!.streamsChecked);
        findings.push(...part!.findings.map((finding) => `${finding.streamId}@${finding.revision}`));
        after = part!.next;
      }
      expect(checked.length).toBeGreaterThan(2);
      expect(checked.reduce((sum, count) => sum + count, 0)).toBe(4);
      expect(findings).toEqual(['kept@1']);
    });
  });
});
