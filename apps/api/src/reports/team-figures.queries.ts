import { Inject, Injectable } from '@nestjs/common';
import { berlinDate, type Clock, DEFAULT_RULES } from '@pruefpfad/application';
import {
  lastDayOfMonth,
  monthsOfQuarter,
  type Quarter,
  type ReportObligation,
  teamReportObligation,
} from '@pruefpfad/domain';
import {
  type MeasureFactDoc,
  measureFigures,
  type MeasureFigures,
  ORGANISATION_UNITS,
  type OrganisationUnitDoc,
  type ProgrammeFactDoc,
  REPORTS,
  type ReviewFactDoc,
  TEAM_FIGURES,
  type TeamInfo,
  type TeamMonthCell,
  teamMonthCells,
} from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { ReadModelFreshness } from '../commands/read-model-freshness.js';
import { CLOCK, DOCUMENT_STORE } from '../runtime/tokens.js';

export interface TeamFigures {
  readonly cells: TeamMonthCell[];
  readonly measures: MeasureFigures;
  readonly programmes: ProgrammeFactDoc[];
}

export const teamInfo = (unit: OrganisationUnitDoc): TeamInfo => ({
  teamId: unit.unitId,
  areaId: unit.parentId ?? unit.unitId,
  process: unit.process,
});

/**
 * Reads the anonymous `team-figures` facts (and the organisation's units) and sums them into cells.
 * Shared by reports and dashboards so both show the same numbers; "today" comes from the injected clock.
 */
@Injectable()
export class TeamFiguresQueries {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly freshness: ReadModelFreshness,
  ) {}

  today(): string {
    return berlinDate(this.clock.now());
  }

  /**
   * Before a snapshot is frozen (a submitted report): every read model the draft is made of (the figures,
   * the submitted reports, the team's unit) reflects every event stored so far.
   */
  awaitCurrent(): Promise<void> {
    return this.freshness.awaitCurrent([TEAM_FIGURES, REPORTS, ORGANISATION_UNITS]);
  }

  async teams(tenant: string, filter: Record<string, unknown> = {}): Promise<OrganisationUnitDoc[]> {
    return (await this.documents.find(
      ORGANISATION_UNITS,
      { tenant, kind: 'team', ...filter },
      { sort: { unitId: 1 } },
    )) as OrganisationUnitDoc[];
  }

  async areas(tenant: string): Promise<OrganisationUnitDoc[]> {
    return (await this.documents.find(
      ORGANISATION_UNITS,
      { tenant, kind: 'area' },
      { sort: { unitId: 1 } },
    )) as OrganisationUnitDoc[];
  }

  async area(tenant: string, areaId: string): Promise<OrganisationUnitDoc | null> {
    const [area] = (await this.documents.find(ORGANISATION_UNITS, {
      tenant,
      kind: 'area',
      unitId: areaId,
    })) as OrganisationUnitDoc[];
    return area ?? null;
  }

  async programmes(tenant: string): Promise<ProgrammeFactDoc[]> {
    return (await this.documents.find(
      TEAM_FIGURES,
      { tenant, kind: 'programme' },
      { sort: { programmeId: 1 } },
    )) as ProgrammeFactDoc[];
  }

  /**
   * Cells for the teams and months, and the teams' measures: agreed / completed / cancelled within the
   * months, open and overdue on `asOf`.
   */
  async figures(
    tenant: string,
    teams: readonly TeamInfo[],
    months: readonly string[],
    asOf: string,
  ): Promise<TeamFigures> {
    const teamIds = teams.map((team) => team.teamId);
    const [programmes, reviews, measures] = await Promise.all([
      this.programmes(tenant),
      this.documents.find(TEAM_FIGURES, {
        tenant,
        kind: 'review',
        teamId: { $in: teamIds },
        month: { $in: [...months] },
      }) as Promise<ReviewFactDoc[]>,
      this.documents.find(TEAM_FIGURES, { tenant, kind: 'measure', teamId: { $in: teamIds } }) as Promise<
        MeasureFactDoc[]
      >,
    ]);
    const cells = teamMonthCells({ tenant, teams, months, programmes, reviews, today: this.today() });
    return { cells, measures: measureFigures(measures, months, asOf), programmes };
  }

  async measuresByTeam(
    tenant: string,
    teamIds: readonly string[],
    months: readonly string[],
    asOf: string,
  ): Promise<Map<string, MeasureFigures>> {
    const facts = (await this.documents.find(TEAM_FIGURES, {
      tenant,
      kind: 'measure',
      teamId: { $in: [...teamIds] },
    })) as MeasureFactDoc[];
    return new Map(
      teamIds.map((teamId) => [
        teamId,
        measureFigures(
          facts.filter((fact) => fact.teamId === teamId),
          months,
          asOf,
        ),
      ]),
    );
  }

  async reviewFacts(tenant: string, teamId: string, months: readonly string[]): Promise<ReviewFactDoc[]> {
    return (await this.documents.find(TEAM_FIGURES, {
      tenant,
      kind: 'review',
      teamId,
      month: { $in: [...months] },
    })) as ReviewFactDoc[];
  }

  /**
   * Whether the team owes a report for the quarter and when it is due: the rule trends use as well
   * (owed only when one of its programmes was in force; due on their earliest report day, 000:91).
   */
  obligation(
    team: TeamInfo,
    programmes: readonly ProgrammeFactDoc[],
    year: number,
    quarter: Quarter,
  ): ReportObligation {
    return teamReportObligation(team, programmes, year, quarter, DEFAULT_RULES.programme.reportDueDay);
  }

  /** Reference date of a quarter's open / overdue measures: its last day, or today while it runs. */
  asOfQuarter(year: number, quarter: Quarter): string {
    const lastDay = lastDayOfMonth(monthsOfQuarter(year, quarter)[2]!);
    const today = this.today();
    return today < lastDay ? today : lastDay;
  }
}
