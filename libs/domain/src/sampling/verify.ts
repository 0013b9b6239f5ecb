import {
  drawTeam,
  rankEligible,
  replacementCase,
  supplementaryCases,
  type DrawRow,
  type RankFunction,
} from './draw.js';
import type { CaseReplaced, DrawnCase, SampleDrawn, SupplementaryCasesDrawn } from './sampling.events.js';

/** A sample as recorded: the draw, then its supplementary draws and replacements in stream order. */
export interface RecordedSample {
  readonly drawn: SampleDrawn['data'];
  readonly followUps: readonly (
    | { readonly type: 'SupplementaryCasesDrawn'; readonly data: SupplementaryCasesDrawn['data'] }
    | { readonly type: 'CaseReplaced'; readonly data: CaseReplaced['data'] }
  )[];
}

export interface SampleRecomputation {
  /** Every recorded case (draw, supplementary, replacement) is the one the algorithm gives. */
  readonly casesMatch: boolean;
  readonly coverageMatches: boolean;
  readonly eligible: number;
  readonly mismatches: readonly string[];
}

const key = (c: Pick<DrawnCase, 'token' | 'customerGroup' | 'rank'>): string =>
  `${c.token}|${c.customerGroup}|${c.rank}`;

function compareCases(
  label: string,
  recorded: readonly Pick<DrawnCase, 'token' | 'customerGroup' | 'rank'>[],
  expected: readonly Pick<DrawnCase, 'token' | 'customerGroup' | 'rank'>[],
  mismatches: string[],
): void {
  const a = recorded.map(key).sort();
  const b = expected.map(key).sort();
  if (a.length !== b.length || a.some((value, index) => value !== b[index]))
    mismatches.push(`${label}: recorded ${a.length} case(s) differ from the ${b.length} recomputed`);
}

/**
 * Recomputes a recorded sample from the team's population rows, the seed and the recorded inputs (see
 * `draw.ts`), then replays its supplementary draws and replacements. Pure: no clear data involved.
 */
export function recomputeSample(
  sample: RecordedSample,
  teamRows: readonly DrawRow[],
  rank: RankFunction,
): SampleRecomputation {
  const { drawn } = sample;
  const mismatches: string[] = [];
  const inputs = {
    rows: teamRows,
    seed: drawn.seed,
    n: drawn.n,
    recentlyDrawn: drawn.inputs.recentlyDrawn,
    section16aIncluded: drawn.inputs.section16aIncluded,
    lastCovered: drawn.inputs.lastCovered,
  };
  const draw = drawTeam(inputs, rank);
  compareCases('draw', drawn.cases, draw.chosen, mismatches);
  if (draw.eligible.length !== drawn.eligible)
    mismatches.push(`eligible: recorded ${drawn.eligible}, recomputed ${draw.eligible.length}`);
  if (
    draw.excluded.recentlyDrawn !== drawn.excluded.recentlyDrawn ||
    draw.excluded.section16a !== drawn.excluded.section16a
  )
    mismatches.push('excluded: the recorded exclusion counts differ from the recomputed ones');
  const coverageMatches = JSON.stringify(draw.coverage) === JSON.stringify(drawn.coverage);
  if (!coverageMatches) mismatches.push('coverage: the recorded coverage differs from the recomputed one');

  const ranking = rankEligible(inputs, rank);
  const taken = new Set(drawn.cases.map((c) => c.token));
  const groupOfReview = new Map(drawn.cases.map((c) => [c.reviewId, c.customerGroup]));
  sample.followUps.forEach((followUp, index) => {
    if (followUp.type === 'SupplementaryCasesDrawn') {
      const expected = supplementaryCases(ranking, taken, followUp.data.cases.length);
      compareCases(`supplementary #${index + 1}`, followUp.data.cases, expected, mismatches);
      for (const c of followUp.data.cases) {
        taken.add(c.token);
        groupOfReview.set(c.reviewId, c.customerGroup);
      }
    } else {
      const group = groupOfReview.get(followUp.data.replacedReviewId);
      const expected = group === undefined ? null : replacementCase(ranking, taken, group);
      compareCases(`replacement #${index + 1}`, [followUp.data.replacement], expected ? [expected] : [], mismatches);
      taken.add(followUp.data.replacement.token);
      groupOfReview.set(followUp.data.replacement.reviewId, followUp.data.replacement.customerGroup);
    }
  });
  return {
    casesMatch: !mismatches.some((m) => !m.startsWith('coverage')),
    coverageMatches,
    eligible: draw.eligible.length,
    mismatches,
  };
}
