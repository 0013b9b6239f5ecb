import type { Severity } from '@pruefpfad/domain';

/**
 * The anonymous facts one review contributes to the trends, and the pure arithmetic of the aggregate
 * cells (tenant, area, team, month, programme, questionnaire version) × (category, severity) counts.
 *
 * There is no employee, case or free text in here, by construction: the cell key has no person
 * dimension, so no trend can ever be grouped by employee (000:73, 004:100). The same shape is produced
 * by the live review events (`trend-reviews` projection) and by a purged review's anonymous retention
 * summary (`trendReviewFromSummary` in read-models/retention/summary-documents.ts), so a purged review
 * keeps counting in exactly the cell it counted in before, and a rebuild after a purge gives the same cells.
 */
export interface CellKey {
  readonly tenant: string;
  readonly areaId: string;
  readonly teamId: string;
  /** Sample month (yyyy-mm): every figure of the review counts in this month. */
  readonly month: string;
  readonly programmeId: string;
  readonly questionnaireId: string;
  readonly questionnaireVersion: number;
}

export interface DefectFacts {
  readonly defectId: string;
  readonly category: string;
  readonly severity: Severity;
  readonly withdrawn: boolean;
}

export interface ReviewFacts extends CellKey {
  /** A withdrawn (replaced, unsuitable) case counts nowhere; its replacement is a review of its own. */
  readonly status: 'open' | 'completed' | 'withdrawn';
  readonly outcome: 'goal-directed' | 'not-goal-directed' | null;
  readonly defects: readonly DefectFacts[];
  readonly talks: number;
  readonly teamDiscussions: number;
  /** Measures agreed following this review (team-wide measures without a review are not in any cell). */
  readonly measuresAgreed: number;
}

export interface SeverityCounts {
  minor: number;
  serious: number;
}

/** Completed reviews with at least one standing defect of a severity (or of any). */
export interface ReviewsWith extends SeverityCounts {
  any: number;
}

export interface CategoryCounts {
  readonly defects: SeverityCounts;
  readonly reviewsWith: ReviewsWith;
}

/**
 * Counts of one cell. Defects and "reviews with" count completed reviews only, so that every ratio
 * over `completed` compares like with like; an open review counts as sampled.
 */
export interface CellCounts {
  sampled: number;
  completed: number;
  goalDirected: number;
  notGoalDirected: number;
  readonly defects: SeverityCounts;
  readonly reviewsWith: ReviewsWith;
  readonly categories: Record<string, CategoryCounts>;
  talks: number;
  teamDiscussions: number;
  measuresAgreed: number;
}

export interface TrendCell extends CellKey, CellCounts {}

export const emptyCounts = (): CellCounts => ({
  sampled: 0,
  completed: 0,
  goalDirected: 0,
  notGoalDirected: 0,
  defects: { minor: 0, serious: 0 },
  reviewsWith: { minor: 0, serious: 0, any: 0 },
  categories: {},
  talks: 0,
  teamDiscussions: 0,
  measuresAgreed: 0,
});

export const cellKeyOf = (key: CellKey): string =>
  `${key.tenant}|${key.areaId}|${key.teamId}|${key.month}|${key.programmeId}|${key.questionnaireId}|${key.questionnaireVersion}`;

const emptyCategory = (): CategoryCounts => ({
  defects: { minor: 0, serious: 0 },
  reviewsWith: { minor: 0, serious: 0, any: 0 },
});

/**
 * Adds (`sign` 1) or removes (`sign` -1) one review's contribution to a cell, in place. Removing the
 * old facts and adding the new ones is how a stored cell follows a correction or a withdrawal exactly.
 */
export function addReviewFacts(into: CellCounts, facts: ReviewFacts, sign: 1 | -1 = 1): CellCounts {
  if (facts.status === 'withdrawn') return into;
  into.sampled += sign;
  into.talks += sign * facts.talks;
  into.teamDiscussions += sign * facts.teamDiscussions;
  into.measuresAgreed += sign * facts.measuresAgreed;
  if (facts.status !== 'completed') return into;
  into.completed += sign;
  if (facts.outcome === 'goal-directed') into.goalDirected += sign;
  if (facts.outcome === 'not-goal-directed') into.notGoalDirected += sign;
  if (facts.defects.length === 0) return into;
  const seen = new Map<string, { minor: boolean; serious: boolean }>();
  for (const defect of facts.defects) {
    if (defect.withdrawn) continue;
    const category = (into.categories[defect.category] ??= emptyCategory());
    category.defects[defect.severity] += sign;
    into.defects[defect.severity] += sign;
    const flags = seen.get(defect.category) ?? { minor: false, serious: false };
    flags[defect.severity] = true;
    seen.set(defect.category, flags);
  }
  let minor = false;
  let serious = false;
  for (const [name, flags] of seen) {
    const category = into.categories[name]!;
    if (flags.minor) category.reviewsWith.minor += sign;
    if (flags.serious) category.reviewsWith.serious += sign;
    category.reviewsWith.any += sign;
    minor ||= flags.minor;
    serious ||= flags.serious;
  }
  if (minor) into.reviewsWith.minor += sign;
  if (serious) into.reviewsWith.serious += sign;
  if (seen.size > 0) into.reviewsWith.any += sign;
  return into;
}

/** Sums cell counts, in place (periods, areas, a whole Jobcenter). */
export function addCounts(into: CellCounts, from: Readonly<CellCounts>): CellCounts {
  into.sampled += from.sampled;
  into.completed += from.completed;
  into.goalDirected += from.goalDirected;
  into.notGoalDirected += from.notGoalDirected;
  into.defects.minor += from.defects.minor;
  into.defects.serious += from.defects.serious;
  into.reviewsWith.minor += from.reviewsWith.minor;
  into.reviewsWith.serious += from.reviewsWith.serious;
  into.reviewsWith.any += from.reviewsWith.any;
  for (const [name, counts] of Object.entries(from.categories)) {
    const category = (into.categories[name] ??= emptyCategory());
    category.defects.minor += counts.defects.minor;
    category.defects.serious += counts.defects.serious;
    category.reviewsWith.minor += counts.reviewsWith.minor;
    category.reviewsWith.serious += counts.reviewsWith.serious;
    category.reviewsWith.any += counts.reviewsWith.any;
  }
  into.talks += from.talks;
  into.teamDiscussions += from.teamDiscussions;
  into.measuresAgreed += from.measuresAgreed;
  return into;
}

/** The month cells of a set of reviews: one per (tenant, area, team, month, programme, questionnaire version). */
export function monthCells(reviews: Iterable<ReviewFacts>): Map<string, TrendCell> {
  const cells = new Map<string, TrendCell>();
  for (const facts of reviews) {
    if (facts.status === 'withdrawn') continue;
    const key = cellKeyOf(facts);
    let cell = cells.get(key);
    if (cell === undefined) {
      cell = {
        tenant: facts.tenant,
        areaId: facts.areaId,
        teamId: facts.teamId,
        month: facts.month,
        programmeId: facts.programmeId,
        questionnaireId: facts.questionnaireId,
        questionnaireVersion: facts.questionnaireVersion,
        ...emptyCounts(),
      };
      cells.set(key, cell);
    }
    addReviewFacts(cell, facts);
  }
  return cells;
}
