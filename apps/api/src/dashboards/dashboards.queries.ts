import { Injectable } from '@nestjs/common';
import { addMonths, firstDayOfMonth, reportStatus } from '@pruefpfad/domain';
import {
  addDefects,
  addReviewFigures,
  type DefectMatrix,
  emptyReviewFigures,
  type MeasureFigures,
  type OrganisationUnitDoc,
  type ProgrammeFactDoc,
  type ReviewFigures,
  sumCells,
  type TeamMonthCell,
} from '@pruefpfad/projections';
import { LegalQuotaQueries } from '../legal-quota/legal-quota.queries.js';
import { lastEndedQuarter, type QuarterPeriod } from '../reports/period.params.js';
import { ReportsQueries, shownDueDate, type ReportStatus } from '../reports/reports.queries.js';
import { TeamFiguresQueries, teamInfo } from '../reports/team-figures.queries.js';
import { TrendsQueries } from '../trends/trends.queries.js';

/** Progress of the month against the programmes' minimum (a minimum, not a cap: 003:45). */
export interface Progress {
  readonly required: number;
  readonly sampled: number;
  readonly completed: number;
  readonly open: number;
  readonly overdue: number;
  readonly remaining: number;
  /** Completed in % of the minimum; null without a minimum. */
  readonly percent: number | null;
}

export interface Findings {
  readonly goalDirected: number;
  readonly notGoalDirected: number;
  readonly defects: DefectMatrix;
  readonly seriousDefects: number;
  readonly financialLossDefects: number;
  readonly talksHeld: number;
  readonly teamDiscussionsHeld: number;
}

export interface TeamRow extends Findings {
  readonly teamId: string;
  readonly name: string;
  readonly progress: Progress;
  readonly measures: MeasureFigures;
  readonly report: {
    readonly year: number;
    readonly quarter: number;
    readonly status: ReportStatus;
    /** Null when the team owes no report for the quarter (status `not-owed`). */
    readonly dueDate: string | null;
  };
}

const progressOf = (figures: ReviewFigures): Progress => ({
  required: figures.minimum,
  sampled: figures.sampled,
  completed: figures.completed,
  open: figures.open,
  overdue: figures.overdue,
  remaining: Math.max(0, figures.minimum - figures.completed),
  percent: figures.minimum === 0 ? null : Math.round((figures.completed / figures.minimum) * 1000) / 10,
});

const findingsOf = (figures: ReviewFigures): Findings => ({
  goalDirected: figures.goalDirected,
  notGoalDirected: figures.notGoalDirected,
  defects: figures.defects,
  seriousDefects: figures.seriousDefects,
  financialLossDefects: figures.financialLossDefects,
  talksHeld: figures.talksHeld,
  teamDiscussionsHeld: figures.teamDiscussionsHeld,
});

const addMeasures = (into: MeasureFigures, from: MeasureFigures): MeasureFigures => ({
  agreed: into.agreed + from.agreed,
  completed: into.completed + from.completed,
  cancelled: into.cancelled + from.cancelled,
  open: into.open + from.open,
  overdue: into.overdue + from.overdue,
});

const noMeasures = (): MeasureFigures => ({ agreed: 0, completed: 0, cancelled: 0, open: 0, overdue: 0 });

/**
 * Dashboards read the same facts as the reports: team level only, never per employee (000:73, 004:100).
 * Open and overdue reviews and measures are counted on today's date; the report shown is the one for
 * the last quarter that ended before the month (the one currently due, 000:91).
 */
@Injectable()
export class DashboardsQueries {
  constructor(
    private readonly figures: TeamFiguresQueries,
    private readonly reports: ReportsQueries,
    private readonly trends: TrendsQueries,
    private readonly quota: LegalQuotaQueries,
  ) {}

  today(): string {
    return this.figures.today();
  }

  async team(team: OrganisationUnitDoc, month: string) {
    const { rows, cells, programmes } = await this.load(team.tenant, [team], month);
    const row = rows[0]!;
    const titles = new Map(programmes.map((programme) => [programme.programmeId, programme.title]));
    return {
      teamId: team.unitId,
      areaId: team.parentId,
      name: team.name,
      month,
      today: this.today(),
      worklist: {
        sampled: row.progress.sampled,
        completed: row.progress.completed,
        open: row.progress.open,
        overdue: row.progress.overdue,
      },
      progress: {
        ...row.progress,
        programmes: cells.map((cell) => ({
          programmeId: cell.programmeId,
          title: titles.get(cell.programmeId) ?? cell.programmeId,
          ...progressOf(cell),
        })),
      },
      findings: findingsOf(sumCells(cells)),
      measures: row.measures,
      report: row.report,
    };
  }

