import { Body, Controller, Get, Headers, Param, Put, Query, Res, StreamableFile } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type CommandResult, NotFoundError } from '@pruefpfad/application';
import { assertCanAccess, type Principal } from '@pruefpfad/domain';
import { commandContext } from '../commands/command-context.js';
import { parseIfMatch, setEtag } from '../commands/etag.js';
import { ExecuteCommand } from '../commands/execute-command.js';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { tenantRegionAggregate } from './cross-level.aggregates.js';
import { renderCrossLevelCsv } from './cross-level-csv.js';
import { CrossLevelScope } from './cross-level-scope.js';
import { CrossLevelTrendsService, type CrossLevelTrendView } from './cross-level-trends.service.js';
import { AssignRegionDto, CrossLevelTrendQueryDto } from './cross-level.dto.js';

type HeaderMap = Record<string, string | undefined>;

const REGION_PARAM = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Cross-level views for the Regionaldirektion and the Zentrale: which Jobcenters belong to a region, and
 * the trend figures per Jobcenter of a region or the nation with small cells suppressed. A Jobcenter's
 * management records its region.
 */
@ApiTags('Ebenenübergreifend / cross-level')
@ApiBearerAuth()
@Controller('api/v1/cross-level')
export class CrossLevelController {
  constructor(
    private readonly commands: CommandBus,
    private readonly scope: CrossLevelScope,
    private readonly trendsService: CrossLevelTrendsService,
  ) {}

  @Put('region')
  @Action('cross-level.region.assign')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async assignRegion(
    @CurrentPrincipal() principal: Principal,
    @Body() body: AssignRegionDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    assertCanAccess(principal, 'cross-level.region.assign', { tenant: principal.tenant });
    const expectedRevision = parseIfMatch(headers['if-match']);
    const result = await this.commands.execute(
      new ExecuteCommand(tenantRegionAggregate, {
        aggregateId: principal.tenant,
        ...(expectedRevision === undefined ? {} : { expectedRevision }),
        command: { type: 'AssignRegion', tenant: principal.tenant, region: body.region },
        context: commandContext(principal, headers),
      }),
    );
    setEtag(response, result.revision);
    return result;
  }

  /** The caller's own Jobcenter's region (management), 404 before one is recorded. */
  @Get('region')
  @Action('cross-level.region.read')
  async region(@CurrentPrincipal() principal: Principal) {
    const doc = await this.scope.regionOf(principal.tenant);
    if (doc === null) throw new NotFoundError(`region of ${principal.tenant}`);
    return { tenant: doc.tenant, region: doc.region, since: doc.since };
  }

  /** The Jobcenters of a region: the Regionaldirektion its own, the Zentrale any. */
  @Get('regions/:region/tenants')
  @Action('cross-level.region.read')
  async tenantsOfRegion(@CurrentPrincipal() principal: Principal, @Param('region') region: string) {
    if (!REGION_PARAM.test(region) || !this.scope.reachesRegion(principal, region))
      throw new NotFoundError(`region ${region}`);
    const tenants = await this.scope.tenants({ level: 'region', region });
    return { region, tenants: tenants.map((doc) => ({ tenant: doc.tenant, since: doc.since })) };
  }

  @Get('trends')
  @Action('cross-level.trends.read')
  async trends(
    @CurrentPrincipal() principal: Principal,
    @Query() query: CrossLevelTrendQueryDto,
  ): Promise<CrossLevelTrendView> {
    return this.trendsService.trends(principal, query);
  }

  @Get('trends.csv')
  @Action('cross-level.trends.read')
  @ApiProduces('text/csv')
  async trendsCsv(
    @CurrentPrincipal() principal: Principal,
    @Query() query: CrossLevelTrendQueryDto,
  ): Promise<StreamableFile> {
    const view = await this.trendsService.trends(principal, query);
    const name = `cross-level-trends-${view.region ?? 'national'}-${view.from}-${view.to}-${view.granularity}`;
    return new StreamableFile(Buffer.from(renderCrossLevelCsv(view), 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}.csv"`,
    });
  }
}
