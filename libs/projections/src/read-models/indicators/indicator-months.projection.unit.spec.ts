import type { RecordedEvent } from '@pruefpfad/event-store';
import { foldInMemory, recordedEvent } from '../../testing/fold-in-memory.js';
import { indicatorMonthsProjection } from './indicator-months.projection.js';

const sealed = { $sealed: 1, kid: 'indicators:jc-a-t1-2026-02', iv: 'i', ct: 'c', tag: 't' };
const settings = { contactIntervalMonths: 6, counsellingSharePercent: 60, slotMinutes: 60 };
const figures = (fulfilled: number) => ({
  firstConsultation: { eligible: 10, fulfilled, excluded: 1 },
  counsellingContact: null,
  graduateManagement: { eligible: 4, fulfilledNarrow: 2, fulfilledWide: 3, pending: 0 },
  counsellingCapacity: null,
});
const placement = {
  impact: 2,
  likelihood: 3,
  score: 6,
  aboveAppetite: true,
  damagePotential: false,
  impactLevels: 4,
  likelihoodLevels: 4,
};

function recorded(position: number, revision: number, type: string, data: Record<string, unknown>, role = 'team_lead') {
  return recordedEvent({
    type,
    data,
    revision,
    streamId: `indicators-jc-a-${String(data['teamId'])}-${String(data['month'])}`,
    position,
    metadata: { actor: { userId: 'u', role }, occurredAt: `2026-03-0${position}T09:00:00.000Z` },
  });
}

const imported = (position: number, revision: number, importNumber: number, fulfilled: number, teamId = 't1') =>
  recorded(position, revision, 'IndicatorDataImported', {
    tenant: 'jc-a',
    areaId: 'a1',
    teamId,
    month: '2026-02',
    referenceDate: '2026-02-28',
    importNumber,
    source: 'cases',
    rowCount: 14,
    fingerprint: `f${importNumber}`,
    settings,
    figures: figures(fulfilled),
    reason: importNumber > 1 ? sealed : null,
    importedByRole: 'team_lead',
  });

const events: RecordedEvent[] = [
  imported(1, 0, 1, 7),
  recorded(2, 1, 'IndicatorRated', {
    teamId: 't1',
    month: '2026-02',
    indicator: 'first-consultation',
    rating: 'amber',
    importNumber: 1,
    comment: sealed,
    measureIds: ['m-1'],
    ratedByRole: 'team_lead',
  }),
  recorded(3, 2, 'TeamRiskProposed', {
    teamId: 't1',
    month: '2026-02',
    placement,
    reason: sealed,
    proposedByRole: 'team_lead',
  }),
  imported(4, 0, 1, 9, 't2'),
  recorded(
    5,
    3,
    'TeamRiskRated',
    { teamId: 't1', month: '2026-02', placement, proposedByRole: 'team_lead', confirmedByRole: 'area_head' },
    'area_head',
  ),
  imported(6, 4, 2, 8),
];

describe('indicator-months projection', () => {
  it('keeps one document per team month with figures, ratings and the joint risk; replaying twice changes nothing', async () => {
    const months = foldInMemory(indicatorMonthsProjection);
    await months.feed(events);
    const first = structuredClone([...months.docs.values()]);
    await months.feed(events);
    await months.feed(events.slice(2));
    expect([...months.docs.values()]).toEqual(first);
    expect(months.docs.size).toBe(2);
    expect(months.docs.get('jc-a-t1-2026-02')).toMatchObject({
      tenant: 'jc-a',
      areaId: 'a1',
      teamId: 't1',
      importNumber: 2,
      figures: { firstConsultation: { fulfilled: 8 } },
      ratings: { 'first-consultation': { rating: 'amber', importNumber: 1, measureIds: ['m-1'] } },
      riskProposal: null,
      teamRisk: { placement: { score: 6 }, proposedByRole: 'team_lead', confirmedByRole: 'area_head' },
      importedAt: '2026-03-06T09:00:00.000Z',
      streamRevision: 4,
    });
    expect(months.docs.get('jc-a-t2-2026-02')).toMatchObject({ ratings: {}, teamRisk: null, importNumber: 1 });
  });

  it('holds an open proposal until the other side confirms it', async () => {
    const months = foldInMemory(indicatorMonthsProjection);
    await months.feed(events.slice(0, 3));
    expect(months.docs.get('jc-a-t1-2026-02')).toMatchObject({
      riskProposal: { proposedByRole: 'team_lead', placement: { impact: 2 } },
      teamRisk: null,
    });
  });
});
