import { fold, type DecisionContext } from '../shared/decider.js';
import { DomainError } from '../shared/domain-error.js';
import type { DrawRow, RankFunction } from './draw.js';
import { populationDecider } from './population.decider.js';
import { samplingDecider, type SamplingCommand, type SamplingState } from './sampling.decider.js';
import type { CaseReplaced, SampleDrawn, SamplingEvent, SupplementaryCasesDrawn } from './sampling.events.js';

const sealedReason = (label: string) => ({
  $sealed: 1 as const,
  kid: 'population:pop-1',
  iv: label,
  ct: 'c',
  tag: 't',
});

const rank: RankFunction = (seed, token) => {
  let hash = 0x811c9dc5;
  for (const char of `${seed}|${token}`) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
};

const context: DecisionContext = {
  now: '2026-03-02T08:00:00.000Z',
  today: '2026-03-02',
  actor: { userId: 'bl-1', role: 'area_head' },
  tenant: 'jc-a',
};

const teamRows = (team: string, count: number): DrawRow[] =>
  Array.from({ length: count }, (_, i) => ({
    token: `${team}-p${i}`,
    customerGroup: i % 4 === 0 ? 'u25' : 'ue25',
    needs16a: false,
  }));

const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

const draw = (teams: string[], overrides: Partial<Extract<SamplingCommand, { type: 'DrawSamples' }>> = {}) =>
  ({
    type: 'DrawSamples',
    programmeId: 'prog-1',
    month: '2026-03',
    areaId: 'mi',
    populationId: 'pop-1',
    populationFingerprint: 'f'.repeat(64),
    n: 5,
    section16aIncluded: false,
    questionnaireId: 'vkb',
    questionnaireVersion: 2,
    deadline: '2026-03-31',
    teams: teams.map((teamId) => ({
      teamId,
      sampleId: `sample-${teamId}`,
      seed: `seed-${teamId}`,
      rows: teamRows(teamId, 30),
      recentlyDrawn: [`${teamId}-p1`, 'other-team-case'],
      lastCovered: { u25: '2026-01', unrelated: '2025-12' },
      reviewIds: ids(`review-${teamId}`, 5),
    })),
    rank,
    leadDays: 5,
    backdatedReason: null,
    referencesKeptUntil: '2026-04-30',
    ...overrides,
  }) satisfies SamplingCommand;

const usable = { keptUntil: '2026-04-30', destroyed: false };

/** One supplementary case for team t1's sample, from a population still usable. */
const oneMore = () => ({
  type: 'DrawSupplementaryCases' as const,
  sampleId: 'sample-t1',
  count: 1,
  reason: sealedReason('mehr'),
  rows: teamRows('t1', 30),
  reviewIds: ids('extra', 1),
  rank,
  population: usable,
});

function apply(state: SamplingState, events: readonly SamplingEvent[]): SamplingState {
  return events.reduce(samplingDecider.evolve, state);
}

describe('sampling decider', () => {
  const empty = samplingDecider.initialState();

  it('draws one SampleDrawn per team with review ids in rank order and the inputs it used', () => {
    const events = samplingDecider.decide(draw(['t1', 't2']), empty, context);
    expect(events.map((e) => e.type)).toEqual(['SampleDrawn', 'SampleDrawn']);
    const first = events[0] as SampleDrawn;
    expect(first.data).toMatchObject({
      sampleId: 'sample-t1',
      teamId: 't1',
      algorithm: 'hmac-sha256-rank/v1',
      n: 5,
      questionnaireVersion: 2,
      drawnByRole: 'area_head',
      // Only what concerns this team is recorded.
      inputs: { recentlyDrawn: ['t1-p1'], lastCovered: { u25: '2026-01' }, section16aIncluded: false },
      excluded: { recentlyDrawn: 1, section16a: 0 },
    });
    expect(first.data.cases.map((c) => c.reviewId)).toEqual(ids('review-t1', 5));
    expect(first.data.cases.map((c) => c.rank)).toEqual([...first.data.cases.map((c) => c.rank)].sort((a, b) => a - b));
  });

  it('refuses a second draw for the same team and month (409)', () => {
    const state = apply(empty, samplingDecider.decide(draw(['t1']), empty, context));
    expect(() => samplingDecider.decide(draw(['t2', 't1']), state, context)).toThrow(
      expect.objectContaining({ code: 'ALREADY_EXISTS', details: { teams: ['t1'] } }) as Error,
    );
    expect(samplingDecider.decide(draw(['t2']), state, context)).toHaveLength(1);
  });

  it('draws supplementary cases that were not taken before, and refuses more than remain', () => {
    let state = apply(empty, samplingDecider.decide(draw(['t1']), empty, context));
    const command = {
      type: 'DrawSupplementaryCases' as const,
      sampleId: 'sample-t1',
      count: 3,
      reason: sealedReason('Risikoschwerpunkt'),
      rows: teamRows('t1', 30),
      reviewIds: ids('extra', 3),
      rank,
      population: usable,
    };
    const [event] = samplingDecider.decide(command, state, context) as [SupplementaryCasesDrawn];
    const drawn = state.samples['sample-t1']!.taken;
    expect(event.data.cases).toHaveLength(3);
    for (const c of event.data.cases) expect(drawn).not.toContain(c.token);
    state = apply(state, [event]);
    // 30 rows − 1 recently drawn − 5 drawn − 3 supplementary = 21 left.
    expect(() => samplingDecider.decide({ ...command, count: 22, reviewIds: ids('x', 22) }, state, context)).toThrow(
      expect.objectContaining({ code: 'RULE_VIOLATION', details: { remaining: 21 } }) as Error,
    );
    expect(() => samplingDecider.decide({ ...command, reason: null }, state, context)).toThrow(DomainError);
    expect(() => samplingDecider.decide({ ...command, sampleId: 'nope' }, state, context)).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }) as Error,
    );
  });

  it('replaces a case once, deterministically, with the same customer group', () => {
    const drawnEvents = samplingDecider.decide(draw(['t1']), empty, context);
    let state = apply(empty, drawnEvents);
    const replaced = (drawnEvents[0] as SampleDrawn).data.cases[0]!;
    const command = {
      type: 'ReplaceCase' as const,
      sampleId: 'sample-t1',
      reviewId: replaced.reviewId,
      reason: sealedReason('Fall bereits abgeschlossen'),
      rows: teamRows('t1', 30),
      replacementReviewId: 'replacement-1',
      rank,
      population: usable,
    };
    const [event] = samplingDecider.decide(command, state, context) as [CaseReplaced];
    const [again] = samplingDecider.decide(command, state, context) as [CaseReplaced];
    expect(again).toEqual(event);
    expect(event.data.replacement).toMatchObject({ reviewId: 'replacement-1', customerGroup: replaced.customerGroup });
    state = apply(state, [event]);
    expect(() => samplingDecider.decide(command, state, context)).toThrow(
      expect.objectContaining({ code: 'RULE_VIOLATION' }) as Error,
    );
    expect(() => samplingDecider.decide({ ...command, reviewId: 'unknown' }, state, context)).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }) as Error,
    );
  });
});

