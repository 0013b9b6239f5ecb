import type { RecordedEvent } from '@pruefpfad/event-store';
import { foldInMemory } from '../../testing/fold-in-memory.js';
import { ReviewHistory, SEALED } from '../../testing/review-history.js';
import type { MeasureFactDoc, ProgrammeFactDoc, ReviewFactDoc } from './team-figures.doc.js';
import { teamFiguresProjection } from './team-figures.projection.js';
import { measureFigures, minimumInForce, sumCells, teamMonthCells } from './team-figures.js';

const sealed = SEALED;

function history(): RecordedEvent[] {
  const history = new ReviewHistory({
    programmeId: 'p1',
    areaId: 'mi',
    questionnaireId: 'q',
    legalNorm: '§ 15 SGB II',
  });
  const at = history.at.bind(history);
  const sampled = history.sampled.bind(history);
  const defect = history.defect.bind(history);
  return [
    at('ProgrammeDefined', {
      programmeId: 'p1',
      settings: {
        title: 'VKB',
        areaId: 'mi',
        customerProcess: 'vermittlung',
        minimumCasesPerTeamLead: 10,
        reportDueDay: 15,
      },
      reason: 'Einführung',
      note: null,
      definedAt: '2025-12-20T09:00:00.000Z',
    }),
    sampled('r1', 't1', '2026-01'),
    sampled('r2', 't1', '2026-01'),
    sampled('r3', 't1', '2026-02'),
    sampled('r4', 't2', '2026-01'),
    defect('r1', 'd1', 'Dokumentation', 'serious', true),
    defect('r1', 'd2', 'Dokumentation', 'minor'),
    defect('r2', 'd3', 'Eingliederung', 'minor'),
    at('DefectWithdrawn', { reviewId: 'r2', defectId: 'd3', reason: sealed }),
    at('ReviewCompleted', {
      reviewId: 'r1',
      outcome: 'not-goal-directed',
      summary: sealed,
      completedAt: '2026-01-20T10:00:00.000Z',
      asDeputy: false,
    }),
    // Corrected after completion: the minor defect was serious, the outcome stays.
    at('ReviewCorrected', {
      reviewId: 'r1',
      reason: sealed,
      outcome: null,
      answers: [],
      defects: [{ defectId: 'd2', severity: 'serious', category: 'Dokumentation', withdrawn: false }],
    }),
    at('TalkHeld', { reviewId: 'r1', date: '2026-01-22', employee: sealed, outcome: sealed, asDeputy: false }),
    at('TeamDiscussionHeld', { reviewId: 'r1', date: '2026-01-25', notes: null }),
    at('ReviewWithdrawn', { reviewId: 'r4', reason: sealed, replacedBy: 'r5' }),
    at(
      'ProgrammeRevised',
      {
        programmeId: 'p1',
        revision: 1,
        changes: { minimumCasesPerTeamLead: 12 },
        reason: 'Risikobewertung',
        staffCouncil: { date: '2026-02-01', outcome: 'agreed' },
        note: null,
        revisedAt: '2026-02-10T09:00:00.000Z',
      },
      '2026-02-10T09:00:00.000Z',
    ),
    history.measure('m1', 'r1'),
    history.measure('m2', null, { kind: 'instruction', agreedOn: '2026-01-25', dueDate: '2026-03-31' }),
    at('MeasureCompleted', { measureId: 'm2', date: '2026-02-03', note: null }),
  ];
}

describe('team-figures projection', () => {
  it('folds the same facts whether fed once, twice, or in two batches from checkpoint 0', async () => {
    const events = history();
    const once = foldInMemory(teamFiguresProjection);
    await once.feed(events);
    const snapshot = structuredClone(once.sortedDocs());
    await once.feed(events);
    expect(once.sortedDocs()).toEqual(snapshot);

    const split = foldInMemory(teamFiguresProjection);
    await split.feed(events.slice(0, 7));
    await split.feed(events.slice(7));
    await split.feed(events);
    expect(split.sortedDocs()).toEqual(snapshot);
  });

  it('keeps no employee dimension: no subject, owner or name in any fact', async () => {
    const collection = foldInMemory(teamFiguresProjection);
    await collection.feed(history());
    const text = JSON.stringify(collection.sortedDocs());
    expect(text).not.toMatch(/owner|employee|subject|\$sealed|casePseudonym/);
  });

  it('sums cells with withdrawn defects removed, corrections applied and withdrawn reviews left out', async () => {
    const collection = foldInMemory(teamFiguresProjection);
    await collection.feed(history());
    const docs = collection.sortedDocs();
    const reviews = docs.filter((doc) => doc['kind'] === 'review') as ReviewFactDoc[];
    const programmes = docs.filter((doc) => doc['kind'] === 'programme') as ProgrammeFactDoc[];
    const cells = teamMonthCells({
      tenant: 'jc-a',
      teams: [
        { teamId: 't1', areaId: 'mi', process: null },
        { teamId: 't2', areaId: 'mi', process: 'vermittlung' },
        { teamId: 't3', areaId: 'mi', process: 'leistung' },
      ],
      months: ['2026-01', '2026-02'],
      programmes,
      reviews,
      today: '2026-02-01',
    });
    const t1January = cells.find((cell) => cell.teamId === 't1' && cell.month === '2026-01')!;
    expect(t1January).toMatchObject({
      programmeId: 'p1',
      minimum: 10,
      sampled: 2,
      completed: 1,
      open: 1,
      overdue: 1,
      notGoalDirected: 1,
      goalDirected: 0,
      defects: { Dokumentation: { minor: 0, serious: 2 } },
      seriousDefects: 2,
      financialLossDefects: 1,
      talksHeld: 1,
      teamDiscussionsHeld: 1,
    });
    // The revision of 10 February applies to February (the value on the month's last day).
    expect(cells.find((cell) => cell.teamId === 't1' && cell.month === '2026-02')).toMatchObject({
      minimum: 12,
      sampled: 1,
      overdue: 0,
    });
    expect(cells.find((cell) => cell.teamId === 't2' && cell.month === '2026-01')).toMatchObject({
      sampled: 0,
      minimum: 10,
    });
    // A team of another process works under no programme of this area: no cells.
    expect(cells.filter((cell) => cell.teamId === 't3')).toEqual([]);
    expect(sumCells(cells)).toMatchObject({ sampled: 3, minimum: 10 + 12 + 10 + 12 });
    expect(minimumInForce(programmes[0]!, '2025-11')).toBe(0);
  });

  it('counts measures by the month agreed or closed, open and overdue on a reference day', async () => {
    const collection = foldInMemory(teamFiguresProjection);
    await collection.feed(history());
    const measures = collection.sortedDocs().filter((doc) => doc['kind'] === 'measure') as MeasureFactDoc[];
    expect(measureFigures(measures, ['2026-01'], '2026-01-31')).toEqual({
      agreed: 2,
      completed: 0,
      cancelled: 0,
      open: 2,
      overdue: 0,
    });
    expect(measureFigures(measures, ['2026-02'], '2026-02-20')).toEqual({
      agreed: 0,
      completed: 1,
      cancelled: 0,
      open: 1,
      overdue: 1,
    });
  });
});
