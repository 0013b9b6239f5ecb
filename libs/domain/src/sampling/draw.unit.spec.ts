import {
  drawTeam,
  rankEligible,
  replacementCase,
  supplementaryCases,
  type DrawInputs,
  type DrawRow,
  type RankFunction,
} from './draw.js';
import { recomputeSample, type RecordedSample } from './verify.js';
import type { SampleDrawn } from './sampling.events.js';

const SEALED = { $sealed: 1, kid: 'population:p', iv: 'i', ct: 'c', tag: 't' } as const;

/**
 * The domain does no cryptography (the HMAC comes from the application layer and has its own test), so
 * these tests rank with FNV-1a: deterministic and seed-dependent, which is all the algorithm relies on.
 */
const fnvRank: RankFunction = (seed, token) => {
  let hash = 0x811c9dc5;
  for (const char of `${seed}\u0000${token}`) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
};

const rows = (count: number, groups: readonly string[], options: { needs16a?: (i: number) => boolean } = {}) =>
  Array.from({ length: count }, (_, i): DrawRow => ({
    token: `p${String(i).padStart(4, '0')}`,
    customerGroup: groups[i % groups.length]!,
    needs16a: options.needs16a?.(i) ?? false,
  }));

const inputs = (overrides: Partial<DrawInputs> = {}): DrawInputs => ({
  rows: rows(100, ['u25', 'ue25', 'reha']),
  seed: 'a'.repeat(64),
  n: 10,
  recentlyDrawn: [],
  section16aIncluded: false,
  lastCovered: {},
  ...overrides,
});

const tokens = (cases: readonly { token: string }[]) => cases.map((c) => c.token);

describe('the draw (hmac-sha256-rank/v1)', () => {
  it('is deterministic: same population, seed and inputs give the same sample, whatever the row order', () => {
    const first = drawTeam(inputs(), fnvRank);
    const shuffled = drawTeam(inputs({ rows: [...inputs().rows].reverse() }), fnvRank);
    expect(first.chosen).toHaveLength(10);
    expect(shuffled).toEqual(first);
    expect(first.chosen.map((c) => c.rank)).toEqual([...first.chosen.map((c) => c.rank)].sort((a, b) => a - b));
  });

  it('depends on the seed', () => {
    const a = tokens(drawTeam(inputs({ seed: '01'.repeat(32) }), fnvRank).chosen);
    const b = tokens(drawTeam(inputs({ seed: '02'.repeat(32) }), fnvRank).chosen);
    expect(a).not.toEqual(b);
  });

  it('covers every customer group when there are no more groups than n, then fills by rank', () => {
    // 97 cases of one group and one case each of three rare groups: rank alone would rarely pick them.
    const population = [
      ...rows(97, ['ue25']),
      { token: 'rare-a', customerGroup: 'reha', needs16a: false },
      { token: 'rare-b', customerGroup: 'u25', needs16a: false },
      { token: 'rare-c', customerGroup: 'alleinerziehend', needs16a: false },
    ];
    const draw = drawTeam(inputs({ rows: population, n: 5 }), fnvRank);
    expect(draw.chosen).toHaveLength(5);
    expect(new Set(draw.chosen.map((c) => c.customerGroup))).toEqual(
      new Set(['ue25', 'reha', 'u25', 'alleinerziehend']),
    );
    expect(draw.coverage).toMatchObject({ deferred: [], rule: 'least-recently-covered' });
    expect([...draw.coverage.covered].sort()).toEqual(['alleinerziehend', 'reha', 'u25', 'ue25']);
    // The fifth place goes to the best-ranked remaining case.
    const ranking = rankEligible(inputs({ rows: population }), fnvRank);
    const chosenSet = new Set(tokens(draw.chosen));
    const bestOthers = ranking.eligible.filter((c) => c.customerGroup === 'ue25');
    expect(chosenSet.has(bestOthers[0]!.token)).toBe(true);
    expect(chosenSet.has(bestOthers[1]!.token)).toBe(true);
  });

  it('with more groups than n covers the least recently covered groups (never covered first, ties by name) and records the rest as deferred', () => {
    const groups = ['a', 'b', 'c', 'd', 'e'];
    const draw = drawTeam(
      inputs({ rows: rows(50, groups), n: 3, lastCovered: { a: '2026-02', b: '2026-01', c: '2026-02' } }),
      fnvRank,
    );
    expect(draw.coverage.groups).toEqual(groups);
    expect(draw.coverage.covered).toEqual(['d', 'e', 'b']);
    expect(draw.coverage.deferred).toEqual(['a', 'c']);
    expect(draw.chosen.map((c) => c.customerGroup).sort()).toEqual(['b', 'd', 'e']);
  });

  it('skips cases drawn in the excluded months and counts them', () => {
    const base = drawTeam(inputs(), fnvRank);
    const recentlyDrawn = tokens(base.chosen).slice(0, 4);
    const draw = drawTeam(inputs({ recentlyDrawn }), fnvRank);
    expect(draw.excluded).toEqual({ recentlyDrawn: 4, section16a: 0 });
    expect(draw.eligible).toHaveLength(96);
    for (const p of recentlyDrawn) expect(tokens(draw.chosen)).not.toContain(p);
  });

  it('excludes § 16a cases without consent and includes them with it (003:53)', () => {
    const population = rows(60, ['u25', 'ue25'], { needs16a: (i) => i % 3 === 0 });
    const without = drawTeam(inputs({ rows: population }), fnvRank);
    expect(without.excluded.section16a).toBe(20);
    expect(without.eligible).toHaveLength(40);
    const flagged = new Set(population.filter((r) => r.needs16a).map((r) => r.token));
    expect(without.chosen.some((c) => flagged.has(c.token))).toBe(false);

    const withConsent = drawTeam(inputs({ rows: population, section16aIncluded: true }), fnvRank);
    expect(withConsent.excluded.section16a).toBe(0);
    expect(withConsent.eligible).toHaveLength(60);
  });

  it('takes every eligible case when there are fewer than n', () => {
    const draw = drawTeam(inputs({ rows: rows(4, ['u25']) }), fnvRank);
    expect(draw.chosen).toHaveLength(4);
  });

  it('draws supplementary cases as the next untaken cases by rank', () => {
    const draw = drawTeam(inputs(), fnvRank);
    const taken = new Set(tokens(draw.chosen));
    const more = supplementaryCases(draw, taken, 3);
    expect(more).toHaveLength(3);
    for (const c of more) expect(taken.has(c.token)).toBe(false);
    const untaken = draw.eligible.filter((c) => !taken.has(c.token));
    expect(more).toEqual(untaken.slice(0, 3));
  });

  it('replaces a case by the next untaken case of the same group, else by the next case of any group', () => {
    const population = [...rows(30, ['u25', 'ue25']), { token: 'solo', customerGroup: 'reha', needs16a: false }];
    const draw = drawTeam(inputs({ rows: population, n: 5 }), fnvRank);
    const taken = new Set(tokens(draw.chosen));
    const u25 = replacementCase(draw, taken, 'u25');
    expect(u25?.customerGroup).toBe('u25');
    expect(u25).toEqual(draw.eligible.find((c) => c.customerGroup === 'u25' && !taken.has(c.token)));
    // The only reha case is taken: the next case of any group replaces it.
    const reha = replacementCase(draw, taken, 'reha');
    expect(reha).toEqual(draw.eligible.find((c) => !taken.has(c.token)));
    expect(replacementCase(draw, new Set(draw.eligible.map((c) => c.token)), 'u25')).toBeNull();
  });
});

