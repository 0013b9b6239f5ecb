import type { RecordedEvent } from '@pruefpfad/event-store';
import { foldInMemory, recordedEvent } from '../../testing/fold-in-memory.js';
import { legalQuotaProjection } from './legal-quota.projection.js';

const sealed = { $sealed: 1, kid: 'legal-quota:jc-a-2026-02', iv: 'i', ct: 'c', tag: 't' };
const row = (legalNorm: string, teamId: string | null, settled: number, upheld: number, documentation: number) => ({
  legalNorm,
  teamId,
  settled,
  upheldFully: upheld,
  upheldPartly: 0,
  avoidable: { documentation, 'application-of-law': 0, 'fact-finding': 0 },
});

function recorded(position: number, revision: number, type: string, data: Record<string, unknown>): RecordedEvent {
  return recordedEvent({
    type,
    data,
    revision,
    streamId: `legal-quota-${String(data['quotaId'])}`,
    position,
    metadata: { actor: { userId: 'legal-1', role: 'legal' } },
  });
}

const events = [
  recorded(1, 0, 'LegalQuotaFiguresRecorded', {
    quotaId: 'jc-a-2026-02',
    month: '2026-02',
    rows: [row('§ 22 SGB II', 't1', 10, 4, 1), row('§ 31 SGB II', null, 5, 1, 1)],
    recordedAt: '2026-03-02T09:00:00.000Z',
  }),
  recorded(2, 0, 'LegalQuotaFiguresRecorded', {
    quotaId: 'jc-a-2026-03',
    month: '2026-03',
    rows: [],
    recordedAt: '2026-04-01T09:00:00.000Z',
  }),
  recorded(3, 1, 'LegalQuotaFiguresCorrected', {
    quotaId: 'jc-a-2026-02',
    month: '2026-02',
    rows: [row('§ 22 SGB II', 't1', 12, 4, 2), row('§ 31 SGB II', null, 5, 1, 1)],
    previousTotals: {},
    reason: sealed,
    correctedAt: '2026-03-05T10:00:00.000Z',
  }),
];

describe('legal quota projection', () => {
  it('keeps one document per month with the corrected rows and totals; replaying twice changes nothing', async () => {
    const quota = foldInMemory(legalQuotaProjection);
    await quota.feed(events);
    const first = structuredClone([...quota.docs.values()]);
    await quota.feed(events);
    await quota.feed(events.slice(1));
    expect([...quota.docs.values()]).toEqual(first);
    expect(quota.docs.get('jc-a-2026-02')).toMatchObject({
      tenant: 'jc-a',
      month: '2026-02',
      year: 2026,
      totals: { settled: 17, upheld: 5, avoidable: 3, avoidableByReason: { documentation: 3 } },
      recordedAt: '2026-03-02T09:00:00.000Z',
      changedAt: '2026-03-05T10:00:00.000Z',
      corrections: 1,
      streamRevision: 1,
    });
    expect(quota.docs.get('jc-a-2026-02')).not.toHaveProperty('reason');
    expect(quota.docs.get('jc-a-2026-03')).toMatchObject({ totals: { settled: 0, upheld: 0 }, corrections: 0 });
  });
});
