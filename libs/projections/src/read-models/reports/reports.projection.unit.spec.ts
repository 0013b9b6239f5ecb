import type { RecordedEvent } from '../../../../event-store/src/event-store.port.js';
import type { Doc, DocumentWrite } from '../../../../read-store/src/read-store.port.js';
import { foldBatch } from '../../fold-batch.js';
import { reportsProjection } from './reports.projection.js';

const sealed = { $sealed: 1, kid: 'report:x', iv: 'i', ct: 'c', tag: 't' };

function recorded(position: number, type: string, data: Record<string, unknown>): RecordedEvent {
  return {
    id: `e-${position}`,
    type,
    schemaVersion: 1,
    data,
    metadata: {
      occurredAt: String(data['submittedAt']),
      actor: { userId: 'u', role: type === 'ReportSubmitted' ? 'team_lead' : 'legal' },
      tenant: 'jc-a',
      correlationId: 'c',
      causationId: null,
      rulesVersion: '1',
    },
    streamId: `report-${String(data['reportId'])}`,
    revision: 0,
    position,
    recordedAt: String(data['submittedAt']),
    chain: '',
  };
}

const events = [
  recorded(1, 'ReportSubmitted', {
    reportId: 'jc-a-t1-2026-Q1',
    kind: 'team',
    unitId: 't1',
    areaId: 'mi',
    year: 2026,
    quarter: 1,
    figures: { reviewsDone: 3 },
    seriousDefects: [{ category: 'Dokumentation', legalNorm: null, description: sealed }],
    assessment: sealed,
    // 23:30 UTC on the 15th is already the 16th in Berlin: submitted late.
    submittedAt: '2026-04-15T23:30:00.000Z',
    dueDate: '2026-04-15',
  }),
  recorded(2, 'LegalReportSubmitted', {
    reportId: 'jc-a-legal-2026-Q1',
    kind: 'legal',
    unitId: 'legal',
    year: 2026,
    quarter: 1,
    nil: true,
    findings: [],
    assessment: null,
    submittedAt: '2026-04-02T08:00:00.000Z',
    dueDate: '2026-04-15',
  }),
];

async function fold(docs: Map<string, Doc>, batch: readonly RecordedEvent[]): Promise<void> {
  const folded = await foldBatch(reportsProjection, 'reports_v1', batch, batch[batch.length - 1]!.position, (ids) =>
    Promise.resolve(new Map(ids.map((id) => [id, docs.get(id) ?? null]))),
  );
  const writes: readonly DocumentWrite[] = folded.writes;
  for (const write of writes) if (write.op === 'put') docs.set(write.doc._id, structuredClone(write.doc));
}

describe('reports projection', () => {
  it('keeps one document per report with Berlin submission date and lateness; replays change nothing', async () => {
    const docs = new Map<string, Doc>();
    await fold(docs, events);
    const first = structuredClone([...docs.values()]);
    await fold(docs, events);
    await fold(docs, events.slice(1));
    expect([...docs.values()]).toEqual(first);
    expect(docs.get('jc-a-t1-2026-Q1')).toMatchObject({
      kind: 'team',
      tenant: 'jc-a',
      areaId: 'mi',
      submittedOn: '2026-04-16',
      late: true,
      submittedByRole: 'team_lead',
      assessment: sealed,
    });
    expect(docs.get('jc-a-legal-2026-Q1')).toMatchObject({
      kind: 'legal',
      nil: true,
      findings: [],
      areaId: null,
      late: false,
      submittedOn: '2026-04-02',
    });
  });
});
