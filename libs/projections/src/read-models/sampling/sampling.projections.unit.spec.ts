import type { RecordedEvent } from '@pruefpfad/event-store';
import type { ProjectionDefinition } from '../../projection.js';
import { foldInMemory, recordedEvent } from '../../testing/fold-in-memory.js';
import { populationsProjection } from './populations.projection.js';
import type { PopulationDoc, SampleDoc } from './sample.doc.js';
import { samplesProjection } from './samples.projection.js';

const sealed = { $sealed: 1, kid: 'population:pop-1', iv: 'iv', ct: 'ct', tag: 'tag' };
let position = 0;

function recorded(type: string, data: Record<string, unknown>, streamId: string, revision: number): RecordedEvent {
  position += 1;
  return recordedEvent({
    type,
    data,
    streamId,
    revision,
    position,
    metadata: {
      occurredAt: `2026-03-02T08:00:${String(position).padStart(2, '0')}.000Z`,
      actor: { userId: 'bl', role: 'area_head' },
      rulesVersion: '2026.1',
    },
    recordedAt: '2026-03-02T08:00:00.000Z',
  });
}

const row = (i: number, teamId: string, group: string, needs16a = false) => ({
  token: `p${i}`,
  caseRef: sealed,
  customerGroup: group,
  teamId,
  process: 'allgemeine-vermittlung',
  needs16a,
});

const populationEvents = (): RecordedEvent[] => [
  recorded(
    'PopulationImported',
    {
      populationId: 'pop-1',
      programmeId: 'prog-1',
      month: '2026-03',
      rowCount: 5,
      fingerprint: 'f'.repeat(64),
      source: { format: 'csv', fileName: 'maerz.csv' },
    },
    'population-pop-1',
    0,
  ),
  recorded(
    'PopulationRowsAdded',
    { populationId: 'pop-1', chunk: 0, rows: [row(1, 't1', 'u25'), row(2, 't1', 'ue25', true), row(3, 't2', 'u25')] },
    'population-pop-1',
    1,
  ),
  recorded(
    'PopulationRowsAdded',
    { populationId: 'pop-1', chunk: 1, rows: [row(4, 't2', 'reha'), row(5, 't1', 'u25')] },
    'population-pop-1',
    2,
  ),
];

const drawnCase = (reviewId: string, token: string, customerGroup: string, rank: number) => ({
  reviewId,
  token,
  customerGroup,
  rank,
});

const samplingEvents = (): RecordedEvent[] => [
  recorded(
    'SampleDrawn',
    {
      sampleId: 's-1',
      programmeId: 'prog-1',
      month: '2026-03',
      teamId: 't1',
      areaId: 'mi',
      populationId: 'pop-1',
      populationFingerprint: 'f'.repeat(64),
      seed: 'a'.repeat(64),
      algorithm: 'hmac-sha256-rank/v1',
      n: 2,
      eligible: 2,
      excluded: { recentlyDrawn: 0, section16a: 1 },
      coverage: { groups: ['u25'], covered: ['u25'], deferred: [], rule: 'least-recently-covered' },
      inputs: { recentlyDrawn: [], lastCovered: {}, section16aIncluded: false },
      cases: [drawnCase('r-1', 'p1', 'u25', 0), drawnCase('r-2', 'p5', 'u25', 1)],
      questionnaireId: 'vkb',
      questionnaireVersion: 1,
      deadline: '2026-03-31',
      drawnByRole: 'area_head',
    },
    'sampling-prog-1-2026-03',
    0,
  ),
  recorded(
    'SupplementaryCasesDrawn',
    { sampleId: 's-1', teamId: 't1', reason: 'Schwerpunkt', cases: [drawnCase('r-3', 'p9', 'u25', 2)] },
    'sampling-prog-1-2026-03',
    1,
  ),
  recorded(
    'CaseReplaced',
    {
      sampleId: 's-1',
      teamId: 't1',
      replacedReviewId: 'r-1',
      reason: 'Fall abgeschlossen',
      replacement: drawnCase('r-4', 'p7', 'u25', 3),
    },
    'sampling-prog-1-2026-03',
    2,
  ),
];

/** Folds the events in the given batches into a fresh collection. */
async function project(definition: ProjectionDefinition, batches: readonly (readonly RecordedEvent[])[]) {
  const collection = foldInMemory(definition);
  for (const batch of batches) await collection.feed(batch);
  return collection.docs;
}

