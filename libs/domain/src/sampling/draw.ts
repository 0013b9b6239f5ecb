import type { CoverageRecord } from './sampling.events.js';

/**
 * # The draw: `hmac-sha256-rank/v1`
 *
 * A verifiable random sample (Fallauswahl, "zufallsorientiert", 003:64; monthly and random, 000:71).
 * Inputs, all recorded in `SampleDrawn` or its population, none of them clear data:
 *
 * - the team's rows of the month's population: the case's draw token, customer group, § 16a flag. A
 *   draw token is an HMAC of the case's pseudonym under a key that belongs to this one population and is
 *   destroyed with the population's clear references (a configurable window after the month): until
 *   then the Jobcenter can link a token to its case, afterwards nobody can, while the draw stays
 *   recomputable from the tokens alone;
 * - the seed: 256 bits from the server's CSPRNG, generated only after the population (and its fingerprint)
 *   was fixed, so neither the population nor the seed can be chosen to steer the result;
 * - `n`: the programme's minimum cases per team lead (003:45 "mindestens 10"; a minimum, not a cap);
 * - the tokens (in this population's key) of the cases drawn for the programme in the last
 *   `excludeDrawnWithinMonths` months;
 * - whether § 16a SGB II cases may be reviewed (a consent of the Trägerversammlung dated on or before the
 *   draw, 003:53);
 * - for each customer group, the last month it was covered for the team (the coverage rule, 003:64–68).
 *
 * Steps, per team:
 *
 * 1. **Eligible cases.** A row needing § 16a services is excluded unless the consent applies (counted as
 *    `section16a`); otherwise a row whose token was drawn in the excluded months is excluded (counted as
 *    `recentlyDrawn`). The rest is eligible.
 * 2. **Ranking.** Each eligible case gets `rank(seed, token)`, HMAC-SHA256 keyed with the seed over the
 *    token, as 64 lower-case hex digits (supplied by the application layer: the domain does no
 *    cryptography). Cases are ordered by that value ascending, ties (practically impossible) by token.
 *    The row order of the file plays no part. A case's `rank` is its 0-based place in this order.
 * 3. **Coverage** (rule `least-recently-covered`). With `g` customer groups among the eligible cases:
 *    - `g ≤ n`: every group is covered: the best-ranked case of each group is taken first (groups listed in
 *      the order of those cases), then the remaining places are filled by rank from the rest;
 *    - `g > n`: the `n` groups covered least recently for this team are covered (never covered first, then
 *      by the month they were last covered, ties by group name), one best-ranked case each; the other
 *      groups are recorded as `deferred` and come first next time.
 *    With fewer than `n` eligible cases, all of them are taken.
 * 4. **Result.** The chosen cases, ordered by rank; the application assigns each a review id.
 *
 * **Supplementary draw** (more cases than the minimum, with a reason): the next `k` eligible cases by rank
 * that the sample has not taken yet (including cases that were replaced).
 *
 * **Replacement** of an unsuitable case: the next eligible case by rank that the sample has not taken yet
 * and that has the same customer group, or, if the group has none left, the next such case of any group.
 *
 * **Verification** repeats steps 1–4 from the recorded inputs and the population, then replays the
 * supplementary draws and replacements in their order, and compares every case; the population's
 * fingerprint (SHA-256 over its canonical rows without clear data) shows whether the population is the one
 * the draw was made from. Same population, same seed, same inputs: same sample.
 */
export const DRAW_ALGORITHM = 'hmac-sha256-rank/v1' as const;

/** `HMAC-SHA256(key = seed bytes, message = token)` as lower-case hex; injected by the application layer. */
export type RankFunction = (seed: string, token: string) => string;

export interface DrawRow {
  readonly token: string;
  readonly customerGroup: string;
  readonly needs16a: boolean;
}

export interface DrawInputs {
  /** The team's rows of the population. */
  readonly rows: readonly DrawRow[];
  readonly seed: string;
  readonly n: number;
  readonly recentlyDrawn: readonly string[];
  readonly section16aIncluded: boolean;
  /** Customer group → last month (yyyy-mm) it was covered for the team; absent: never. */
  readonly lastCovered: Readonly<Record<string, string>>;
}