describe('sampling decider: which month, voiding, the population window', () => {
  const empty = samplingDecider.initialState();
  const on = (today: string): DecisionContext => ({ ...context, today, now: `${today}T08:00:00.000Z` });

  it('draws the current month, the next one only within the lead days, never a later one', () => {
    expect(samplingDecider.decide(draw(['t1']), empty, on('2026-03-01'))).toHaveLength(1);
    expect(samplingDecider.decide(draw(['t1'], { month: '2026-04' }), empty, on('2026-03-27'))).toHaveLength(1);
    expect(() => samplingDecider.decide(draw(['t1'], { month: '2026-04' }), empty, on('2026-03-26'))).toThrow(
      expect.objectContaining({
        code: 'RULE_VIOLATION',
        details: { month: '2026-04', earliest: '2026-03-27' },
      }) as Error,
    );
    expect(() => samplingDecider.decide(draw(['t1'], { month: '2031-05' }), empty, on('2026-12-06'))).toThrow(
      expect.objectContaining({ code: 'RULE_VIOLATION' }) as Error,
    );
  });

  it('draws a past month only with a reason, and records that it was back-dated', () => {
    expect(() => samplingDecider.decide(draw(['t1'], { month: '2026-01' }), empty, on('2026-03-02'))).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }) as Error,
    );
    const reason = sealedReason('Import verspätet');
    const [event] = samplingDecider.decide(
      draw(['t1'], { month: '2026-01', backdatedReason: reason }),
      empty,
      on('2026-03-02'),
    ) as [SampleDrawn];
    expect(event.data.backdated).toEqual({ drawnOn: '2026-03-02', reason });
    expect((samplingDecider.decide(draw(['t1']), empty, context)[0] as SampleDrawn).data.backdated).toBeNull();
  });

  it('draws no month whose population references have passed their window, reason or not', () => {
    const late = draw(['t1'], {
      month: '2026-01',
      backdatedReason: sealedReason('spät'),
      referencesKeptUntil: '2026-03-03',
    });
    expect(samplingDecider.decide(late, empty, on('2026-03-03'))).toHaveLength(1);
    expect(() => samplingDecider.decide(late, empty, on('2026-03-04'))).toThrow(
      expect.objectContaining({
        code: 'RULE_VIOLATION',
        details: { month: '2026-01', keptUntil: '2026-03-03' },
      }) as Error,
    );
  });

  it('voids a sample none of whose reviews started, after which the team can be drawn again', () => {
    let state = apply(empty, samplingDecider.decide(draw(['t1']), empty, context));
    const command = {
      type: 'VoidSample' as const,
      sampleId: 'sample-t1',
      reason: sealedReason('falscher Monat'),
      startedReviewIds: [],
    };
    expect(() => samplingDecider.decide(draw(['t1']), state, context)).toThrow(
      expect.objectContaining({ code: 'ALREADY_EXISTS' }) as Error,
    );
    expect(() => samplingDecider.decide({ ...command, startedReviewIds: ['review-t1-0'] }, state, context)).toThrow(
      expect.objectContaining({ code: 'RULE_VIOLATION' }) as Error,
    );
    expect(() => samplingDecider.decide({ ...command, reason: null }, state, context)).toThrow(DomainError);
    const voided = samplingDecider.decide(command, state, context);
    expect(voided).toEqual([
      {
        type: 'SampleVoided',
        data: { sampleId: 'sample-t1', teamId: 't1', reason: command.reason, reviewIds: ids('review-t1', 5) },
      },
    ]);
    state = apply(state, voided);
    expect(() => samplingDecider.decide(command, state, context)).toThrow(
      expect.objectContaining({ code: 'ALREADY_EXISTS' }) as Error,
    );
    const supplement = oneMore();
    expect(() => samplingDecider.decide(supplement, state, context)).toThrow(
      expect.objectContaining({ code: 'RULE_VIOLATION' }) as Error,
    );
    const redraw = draw(['t1'], {
      teams: draw(['t1']).teams.map((team) => ({ ...team, sampleId: 'sample-t1-again', seed: 'other-seed' })),
    });
    expect(samplingDecider.decide(redraw, state, context)).toHaveLength(1);
  });

  it('opens no case from a population whose references are destroyed or whose window ended', () => {
    const state = apply(empty, samplingDecider.decide(draw(['t1']), empty, context));
    const supplement = oneMore();
    expect(samplingDecider.decide(supplement, state, on('2026-04-30'))).toHaveLength(1);
    expect(() => samplingDecider.decide(supplement, state, on('2026-05-01'))).toThrow(
      expect.objectContaining({ code: 'RULE_VIOLATION', details: { keptUntil: '2026-04-30' } }) as Error,
    );
    expect(() =>
      samplingDecider.decide({ ...supplement, population: { ...usable, destroyed: true } }, state, context),
    ).toThrow(expect.objectContaining({ code: 'RULE_VIOLATION' }) as Error);
  });
});

