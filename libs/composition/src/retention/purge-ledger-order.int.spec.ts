import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { type Clock, uuidV7Ids } from '@pruefpfad/application';
import type { ReviewPurgeStarted } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import type { Infrastructure } from '../infrastructure.js';
import { SqlitePurgeLedger } from '../operations/sqlite-purge-ledger.js';
import {
  openTemporaryInfrastructure,
  testEvent,
  testMetadata,
  type TemporaryInfrastructure,
} from '../testing/embedded-infrastructure.js';
import { purgeReactor } from './purge-reactor.js';
import { reviewPurgeLedgerEntry } from './purge-ledger-entries.js';
import { reapplyPurge } from './reapply-purges.js';

const metadata = testMetadata({ userId: 'tl-1', role: 'team_lead' });
const clock: Clock = { now: () => new Date('2027-06-01T00:00:00.000Z') };
const context = { reactor: 'retention-purge', attempt: 1, signal: new AbortController().signal };

/**
 * The purge ledger is written BEFORE anything is destroyed: a purge whose ledger entry cannot be recorded
 * destroys nothing (so no destruction is ever missing from the ledger), and a purge interrupted after the
 * entry is completed by re-applying it, as a restore does.
 */
describe('retention purge and the purge ledger (embedded stores)', () => {
  let temporary: TemporaryInfrastructure;
  let infrastructure: Infrastructure;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-ledger-order-'));
  const ledgerFile = path.join(root, 'purge-ledger.sqlite');

  beforeAll(async () => {
    temporary = await openTemporaryInfrastructure();
    infrastructure = temporary.infrastructure;
    await SqlitePurgeLedger.open({ file: ledgerFile }).close();
  });

  afterAll(async () => {
    await temporary?.remove();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function reviewWithPurgeStarted(): Promise<{ reviewId: string; started: RecordedEvent }> {
    const reviewId = uuidv7();
    const caseRef = await infrastructure.envelope.seal(`review:${reviewId}`, '123D000042');
    await infrastructure.eventStore.append(
      `review-${reviewId}`,
      [testEvent('CaseSampled', { reviewId, teamId: 'team-1', month: '2026-03', caseRef }, metadata)],
      { expectedRevision: 'no_stream' },
    );
    await infrastructure.eventStore.append(
      `purge-${reviewId}`,
      [
        testEvent(
          'ReviewPurgeStarted',
          {
            reviewId,
            tenant: 'jc-a',
            retentionEndedOn: '2027-03-20',
            retentionMonths: 12,
            measureIds: [],
            trigger: 'daily-job',
          },
          metadata,
        ),
      ],
      { expectedRevision: 'no_stream' },
    );
    const [started] = await infrastructure.eventStore.readStream(`purge-${reviewId}`);
    return { reviewId, started: started! };
  }

  const reactor = (purgeLedger: SqlitePurgeLedger) =>
    purgeReactor({
      eventStore: infrastructure.eventStore,
      keyStore: infrastructure.keyStore,
      clock,
      ids: uuidV7Ids,
      rulesVersion: 'test',
      purgeLedger,
    });

  it('destroys nothing while the purge cannot be recorded in the ledger', async () => {
    const { reviewId, started } = await reviewWithPurgeStarted();
    const readOnly = SqlitePurgeLedger.open({ file: ledgerFile, readOnly: true });
    try {
      await expect(reactor(readOnly).handle(started, context)).rejects.toThrow(/read-only/);
    } finally {
      await readOnly.close();
    }
    expect(await infrastructure.keyStore.isDestroyed(`review:${reviewId}`)).toBe(false);
    expect((await infrastructure.eventStore.streamInfo(`review-${reviewId}`)).revision).toBe(0);
  });

  it('a purge stopped right after its ledger entry is completed by re-applying the entry', async () => {
    const { reviewId, started } = await reviewWithPurgeStarted();
    const ledger = SqlitePurgeLedger.open({ file: ledgerFile });
    try {
      // What a crash between the ledger entry and the first destroy leaves: the entry, nothing destroyed.
      await ledger.record(
        reviewPurgeLedgerEntry(
          started.data as ReviewPurgeStarted['data'],
          [`review:${reviewId}`],
          [`review-${reviewId}`, `legal-hold-${reviewId}`],
          clock.now(),
        ),
      );
      const [entry] = (await ledger.list()).filter((candidate) => candidate.subjectId === reviewId);
      expect(entry).toMatchObject({ kind: 'review-purge', keys: [`review:${reviewId}`] });
      expect((await infrastructure.eventStore.streamInfo(`review-${reviewId}`)).revision).toBe(0);

      const outcome = await reapplyPurge(
        {
          eventStore: infrastructure.eventStore,
          keyStore: infrastructure.keyStore,
          clock,
          ids: uuidV7Ids,
          rulesVersion: 'test',
        },
        entry!,
      );
      expect(outcome).toMatchObject({ keysDestroyed: 1, streamsDeleted: 1, recorded: true });
      expect(await infrastructure.keyStore.isDestroyed(`review:${reviewId}`)).toBe(true);
      expect((await infrastructure.eventStore.streamInfo(`review-${reviewId}`)).revision).toBeNull();
      expect((await infrastructure.eventStore.readStream(`purge-${reviewId}`)).map((event) => event.type)).toEqual([
        'ReviewPurgeStarted',
        'ReviewSummarised',
        'ReviewPurged',
      ]);
      // The reactor's redelivery then finds the purge finished and changes nothing.
      await reactor(ledger).handle(started, context);
      expect(await infrastructure.eventStore.readStream(`purge-${reviewId}`)).toHaveLength(3);
    } finally {
      await ledger.close();
    }
  });
});
