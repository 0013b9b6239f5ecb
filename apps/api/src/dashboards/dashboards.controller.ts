import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { NotFoundError } from '@pruefpfad/application';
import { assertCanAccess, type Principal } from '@pruefpfad/domain';
import { ActingRights } from '../organisation/acting-rights.js';
import { TeamFiguresQueries } from '../reports/team-figures.queries.js';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { MonthQueryDto } from './dashboard.dto.js';
import { DashboardsQueries } from './dashboards.queries.js';

/** JSON dashboards for team leads, area heads and management; team level only, never per employee. */
@ApiTags('Dashboards / dashboards')
@ApiBearerAuth()
@Controller('api/v1/dashboards')
export class DashboardsController {
  constructor(
    private readonly dashboards: DashboardsQueries,
    private readonly figures: TeamFiguresQueries,
    private readonly rights: ActingRights,
  ) {}

  @Get('team/:teamId')
  @Action('dashboard.team')
  async team(@CurrentPrincipal() principal: Principal, @Param('teamId') teamId: string, @Query() query: MonthQueryDto) {
    await this.rights.assertMayRead(principal, 'dashboard.team', principal.tenant, teamId);
    const team = await this.rights.team(principal.tenant, teamId);
    return this.dashboards.team(team, query.month ?? this.dashboards.today().slice(0, 7));
  }

  @Get('area/:areaId')
  @Action('dashboard.area')
  async area(@CurrentPrincipal() principal: Principal, @Param('areaId') areaId: string, @Query() query: MonthQueryDto) {
    const area = await this.figures.area(principal.tenant, areaId);
    if (area === null) throw new NotFoundError(`area ${areaId}`);
    assertCanAccess(principal, 'dashboard.area', { tenant: area.tenant, unit: area.unitId });
    return this.dashboards.area(area, query.month ?? this.dashboards.today().slice(0, 7));
  }

  @Get('management')
  @Action('dashboard.management')
  async management(@CurrentPrincipal() principal: Principal, @Query() query: MonthQueryDto) {
    assertCanAccess(principal, 'dashboard.management', { tenant: principal.tenant });
    return this.dashboards.management(principal.tenant, query.month ?? this.dashboards.today().slice(0, 7));
  }
}
