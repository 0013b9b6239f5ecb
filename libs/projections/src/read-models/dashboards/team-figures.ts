import { lastDayOfMonth, worksUnder } from '@pruefpfad/domain';
import type { MeasureFactDoc, ProgrammeFactDoc, ReviewFactDoc } from './team-figures.doc.js';

/**
 * Pure sums over the `team-figures` facts: the per-team-month cells keyed (tenant, area, team, month,
 * programme) and the measure counts per team. Nothing here has an employee dimension, because the facts
 * have none. "Today" enters as a parameter (overdue reviews, open and overdue measures).
 */
export type DefectMatrix = Record<string, { minor: number; serious: number }>;

export interface ReviewFigures {
  sampled: number;
  completed: number;
  open: number;
  /** Open after the review deadline. */
  overdue: number;
  goalDirected: number;
  notGoalDirected: number;
  defects: DefectMatrix;
  seriousDefects: number;
  financialLossDefects: number;
  talksHeld: number;
  teamDiscussionsHeld: number;
  /** The programme's minimum per team lead for the month (summed over programmes in a total). */
  minimum: number;
}

export interface TeamMonthCell extends ReviewFigures {
  readonly tenant: string;
  readonly areaId: string;
  readonly teamId: string;
  readonly month: string;
  readonly programmeId: string;
}

export interface MeasureFigures {
  agreed: number;
  completed: number;
  cancelled: number;
  open: number;
  overdue: number;
}

export interface TeamInfo {
  readonly teamId: string;
  readonly areaId: string;
  /** The team's customer process; null: every programme of the area applies. */
  readonly process: string | null;
}

export const emptyReviewFigures = (): ReviewFigures => ({
  sampled: 0,
  completed: 0,
  open: 0,
  overdue: 0,
  goalDirected: 0,
  notGoalDirected: 0,
  defects: {},
  seriousDefects: 0,
  financialLossDefects: 0,
  talksHeld: 0,
  teamDiscussionsHeld: 0,
  minimum: 0,
});

/**
 * The minimum in force for a month: the value on the month's last day (a revision during the month
 * applies to it); 0 for months that ended before the programme was defined.
 */
export function minimumInForce(programme: ProgrammeFactDoc, month: string): number {
  const end = lastDayOfMonth(month);
  let minimum = 0;
  for (const entry of [...programme.minimumHistory].sort((a, b) => a.from.localeCompare(b.from)))
    if (entry.from <= end) minimum = entry.minimum;
  return minimum;
}

/** Programmes a team works under (the reporting rule's `worksUnder`). */
export function programmesOf(team: TeamInfo, programmes: readonly ProgrammeFactDoc[]): ProgrammeFactDoc[] {
  return programmes.filter((programme) => worksUnder(team, programme));
}

export function addDefects(into: DefectMatrix, from: Readonly<DefectMatrix>): DefectMatrix {
  for (const [category, counts] of Object.entries(from)) {
    const cell = (into[category] ??= { minor: 0, serious: 0 });
    cell.minor += counts.minor;
    cell.serious += counts.serious;
  }
  return into;
}

export function addReviewFigures(into: ReviewFigures, from: Readonly<ReviewFigures>): ReviewFigures {
  into.sampled += from.sampled;
  into.completed += from.completed;
  into.open += from.open;
  into.overdue += from.overdue;
  into.goalDirected += from.goalDirected;
  into.notGoalDirected += from.notGoalDirected;
  addDefects(into.defects, from.defects);
  into.seriousDefects += from.seriousDefects;
  into.financialLossDefects += from.financialLossDefects;
  into.talksHeld += from.talksHeld;
  into.teamDiscussionsHeld += from.teamDiscussionsHeld;
  into.minimum += from.minimum;
  return into;
}

function addReview(into: ReviewFigures, fact: ReviewFactDoc, today: string): void {
  // A replaced (withdrawn) case counts nowhere; its replacement is a review of its own.
  if (fact.status === 'withdrawn') return;
  into.sampled += 1;
  if (fact.status === 'completed') into.completed += 1;
  if (fact.status === 'open') {
    into.open += 1;
    if (fact.deadline < today) into.overdue += 1;
  }
  if (fact.outcome === 'goal-directed') into.goalDirected += 1;
  if (fact.outcome === 'not-goal-directed') into.notGoalDirected += 1;
  for (const defect of fact.defects) {
    if (defect.withdrawn) continue;
    const cell = (into.defects[defect.category] ??= { minor: 0, serious: 0 });
    // `counted`: the severity under the dashboard rules (operations' rules-config.ts).
    cell[defect.counted] += 1;
    if (defect.counted === 'serious') into.seriousDefects += 1;
    if (defect.financialLoss) into.financialLossDefects += 1;
  }
  into.talksHeld += fact.talks;
  into.teamDiscussionsHeld += fact.teamDiscussions;
}

