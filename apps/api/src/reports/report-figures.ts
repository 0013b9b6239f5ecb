import type { ReportFigures } from '@pruefpfad/domain';
import {
  addDefects,
  type DefectMatrix,
  type MeasureFigures,
  type ProgrammeFactDoc,
  sumCells,
  type TeamMonthCell,
} from '@pruefpfad/projections';

/** A quarter's report figures from the team's cells (reviews done against the minimum × months). */
export function reportFiguresOf(
  cells: readonly TeamMonthCell[],
  measures: MeasureFigures,
  programmes: readonly ProgrammeFactDoc[],
  asOf: string,
): ReportFigures {
  const total = sumCells(cells);
  const byProgramme = new Map<string, TeamMonthCell[]>();
  for (const cell of cells) byProgramme.set(cell.programmeId, [...(byProgramme.get(cell.programmeId) ?? []), cell]);
  const titles = new Map(programmes.map((programme) => [programme.programmeId, programme.title]));
  return {
    reviewsSampled: total.sampled,
    reviewsDone: total.completed,
    reviewsRequired: total.minimum,
    goalDirected: total.goalDirected,
    notGoalDirected: total.notGoalDirected,
    defects: total.defects,
    seriousDefects: total.seriousDefects,
    financialLossDefects: total.financialLossDefects,
    talksHeld: total.talksHeld,
    teamDiscussionsHeld: total.teamDiscussionsHeld,
    measuresAgreed: measures.agreed,
    measuresCompleted: measures.completed,
    measuresCancelled: measures.cancelled,
    measuresOpen: measures.open,
    measuresOverdue: measures.overdue,
    asOf,
    programmes: [...byProgramme.entries()].map(([programmeId, programmeCells]) => {
      const sum = sumCells(programmeCells);
      return {
        programmeId,
        title: titles.get(programmeId) ?? programmeId,
        reviewsRequired: sum.minimum,
        reviewsDone: sum.completed,
      };
    }),
  };
}

type Summable = Omit<ReportFigures, 'asOf' | 'programmes'>;

/** Several teams' report figures added up (the area's consolidated summary, 000:105). */
export function sumReportFigures(all: readonly ReportFigures[]): Summable {
  const total: { -readonly [K in keyof Summable]: Summable[K] } = {
    reviewsSampled: 0,
    reviewsDone: 0,
    reviewsRequired: 0,
    goalDirected: 0,
    notGoalDirected: 0,
    defects: {},
    seriousDefects: 0,
    financialLossDefects: 0,
    talksHeld: 0,
    teamDiscussionsHeld: 0,
    measuresAgreed: 0,
    measuresCompleted: 0,
    measuresCancelled: 0,
    measuresOpen: 0,
    measuresOverdue: 0,
  };
  const defects: DefectMatrix = {};
  for (const figures of all) {
    for (const key of Object.keys(total) as (keyof Summable)[]) {
      if (key === 'defects') continue;
      total[key] += figures[key];
    }
    addDefects(defects, figures.defects);
  }
  total.defects = defects;
  return total;
}