describe('sampling read models', () => {
  it('summarises a population without pseudonyms or clear data, the same when every event is replayed twice', async () => {
    const events = populationEvents();
    const once = await project(populationsProjection, [events]);
    const twice = await project(populationsProjection, [events, events]);
    const oneByOne = await project(
      populationsProjection,
      events.map((e) => [e]),
    );
    expect(twice).toEqual(once);
    expect(oneByOne).toEqual(once);
    const doc = once.get('pop-1') as PopulationDoc;
    expect(doc).toMatchObject({
      tenant: 'jc-a',
      rowCount: 5,
      rowsReceived: 5,
      section16a: 1,
      teams: [
        { teamId: 't1', rows: 3 },
        { teamId: 't2', rows: 2 },
      ],
      customerGroups: [
        { customerGroup: 'reha', rows: 1 },
        { customerGroup: 'u25', rows: 3 },
        { customerGroup: 'ue25', rows: 1 },
      ],
    });
    expect(JSON.stringify(doc)).not.toMatch(/"p\d"|\$sealed/);
  });

  it('keeps a population written in bounded appends incomplete until its completion marker, replayed twice alike', async () => {
    const [imported, ...chunks] = populationEvents();
    const marked = { ...imported!, data: { ...(imported!.data as Record<string, unknown>), completion: 'marker' } };
    const completed = recorded(
      'PopulationImportCompleted',
      {
        populationId: 'pop-1',
        programmeId: 'prog-1',
        month: '2026-03',
        rowCount: 5,
        chunks: 2,
        fingerprint: 'f'.repeat(64),
      },
      'population-pop-1',
      3,
    );
    const partial = await project(populationsProjection, [[marked, chunks[0]!]]);
    expect(partial.get('pop-1')).toMatchObject({ complete: false, completedAt: null, rowsReceived: 3 });

    const all = [marked, ...chunks, completed];
    const once = await project(populationsProjection, [[marked, chunks[0]!], [chunks[1]!], [completed]]);
    expect(await project(populationsProjection, [all, all])).toEqual(once);
    expect(once.get('pop-1')).toMatchObject({
      complete: true,
      completedAt: completed.metadata.occurredAt,
      importedAt: marked.metadata.occurredAt,
      rowsReceived: 5,
    });

    // Written in one append (every import before bounded appends): complete as imported.
    const single = populationEvents();
    const legacy = await project(populationsProjection, [single]);
    expect(legacy.get('pop-1')).toMatchObject({ complete: true, completedAt: single[0]!.metadata.occurredAt });
  });

  it('keeps a sample with its draw, supplementary cases and replacement, the same when replayed twice', async () => {
    const events = samplingEvents();
    const once = await project(samplesProjection, [events]);
    const twice = await project(samplesProjection, [events, events]);
    const split = await project(samplesProjection, [events.slice(0, 1), events.slice(1), events]);
    expect(twice).toEqual(once);
    expect(split).toEqual(once);
    const doc = once.get('s-1') as SampleDoc;
    expect(doc).toMatchObject({ teamId: 't1', activeCases: 3, streamRevision: 2, section16aIncluded: false });
    expect(doc.cases.map((c) => [c.reviewId, c.origin, c.status, c.replaces, c.replacedBy])).toEqual([
      ['r-1', 'draw', 'replaced', null, 'r-4'],
      ['r-2', 'draw', 'active', null, null],
      ['r-3', 'supplementary', 'active', null, null],
      ['r-4', 'replacement', 'active', 'r-1', null],
    ]);
    expect(doc.followUps.map((f) => f.kind)).toEqual(['supplementary', 'replacement']);
  });

  it('marks the references destroyed and a voided sample, the same when replayed twice', async () => {
    const imported = populationEvents();
    const destroyed = recorded(
      'PopulationReferencesDestroyed',
      { populationId: 'pop-1', programmeId: 'prog-1', month: '2026-03', keptUntil: '2026-05-01' },
      'population-pop-1',
      3,
    );
    const populations = [...imported, destroyed];
    const once = await project(populationsProjection, [populations]);
    expect(await project(populationsProjection, [populations, populations])).toEqual(once);
    expect((once.get('pop-1') as PopulationDoc).referencesDestroyed).toEqual({
      keptUntil: '2026-05-01',
      at: destroyed.metadata.occurredAt,
    });

    const drawn = samplingEvents();
    const voided = recorded(
      'SampleVoided',
      { sampleId: 's-1', teamId: 't1', reason: sealed, reviewIds: ['r-1', 'r-2', 'r-3', 'r-4'] },
      'sampling-prog-1-2026-03',
      3,
    );
    const sampling = [...drawn, voided];
    const samples = await project(samplesProjection, [sampling]);
    expect(await project(samplesProjection, [sampling, sampling])).toEqual(samples);
    expect(samples.get('s-1')).toMatchObject({
      activeCases: 0,
      streamRevision: 3,
      voided: { at: voided.metadata.occurredAt, byRole: 'area_head', reason: sealed },
    });
  });
});