describe('population decider', () => {
  const row = (i: number) => ({
    token: `p${i}`,
    caseRef: { $sealed: 1 as const, kid: 'population:pop-1', iv: 'i', ct: 'c', tag: 't' },
    customerGroup: 'u25',
    teamId: 't1',
    process: 'allgemeine-vermittlung',
    needs16a: false,
  });
  const command = {
    type: 'ImportPopulation' as const,
    populationId: 'pop-1',
    programmeId: 'prog-1',
    month: '2026-03',
    rows: Array.from({ length: 1201 }, (_, i) => row(i)),
    fingerprint: 'f'.repeat(64),
    source: { format: 'csv' as const, fileName: 'maerz.csv' },
    chunkRows: 500,
    append: { maxRows: 10_000, maxBytes: 4 * 1024 * 1024, eventOverheadBytes: 1024 },
  };

  it('records an import that fits into one append and its rows in chunks, all in one decision', () => {
    const events = populationDecider.decide(command, populationDecider.initialState(), context);
    expect(events.map((e) => e.type)).toEqual([
      'PopulationImported',
      'PopulationRowsAdded',
      'PopulationRowsAdded',
      'PopulationRowsAdded',
    ]);
    expect(events[0]!.data).toMatchObject({ rowCount: 1201, fingerprint: 'f'.repeat(64) });
    expect(events.slice(1).map((e) => (e.data as unknown as { rows: unknown[] }).rows.length)).toEqual([500, 500, 201]);
    const state = fold(populationDecider, events);
    expect(state).toEqual({
      status: 'imported',
      programmeId: 'prog-1',
      month: '2026-03',
      rowCount: 1201,
      fingerprint: 'f'.repeat(64),
      chunks: 3,
      rowsStored: 1201,
      complete: true,
      referencesDestroyed: false,
    });
    // Complete as imported: no completion marker, and `completion` stays absent as in version 1 events.
    expect(events[0]!.data).not.toHaveProperty('completion');
    // The same import again (a retry) has nothing left to write; another population under its id is refused.
    expect(populationDecider.decide(command, state, context)).toEqual([]);
    expect(() => populationDecider.decide({ ...command, fingerprint: 'e'.repeat(64) }, state, context)).toThrow(
      expect.objectContaining({ code: 'ALREADY_EXISTS' }) as Error,
    );
  });

  it('records the destruction of its references once', () => {
    const imported = populationDecider.decide(command, populationDecider.initialState(), context);
    const state = fold(populationDecider, imported);
    const record = { type: 'RecordReferencesDestroyed' as const, populationId: 'pop-1', keptUntil: '2026-04-30' };
    const events = populationDecider.decide(record, state, context);
    expect(events).toEqual([
      {
        type: 'PopulationReferencesDestroyed',
        data: { populationId: 'pop-1', programmeId: 'prog-1', month: '2026-03', keptUntil: '2026-04-30' },
      },
    ]);
    expect(populationDecider.decide(record, fold(populationDecider, [...imported, ...events]), context)).toEqual([]);
    expect(() => populationDecider.decide(record, populationDecider.initialState(), context)).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }) as Error,
    );
  });

  it('refuses an empty population', () => {
    expect(() => populationDecider.decide({ ...command, rows: [] }, populationDecider.initialState(), context)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }) as Error,
    );
  });
});
