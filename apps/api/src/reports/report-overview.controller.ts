import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { NotFoundError } from '@pruefpfad/application';
import { assertCanAccess, type Principal, type Quarter } from '@pruefpfad/domain';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { lastEndedQuarter, parseQuarter } from './period.params.js';
import { ReportStatusQueryDto } from './report.dto.js';
import { ReportsQueries, type UnitStatus } from './reports.queries.js';
import { TeamFiguresQueries } from './team-figures.queries.js';

/** Who has reported (submitted / not owed / due / overdue per unit), and the area's consolidated summary. */
@ApiTags('Quartalsberichte / quarterly reports')
@ApiBearerAuth()
@Controller('api/v1')
export class ReportOverviewController {
  constructor(
    private readonly reports: ReportsQueries,
    private readonly figures: TeamFiguresQueries,
  ) {}

  @Get('reports/status')
  @Action('report.status')
  async status(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ReportStatusQueryDto,
  ): Promise<{
    year: number;
    quarter: number;
    today: string;
    units: UnitStatus[];
    /** Owed reports only: units that owe none for the quarter (`not-owed`) are listed but not counted. */
    counts: Record<Exclude<UnitStatus['status'], 'not-owed'>, number>;
  }> {
    const today = this.figures.today();
    const fallback = lastEndedQuarter(today);
    const year = query.year ?? fallback.year;
    const quarter = (query.quarter ?? fallback.quarter) as Quarter;
    const units = await this.reports.status(principal, year, quarter);
    const count = (status: UnitStatus['status']) => units.filter((unit) => unit.status === status).length;
    return {
      year,
      quarter,
      today,
      units,
      counts: { submitted: count('submitted'), due: count('due'), overdue: count('overdue') },
    };
  }

  @Get('areas/:areaId/reports/:year/Q:quarter/summary')
  @Action('report.area-summary')
  async summary(
    @CurrentPrincipal() principal: Principal,
    @Param('areaId') areaId: string,
    @Param('year') year: string,
    @Param('quarter') quarter: string,
  ) {
    const period = parseQuarter(year, quarter);
    const area = await this.figures.area(principal.tenant, areaId);
    if (area === null) throw new NotFoundError(`area ${areaId}`);
    assertCanAccess(principal, 'report.area-summary', { tenant: area.tenant, unit: area.unitId });
    return this.reports.areaSummary(area, period.year, period.quarter);
  }
}