describe('recomputing a recorded sample (verify)', () => {
  const seed = 'c0ffee'.repeat(10) + 'c0de';
  const population = rows(80, ['u25', 'ue25', 'reha', 'alleinerziehend'], { needs16a: (i) => i % 10 === 0 });

  function record(teamRows: readonly DrawRow[]): RecordedSample {
    const draw = drawTeam(
      { rows: teamRows, seed, n: 6, recentlyDrawn: ['p0001'], section16aIncluded: false, lastCovered: {} },
      fnvRank,
    );
    const cases = draw.chosen.map((c, i) => ({ ...c, reviewId: `r-${i}` }));
    const taken = new Set(tokens(cases));
    const extra = supplementaryCases(draw, taken, 2).map((c, i) => ({ ...c, reviewId: `s-${i}` }));
    for (const c of extra) taken.add(c.token);
    const replacement = { ...replacementCase(draw, taken, cases[0]!.customerGroup)!, reviewId: 'x-0' };
    const drawn = {
      seed,
      n: 6,
      eligible: draw.eligible.length,
      excluded: draw.excluded,
      coverage: draw.coverage,
      inputs: { recentlyDrawn: ['p0001'], lastCovered: {}, section16aIncluded: false },
      cases,
    } as unknown as SampleDrawn['data'];
    return {
      drawn,
      followUps: [
        { type: 'SupplementaryCasesDrawn', data: { sampleId: 's', teamId: 't', reason: SEALED, cases: extra } },
        {
          type: 'CaseReplaced',
          data: { sampleId: 's', teamId: 't', replacedReviewId: 'r-0', reason: SEALED, replacement },
        },
      ],
    };
  }

  it('matches when population, seed and inputs are the same', () => {
    const result = recomputeSample(record(population), population, fnvRank);
    expect(result).toMatchObject({ casesMatch: true, coverageMatches: true, mismatches: [] });
  });

  it('does not match when the population changed after the draw', () => {
    const recorded = record(population);
    const changed = population.map((row, i) => (i === 3 ? { ...row, token: 'someone-else' } : row));
    const dropped = population.filter((row) => row.token !== recorded.drawn.cases[1]!.token);
    expect(recomputeSample(recorded, changed, fnvRank).mismatches.length).toBeGreaterThan(0);
    const result = recomputeSample(recorded, dropped, fnvRank);
    expect(result.casesMatch).toBe(false);
  });

  it('does not match when a recorded case was tampered with', () => {
    const recorded = record(population);
    const tampered: RecordedSample = {
      ...recorded,
      drawn: {
        ...recorded.drawn,
        cases: recorded.drawn.cases.map((c, i) => (i === 0 ? { ...c, token: 'intruder' } : c)),
      },
    };
    expect(recomputeSample(tampered, population, fnvRank).casesMatch).toBe(false);
  });
});
