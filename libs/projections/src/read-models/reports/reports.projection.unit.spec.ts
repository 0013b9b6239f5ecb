import type { RecordedEvent } from '@pruefpfad/event-store';
import { foldInMemory, recordedEvent } from '../../testing/fold-in-memory.js';
import { reportsProjection } from './reports.projection.js';

const sealed = { $sealed: 1, kid: 'report:x', iv: 'i', ct: 'c', tag: 't' };

function recorded(position: number, type: string, data: Record<string, unknown>): RecordedEvent {
  return recordedEvent({
    type,
    data,
    streamId: `report-${String(data['reportId'])}`,
    position,
    metadata: {
      occurredAt: String(data['submittedAt']),
      actor: { userId: 'u', role: type === 'ReportSubmitted' ? 'team_lead' : 'legal' },
    },
  });
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

describe('reports projection', () => {
  it('keeps one document per report with Berlin submission date and lateness; replays change nothing', async () => {
    const reports = foldInMemory(reportsProjection);
    await reports.feed(events);
    const first = structuredClone([...reports.docs.values()]);
    await reports.feed(events);
    await reports.feed(events.slice(1));
    expect([...reports.docs.values()]).toEqual(first);
    expect(reports.docs.get('jc-a-t1-2026-Q1')).toMatchObject({
      kind: 'team',
      tenant: 'jc-a',
      areaId: 'mi',
      submittedOn: '2026-04-16',
      late: true,
      submittedByRole: 'team_lead',
      assessment: sealed,
    });
    expect(reports.docs.get('jc-a-legal-2026-Q1')).toMatchObject({
      kind: 'legal',
      nil: true,
      findings: [],
      areaId: null,
      late: false,
      submittedOn: '2026-04-02',
    });
  });
});