  async area(area: OrganisationUnitDoc, month: string) {
    const teams = await this.figures.teams(area.tenant, { parentId: area.unitId });
    const { rows } = await this.load(area.tenant, teams, month);
    return { areaId: area.unitId, name: area.name, month, today: this.today(), teams: rows, totals: totalsOf(rows) };
  }

  async management(tenant: string, month: string) {
    const [areas, teams] = await Promise.all([this.figures.areas(tenant), this.figures.teams(tenant)]);
    const { rows } = await this.load(tenant, teams, month);
    const perArea = areas.map((area) => {
      const areaRows = rows.filter((row) => teams.find((team) => team.unitId === row.teamId)?.parentId === area.unitId);
      return { areaId: area.unitId, name: area.name, teams: areaRows.length, ...totalsOf(areaRows) };
    });
    // Routines suspended now, each showing whether it was decided with or against the tolerance test.
    const suspendedRoutines = await this.trends.suspendedRoutines(tenant);
    // The legal department's avoidable-appeal quota (001:252–280): the month and the twelve months up to
    // it, Jobcenter totals only (no team figures leave the legal department here).
    const trend = await this.quota.trend(tenant, addMonths(month, -11), month);
    const legalQuota = { month: trend.months[trend.months.length - 1]!, trend };
    return {
      tenant,
      month,
      today: this.today(),
      areas: perArea,
      totals: totalsOf(rows),
      suspendedRoutines,
      legalQuota,
    };
  }

  private async load(
    tenant: string,
    teams: readonly OrganisationUnitDoc[],
    month: string,
  ): Promise<{ rows: TeamRow[]; cells: TeamMonthCell[]; programmes: ProgrammeFactDoc[] }> {
    if (teams.length === 0) return { rows: [], cells: [], programmes: [] };
    const today = this.today();
    const infos = teams.map(teamInfo);
    const period = lastEndedQuarter(firstDayOfMonth(month));
    const [figures, measures] = await Promise.all([
      this.figures.figures(tenant, infos, [month], today),
      this.figures.measuresByTeam(
        tenant,
        infos.map((info) => info.teamId),
        [month],
        today,
      ),
    ]);
    const rows: TeamRow[] = [];
    for (const team of teams) {
      const cells = figures.cells.filter((cell: TeamMonthCell) => cell.teamId === team.unitId);
      const sum = sumCells(cells);
      rows.push({
        teamId: team.unitId,
        name: team.name,
        progress: progressOf(sum),
        ...findingsOf(sum),
        measures: measures.get(team.unitId) ?? noMeasures(),
        report: await this.reportStatus(team, figures.programmes, period, today),
      });
    }
    return { rows, cells: figures.cells, programmes: figures.programmes };
  }

  private async reportStatus(
    team: OrganisationUnitDoc,
    programmes: readonly ProgrammeFactDoc[],
    period: QuarterPeriod,
    today: string,
  ): Promise<TeamRow['report']> {
    const obligation = this.figures.obligation(teamInfo(team), programmes, period.year, period.quarter);
    const submitted = await this.reports.submitted(team.tenant, team.unitId, period.year, period.quarter);
    return {
      ...period,
      status: reportStatus(obligation, submitted !== null, today),
      dueDate: shownDueDate(obligation),
    };
  }
}

function totalsOf(rows: readonly TeamRow[]) {
  const figures = emptyReviewFigures();
  let measures = noMeasures();
  const defects: DefectMatrix = {};
  for (const row of rows) {
    addReviewFigures(figures, {
      ...emptyReviewFigures(),
      minimum: row.progress.required,
      sampled: row.progress.sampled,
      completed: row.progress.completed,
      open: row.progress.open,
      overdue: row.progress.overdue,
      goalDirected: row.goalDirected,
      notGoalDirected: row.notGoalDirected,
      seriousDefects: row.seriousDefects,
      financialLossDefects: row.financialLossDefects,
      talksHeld: row.talksHeld,
      teamDiscussionsHeld: row.teamDiscussionsHeld,
    });
    addDefects(defects, row.defects);
    measures = addMeasures(measures, row.measures);
  }
  return {
    progress: progressOf(figures),
    ...findingsOf({ ...figures, defects }),
    measures,
    reports: {
      submitted: rows.filter((row) => row.report.status === 'submitted').length,
      due: rows.filter((row) => row.report.status === 'due').length,
      overdue: rows.filter((row) => row.report.status === 'overdue').length,
    },
  };
}