const cellKey = (teamId: string, month: string, programmeId: string): string => `${teamId}|${month}|${programmeId}`;

/**
 * One cell per team × month × programme: every programme the team works under (so a month without any
 * review still shows its minimum), plus any programme the team has reviews for.
 */
export function teamMonthCells(input: {
  readonly tenant: string;
  readonly teams: readonly TeamInfo[];
  readonly months: readonly string[];
  readonly programmes: readonly ProgrammeFactDoc[];
  readonly reviews: readonly ReviewFactDoc[];
  readonly today: string;
}): TeamMonthCell[] {
  const cells = new Map<string, TeamMonthCell>();
  const programmesById = new Map(input.programmes.map((programme) => [programme.programmeId, programme]));
  const teams = new Map(input.teams.map((team) => [team.teamId, team]));
  const cell = (team: TeamInfo, month: string, programmeId: string): TeamMonthCell => {
    const key = cellKey(team.teamId, month, programmeId);
    let found = cells.get(key);
    if (found === undefined) {
      const programme = programmesById.get(programmeId);
      found = {
        ...emptyReviewFigures(),
        tenant: input.tenant,
        areaId: team.areaId,
        teamId: team.teamId,
        month,
        programmeId,
        minimum: programme === undefined ? 0 : minimumInForce(programme, month),
      };
      cells.set(key, found);
    }
    return found;
  };
  for (const team of input.teams)
    for (const month of input.months)
      for (const programme of programmesOf(team, input.programmes)) cell(team, month, programme.programmeId);
  const months = new Set(input.months);
  for (const fact of input.reviews) {
    const team = teams.get(fact.teamId);
    if (team === undefined || !months.has(fact.month)) continue;
    addReview(cell(team, fact.month, fact.programmeId), fact, input.today);
  }
  return [...cells.values()].sort(
    (a, b) =>
      a.teamId.localeCompare(b.teamId) || a.month.localeCompare(b.month) || a.programmeId.localeCompare(b.programmeId),
  );
}

/** The figures of several cells summed (a team's quarter, an area's month, …). */
export function sumCells(cells: readonly ReviewFigures[]): ReviewFigures {
  return cells.reduce((total, cell) => addReviewFigures(total, cell), emptyReviewFigures());
}

/**
 * Measures agreed / completed / cancelled in the given months (by the local date agreed or closed), and
 * open / overdue on `asOf` (agreed by then, not closed by then, overdue when due before it).
 */
export function measureFigures(
  facts: readonly MeasureFactDoc[],
  months: readonly string[],
  asOf: string,
): MeasureFigures {
  const inMonths = new Set(months);
  const figures: MeasureFigures = { agreed: 0, completed: 0, cancelled: 0, open: 0, overdue: 0 };
  for (const fact of facts) {
    if (inMonths.has(fact.agreedOn.slice(0, 7))) figures.agreed += 1;
    if (fact.closedOn !== null && inMonths.has(fact.closedOn.slice(0, 7))) {
      if (fact.status === 'completed') figures.completed += 1;
      if (fact.status === 'cancelled') figures.cancelled += 1;
    }
    const openOnDay = fact.agreedOn <= asOf && (fact.closedOn === null || fact.closedOn > asOf);
    if (openOnDay) {
      figures.open += 1;
      if (fact.dueDate < asOf) figures.overdue += 1;
    }
  }
  return figures;
}

/** Serious defects of reviews still counted, without any reference to the case or the employee. */
export function seriousDefectsOf(reviews: readonly ReviewFactDoc[]): {
  readonly category: string;
  readonly legalNorm: string | null;
  readonly financialLoss: boolean;
  readonly month: string;
}[] {
  return reviews
    .filter((fact) => fact.status !== 'withdrawn')
    .flatMap((fact) =>
      fact.defects
        .filter((defect) => !defect.withdrawn && defect.counted === 'serious')
        .map((defect) => ({
          category: defect.category,
          legalNorm: defect.legalNorm,
          financialLoss: defect.financialLoss,
          month: fact.month,
        })),
    )
    .sort((a, b) => a.month.localeCompare(b.month) || a.category.localeCompare(b.category));
}
