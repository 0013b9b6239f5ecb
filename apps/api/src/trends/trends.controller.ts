import { Controller, Get, Inject, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { AppConfig } from '@pruefpfad/application';
import type { Principal } from '@pruefpfad/domain';
import { APP_CONFIG } from '../runtime/tokens.js';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { renderTrendCsv } from './trend-csv.js';
import { TrendQueryDto } from './trend-query.dto.js';
import { TrendsQueries, type TrendView } from './trends.queries.js';

/** Trends over months and quarters from anonymous aggregate cells: never per employee (000:73). */
@ApiTags('Entwicklungen / trends')
@ApiBearerAuth()
@Controller('api/v1')
export class TrendsController {
  constructor(
    private readonly queries: TrendsQueries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('trends')
  @Action('trends.read')
  async trends(@CurrentPrincipal() principal: Principal, @Query() query: TrendQueryDto): Promise<TrendView> {
    return this.queries.trends(principal, query);
  }

  @Get('trends.csv')
  @Action('trends.read')
  @ApiProduces('text/csv')
  async csv(@CurrentPrincipal() principal: Principal, @Query() query: TrendQueryDto): Promise<StreamableFile> {
    const view = await this.queries.trends(principal, query);
    const name = `trends-${view.scope.replace(':', '-')}-${view.from}-${view.to}-${view.granularity}`;
    return new StreamableFile(Buffer.from(renderTrendCsv(view, this.config.minCellCount), 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}.csv"`,
    });
  }
}
