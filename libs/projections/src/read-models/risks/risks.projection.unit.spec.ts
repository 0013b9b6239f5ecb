import {
  type AreaRiskAnalysisEvent,
  areaRiskAnalysisDecider,
  type DecisionContext,
  DEFAULT_RISK_MATRIX,
  fold,
  type RiskCommand,
  riskDecider,
  type RiskEvent,
} from '@pruefpfad/domain';
import { expectReplaysChangeNothing, foldInMemory, interleavedHistory } from '../../testing/fold-in-memory.js';
import type { AreaRiskAnalysisDoc, RiskDoc } from './risk.doc.js';
import { areaRiskAnalysesProjection, risksProjection } from './risks.projection.js';

/** A command without its risk id (distributes over the union). */
type Step = RiskCommand extends infer C ? (C extends RiskCommand ? Omit<C, 'riskId'> : never) : never;

const at = (today: string): DecisionContext => ({
  now: `${today}T09:00:00Z`,
  today,
  actor: { userId: 'gf', role: 'management' },
  tenant: 'jc-a',
});

/** Events as the decider writes them, so the read model is tested against the real catalogue. */
function stream(riskId: string, steps: readonly [string, Step][]): RiskEvent[] {
  const events: RiskEvent[] = [];
  for (const [today, command] of steps)
    events.push(...riskDecider.decide({ ...command, riskId }, fold(riskDecider, events), at(today)));
  return events;
}

const identify = (title: string, areaId: string | null): Step => ({
  type: 'IdentifyRisk',
  title,
  description: 'Beschreibung',
  source: { kind: 'supervision' },
  areaId,
  process: 'Eingliederung',
  links: { defectCategories: ['Anhörung'], trends: [], teamReports: ['team-1-2026-Q1'], measures: [] },
  reason: 'Fachaufsicht Q1',
});
const assess = (impact: number, likelihood: number): Step => ({
  type: 'AssessRisk',
  impact,
  likelihood,
  matrix: DEFAULT_RISK_MATRIX,
  matrixRevision: -1,
  reassessMonths: 3,
  reason: 'Bewertung',
});

function history() {
  const r1 = stream('r1', [
    ['2026-01-10', identify('Anhörung fehlt', 'area-mi')],
    ['2026-01-10', assess(3, 3)],
    [
      '2026-01-20',
      {
        type: 'DecideRiskTreatment',
        strategy: 'reduce',
        measureIds: ['m1'],
        transferTo: null,
        recheckOn: null,
        againstAppetite: false,
        maxRecheckMonths: 3,
        reason: 'Schulung',
      },
    ],
    ['2026-04-08', assess(2, 2)],
  ]);
  const r2 = stream('r2', [
    ['2026-02-01', identify('Datenqualität', null)],
    ['2026-02-01', assess(1, 2)],
    ['2026-03-01', { type: 'CloseRisk', reason: 'erledigt' }],
  ]);
  const analysis: AreaRiskAnalysisEvent[] = [
    ...areaRiskAnalysisDecider.decide(
      {
        type: 'ConsolidateAreaRiskAnalysis',
        areaId: 'area-mi',
        year: 2026,
        quarter: 1,
        teamReports: ['team-1-2026-Q1'],
        riskIds: ['r1'],
        summary: 'Anhörungen',
        reason: 'Q1',
      },
      { consolidations: 0 },
      at('2026-04-20'),
    ),
  ];
  const second = areaRiskAnalysisDecider.decide(
    {
      type: 'ConsolidateAreaRiskAnalysis',
      areaId: 'area-mi',
      year: 2026,
      quarter: 1,
      teamReports: ['team-1-2026-Q1', 'team-2-2026-Q1'],
      riskIds: ['r1'],
      summary: 'Anhörungen, spät',
      reason: 'Nachzügler',
    },
    { consolidations: 1 },
    at('2026-04-25'),
  );
  return interleavedHistory(
    [
      { streamId: 'risk-r1', events: r1 },
      { streamId: 'risk-r2', events: r2 },
      { streamId: 'risk-analysis-area-mi-2026-Q1', events: [...analysis, ...second] },
    ],
    // A purged review between every event: risk figures do not depend on reviews.
    'ReviewPurged',
  );
}

describe('risks read models', () => {
  it('keeps one document per risk with every assessment and treatment, and closes', async () => {
    const docs = (await expectReplaysChangeNothing(risksProjection, history())) as RiskDoc[];
    const [r1, r2] = docs;
    expect(r1).toMatchObject({
      _id: 'r1',
      tenant: 'jc-a',
      areaId: 'area-mi',
      status: 'open',
      assessment: { impact: 2, likelihood: 2, score: 4, aboveAppetite: false, reassessBy: '2026-07-08' },
      treatment: { strategy: 'reduce', measureIds: ['m1'] },
    });
    expect(r1!.assessments.map((a) => [a.kind, a.score])).toEqual([
      ['assessed', 9],
      ['reassessed', 4],
    ]);
    expect(r2).toMatchObject({ status: 'closed', closedOn: '2026-03-01', closingReason: 'erledigt', areaId: null });
  });

  it('keeps the latest consolidation of an area quarter and counts its versions', async () => {
    const docs = (await expectReplaysChangeNothing(areaRiskAnalysesProjection, history())) as AreaRiskAnalysisDoc[];
    expect(docs).toEqual([
      expect.objectContaining({
        _id: 'jc-a:area-mi-2026-Q1',
        teamReports: ['team-1-2026-Q1', 'team-2-2026-Q1'],
        summary: 'Anhörungen, spät',
        versions: 2,
      }),
    ]);
  });

  it('ignores events of other contexts', async () => {
    const collection = foldInMemory(risksProjection);
    await collection.feed(history().filter((event) => event.type === 'ReviewPurged'));
    expect(collection.sortedDocs()).toEqual([]);
  });
});
