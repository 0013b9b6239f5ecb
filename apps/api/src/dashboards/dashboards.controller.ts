import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { NotFoundError } from '../../../../libs/application/src/errors.js';
import { assertCanAccess, type Principal } from '../../../../libs/domain/src/authorization/authorization.policy.js';
import { minPositionHeader } from '../commands/min-position.js';
import { ActingRights } from '../organisation/acting-rights.js';
import { TeamFiguresQueries } from '../reports/team-figures.queries.js';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { MonthQueryDto } from './dashboard.dto.js';
import { DashboardsQueries } from './dashboards.queries.js';

type HeaderMap = Record<string, string | undefined>;

const MIN_POSITION = { name: 'X-Min-Position', required: false, description: 'Auf diese Position warten / wait' };

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
  @ApiHeader(MIN_POSITION)
  async team(
    @CurrentPrincipal() principal: Principal,
    @Param('teamId') teamId: string,
    @Query() query: MonthQueryDto,
    @Headers() headers: HeaderMap,
  ) {
    await this.dashboards.awaitPosition(minPositionHeader(headers));
    await this.rights.assertMayRead(principal, 'dashboard.team', principal.tenant, teamId);
    const team = await this.rights.team(principal.tenant, teamId);
    return this.dashboards.team(team, query.month ?? this.dashboards.today().slice(0, 7));
  }

  @Get('area/:areaId')
  @Action('dashboard.area')
  @ApiHeader(MIN_POSITION)
  async area(
    @CurrentPrincipal() principal: Principal,
    @Param('areaId') areaId: string,
    @Query() query: MonthQueryDto,
    @Headers() headers: HeaderMap,
  ) {
    await this.dashboards.awaitPosition(minPositionHeader(headers));
    const area = await this.figures.area(principal.tenant, areaId);
    if (area === null) throw new NotFoundError(`area ${areaId}`);
    assertCanAccess(principal, 'dashboard.area', { tenant: area.tenant, unit: area.unitId });
    return this.dashboards.area(area, query.month ?? this.dashboards.today().slice(0, 7));
  }

  @Get('management')
  @Action('dashboard.management')
  @ApiHeader(MIN_POSITION)
  async management(
    @CurrentPrincipal() principal: Principal,
    @Query() query: MonthQueryDto,
    @Headers() headers: HeaderMap,
  ) {
    await this.dashboards.awaitPosition(minPositionHeader(headers));
    assertCanAccess(principal, 'dashboard.management', { tenant: principal.tenant });
    return this.dashboards.management(principal.tenant, query.month ?? this.dashboards.today().slice(0, 7));
  }
}