export interface RankedCase {
  readonly token: string;
  readonly customerGroup: string;
  /** 0-based place in the seed's ranking of the eligible cases. */
  readonly rank: number;
}

export interface Ranking {
  readonly eligible: readonly RankedCase[];
  readonly excluded: { readonly recentlyDrawn: number; readonly section16a: number };
}

export interface TeamDraw extends Ranking {
  readonly coverage: CoverageRecord;
  /** The chosen cases, by rank. */
  readonly chosen: readonly RankedCase[];
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Steps 1 and 2: the eligible cases in the seed's order. */
export function rankEligible(inputs: Omit<DrawInputs, 'n' | 'lastCovered'>, rank: RankFunction): Ranking {
  const recent = new Set(inputs.recentlyDrawn);
  let section16a = 0;
  let recentlyDrawn = 0;
  const keyed: { readonly row: DrawRow; readonly key: string }[] = [];
  for (const row of inputs.rows) {
    if (row.needs16a && !inputs.section16aIncluded) section16a += 1;
    else if (recent.has(row.token)) recentlyDrawn += 1;
    else keyed.push({ row, key: rank(inputs.seed, row.token) });
  }
  keyed.sort((a, b) => compareText(a.key, b.key) || compareText(a.row.token, b.row.token));
  return {
    eligible: keyed.map(({ row }, index) => ({
      token: row.token,
      customerGroup: row.customerGroup,
      rank: index,
    })),
    excluded: { recentlyDrawn, section16a },
  };
}

/** Steps 1 to 4 for one team. */
export function drawTeam(inputs: DrawInputs, rank: RankFunction): TeamDraw {
  if (!Number.isInteger(inputs.n) || inputs.n < 1) throw new RangeError(`n must be a whole number ≥ 1: ${inputs.n}`);
  const ranking = rankEligible(inputs, rank);
  const bestOfGroup = new Map<string, RankedCase>();
  for (const candidate of ranking.eligible)
    if (!bestOfGroup.has(candidate.customerGroup)) bestOfGroup.set(candidate.customerGroup, candidate);
  const groups = [...bestOfGroup.keys()].sort(compareText);

  let covered: string[];
  let deferred: string[];
  if (groups.length <= inputs.n) {
    // Map insertion order is the order of each group's best case.
    covered = [...bestOfGroup.keys()];
    deferred = [];
  } else {
    const lastCovered = (group: string): string => inputs.lastCovered[group] ?? '';
    const order = [...groups].sort((a, b) => compareText(lastCovered(a), lastCovered(b)) || compareText(a, b));
    covered = order.slice(0, inputs.n);
    deferred = order.slice(inputs.n);
  }

  const chosen = new Map<string, RankedCase>();
  for (const group of covered) {
    const best = bestOfGroup.get(group)!;
    chosen.set(best.token, best);
  }
  for (const candidate of ranking.eligible) {
    if (chosen.size >= inputs.n) break;
    if (!chosen.has(candidate.token)) chosen.set(candidate.token, candidate);
  }
  return {
    ...ranking,
    coverage: { groups, covered, deferred, rule: 'least-recently-covered' },
    chosen: [...chosen.values()].sort((a, b) => a.rank - b.rank),
  };
}

/** The next `count` eligible cases by rank that the sample has not taken yet. */
export function supplementaryCases(
  ranking: Pick<Ranking, 'eligible'>,
  taken: ReadonlySet<string>,
  count: number,
): RankedCase[] {
  const next: RankedCase[] = [];
  for (const candidate of ranking.eligible) {
    if (next.length >= count) break;
    if (!taken.has(candidate.token)) next.push(candidate);
  }
  return next;
}

/** The next untaken eligible case of the same customer group, else the next untaken case of any group. */
export function replacementCase(
  ranking: Pick<Ranking, 'eligible'>,
  taken: ReadonlySet<string>,
  customerGroup: string,
): RankedCase | null {
  const untaken = ranking.eligible.filter((candidate) => !taken.has(candidate.token));
  return untaken.find((candidate) => candidate.customerGroup === customerGroup) ?? untaken[0] ?? null;
}
