import { fold, type DecisionContext } from '../shared/decider.js';
import { jsonBytes, populationDecider, type ImportPopulation, type PopulationState } from './population.decider.js';
import type { PopulationEvent, PopulationImported, PopulationRowsAdded } from './sampling.events.js';

const context: DecisionContext = {
  now: '2026-03-02T08:00:00.000Z',
  today: '2026-03-02',
  actor: { userId: 'bl-1', role: 'area_head' },
  tenant: 'jc-a',
};

const row = (i: number) => ({
  token: `token-${String(i).padStart(6, '0')}`,
  caseRef: { $sealed: 1 as const, kid: 'population:pop-1', iv: `iv-${i}`, ct: 'c'.repeat(40), tag: 't'.repeat(22) },
  customerGroup: 'u25',
  teamId: 'team-1',
  process: 'allgemeine-vermittlung',
  needs16a: i % 10 === 0,
});

const command = (rows: number, append: Partial<ImportPopulation['append']> = {}): ImportPopulation => ({
  type: 'ImportPopulation',
  populationId: 'pop-1',
  programmeId: 'prog-1',
  month: '2026-03',
  rows: Array.from({ length: rows }, (_, i) => row(i)),
  fingerprint: 'f'.repeat(64),
  source: { format: 'csv', fileName: 'maerz.csv' },
  chunkRows: 500,
  append: { maxRows: 1000, maxBytes: 512 * 1024, eventOverheadBytes: 1024, ...append },
});

/** Runs the import to its end as the application does: decide, "append", evolve, until nothing is left. */
function runImport(
  cmd: ImportPopulation,
  start: PopulationState = populationDecider.initialState(),
): { appends: PopulationEvent[][]; state: PopulationState } {
  const appends: PopulationEvent[][] = [];
  let state = start;
  for (let guard = 0; guard < 10_000; guard += 1) {
    const events = populationDecider.decide(cmd, state, context);
    if (events.length === 0) return { appends, state };
    appends.push([...events]);
    for (const event of events) state = populationDecider.evolve(state, event);
  }
  throw new Error('the import never ended');
}

const rowsOf = (events: readonly PopulationEvent[]) =>
  events.flatMap((event) => (event.type === 'PopulationRowsAdded' ? event.data.rows : []));
const appendBytes = (events: readonly PopulationEvent[], overhead: number) =>
  events.reduce((sum, event) => sum + jsonBytes(event.data) + event.type.length + overhead, 0);

describe('population decider: bounded appends', () => {
  it('writes a large import in appends within the row and byte bounds, then the completion marker', () => {
    const cmd = command(5_001);
    const { appends, state } = runImport(cmd);

    expect(appends).toHaveLength(6 + 1);
    for (const events of appends.slice(0, -1)) {
      expect(rowsOf(events).length).toBeLessThanOrEqual(1000);
      expect(appendBytes(events, 1024)).toBeLessThanOrEqual(512 * 1024);
    }
    const first = appends[0]![0] as PopulationImported;
    expect(first).toMatchObject({ type: 'PopulationImported', data: { rowCount: 5_001, completion: 'marker' } });
    expect(appends.at(-1)).toEqual([
      {
        type: 'PopulationImportCompleted',
        data: {
          populationId: 'pop-1',
          programmeId: 'prog-1',
          month: '2026-03',
          rowCount: 5_001,
          chunks: 11,
          fingerprint: 'f'.repeat(64),
        },
      },
    ]);
    // Every row once, in file order, in chunks numbered 0.. without gaps.
    expect(rowsOf(appends.flat())).toEqual(cmd.rows);
    const chunks = appends.flat().filter((event): event is PopulationRowsAdded => event.type === 'PopulationRowsAdded');
    expect(chunks.map((event) => event.data.chunk)).toEqual(chunks.map((_, index) => index));
    expect(state).toMatchObject({ status: 'imported', rowsStored: 5_001, chunks: 11, complete: true });
  });

  it('bounds an append by bytes when rows are large', () => {
    const cmd = command(300, { maxBytes: 40 * 1024 });
    const { appends } = runImport(cmd);
    for (const events of appends) expect(appendBytes(events, 1024)).toBeLessThanOrEqual(40 * 1024);
    expect(rowsOf(appends.flat())).toEqual(cmd.rows);
    expect(appends.length).toBeGreaterThan(300 / 150);
  });

  it('is incomplete until the marker, and resumes where the stored rows end', () => {
    const cmd = command(3_500);
    const { appends } = runImport(cmd);
    for (let crashAfter = 1; crashAfter < appends.length; crashAfter += 1) {
      const stored = fold(populationDecider, appends.slice(0, crashAfter).flat());
      expect(stored).toMatchObject({ status: 'imported', complete: false });
      // The retry decides only what is missing, and the rows end up stored exactly once.
      const resumed = runImport(cmd, stored);
      expect(rowsOf([...appends.slice(0, crashAfter).flat(), ...resumed.appends.flat()])).toEqual(cmd.rows);
      expect(resumed.state).toMatchObject({ complete: true, rowsStored: 3_500 });
    }
  });

  it('reads an import written in one append (every version 1 event) as complete', () => {
    const legacy: PopulationEvent[] = [
      {
        type: 'PopulationImported',
        data: {
          populationId: 'pop-1',
          programmeId: 'prog-1',
          month: '2026-03',
          rowCount: 2,
          fingerprint: 'f'.repeat(64),
          source: { format: 'csv', fileName: null },
        },
      },
      { type: 'PopulationRowsAdded', data: { populationId: 'pop-1', chunk: 0, rows: [row(0), row(1)] } },
    ];
    expect(fold(populationDecider, legacy)).toMatchObject({ complete: true, rowsStored: 2 });
  });

  it('refuses a row that alone exceeds the byte bound', () => {
    expect(() =>
      populationDecider.decide(command(2, { maxBytes: 1500 }), populationDecider.initialState(), context),
    ).toThrow(RangeError);
  });
});
