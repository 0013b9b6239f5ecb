import { randomUUID } from 'node:crypto';
import type { PurgeLedger, PurgeLedgerEntry } from '../purge-ledger.port.js';

/** What an adapter's spec hands to the contract suite. */
export interface PurgeLedgerUnderTest {
  readonly ledger: PurgeLedger;
  /** Another ledger over the same storage, as a restarted or second process would open it. */
  reopen(): Promise<PurgeLedger>;
  dispose?(): Promise<void>;
}

/**
 * The behaviour every `PurgeLedger` adapter must show: durable, idempotent by id, never losing a key or
 * stream a record named (concurrent records of one purge are merged, not overwritten), oldest first.
 * Tests share the storage and tell their entries apart by a fresh tenant.
 */
export function purgeLedgerContract(name: string, factory: () => Promise<PurgeLedgerUnderTest>): void {
  describe(`PurgeLedger contract: ${name}`, () => {
    let subject: PurgeLedgerUnderTest;
    const opened: PurgeLedger[] = [];
    const reopen = async (): Promise<PurgeLedger> => {
      const another = await subject.reopen();
      opened.push(another);
      return another;
    };
    const entry = (tenant: string, overrides: Partial<PurgeLedgerEntry> = {}): PurgeLedgerEntry => {
      const subjectId = randomUUID();
      return {
        id: `review-purge:${subjectId}`,
        kind: 'review-purge',
        tenant,
        subjectId,
        keys: [`review:${subjectId}`],
        streams: [`review-${subjectId}`, `legal-hold-${subjectId}`],
        record: { reviewId: subjectId, retentionEndedOn: '2026-01-31', measureIds: [] },
        recordedAt: '2026-02-01T03:00:00.000Z',
        ...overrides,
      };
    };
    const ofTenant = async (ledger: PurgeLedger, tenant: string) =>
      (await ledger.list()).filter((candidate) => candidate.tenant === tenant);

    beforeAll(async () => {
      subject = await factory();
    });

    afterAll(async () => {
      for (const another of opened) await another.close();
      await subject?.ledger.close();
      await subject?.dispose?.();
    });

    it('keeps what it recorded, for every later reader', async () => {
      const tenant = `t-${randomUUID()}`;
      const recorded = entry(tenant);
      expect(await subject.ledger.record(recorded)).toEqual(recorded);
      expect(await ofTenant(subject.ledger, tenant)).toEqual([recorded]);
      expect(await ofTenant(await reopen(), tenant)).toEqual([recorded]);
      expect(await subject.ledger.count()).toBeGreaterThanOrEqual(1);
    });

    it('records a purge once: a repeat keeps the first time and record and adds what it lacked', async () => {
      const tenant = `t-${randomUUID()}`;
      const first = entry(tenant, { streams: ['review-a'] });
      await subject.ledger.record(first);
      const again = await subject.ledger.record({
        ...first,
        streams: ['review-a', 'measure-b'],
        keys: ['measure:b'],
        record: { changed: true },
        recordedAt: '2026-03-01T00:00:00.000Z',
      });
      const expected = { ...first, keys: [...first.keys, 'measure:b'], streams: ['review-a', 'measure-b'] };
      expect(again).toEqual(expected);
      expect(await ofTenant(subject.ledger, tenant)).toEqual([expected]);
    });

    it('lists oldest first, by time and then id', async () => {
      const tenant = `t-${randomUUID()}`;
      const late = entry(tenant, { id: 'population-purge:b', recordedAt: '2026-02-03T00:00:00.000Z' });
      const early = entry(tenant, { id: 'review-purge:z', recordedAt: '2026-02-02T00:00:00.000Z' });
      const sameTime = entry(tenant, { id: 'population-purge:a', recordedAt: '2026-02-03T00:00:00.000Z' });
      for (const each of [late, early, sameTime]) await subject.ledger.record(each);
      expect((await ofTenant(subject.ledger, tenant)).map((each) => each.id)).toEqual([
        'review-purge:z',
        'population-purge:a',
        'population-purge:b',
      ]);
    });

    it('loses nothing when two processes record at once, the same purge or different ones', async () => {
      const tenant = `t-${randomUUID()}`;
      const other = await reopen();
      const shared = entry(tenant, { streams: [] });
      const distinct = Array.from({ length: 10 }, () => entry(tenant));
      await Promise.all([
        ...distinct.map((each, index) => (index % 2 === 0 ? subject.ledger : other).record(each)),
        ...Array.from({ length: 10 }, (_, index) =>
          (index % 2 === 0 ? subject.ledger : other).record({ ...shared, streams: [`stream-${index}`] }),
        ),
      ]);
      const listed = await ofTenant(subject.ledger, tenant);
      expect(listed).toHaveLength(11);
      const merged = listed.find((each) => each.id === shared.id)!;
      expect([...merged.streams].sort()).toEqual(Array.from({ length: 10 }, (_, index) => `stream-${index}`).sort());
    });
  });
}
