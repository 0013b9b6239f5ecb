import { Controller, Get, Param, ParseUUIDPipe, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@pruefpfad/domain';
import { parseQuarter } from '../reports/period.params.js';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { csvDownload, jsonDownload } from './audit-export.js';
import { AuditExportsService } from './audit-exports.service.js';
import { AuditSamplesService, type AuditedMonth } from './audit-samples.service.js';
import { AsOfQueryDto, AuditSamplesQueryDto, asOfCut } from './audit.dto.js';
import { ReviewHistoryService } from './review-history.service.js';
import { TimeTravelService, type AsOfView } from './time-travel.service.js';

/** Past states of programmes and questionnaires, sample verification by month, a unit's quarter to file. */
@ApiTags('Prüfpfad / audit')
@ApiBearerAuth()
@Controller('api/v1')
export class AuditController {
  constructor(
    private readonly timeTravel: TimeTravelService,
    private readonly samples: AuditSamplesService,
    private readonly exports: AuditExportsService,
    private readonly histories: ReviewHistoryService,
  ) {}

  @Get('programmes/:id/as-of')
  @Action('audit.as-of.read')
  async programmeAsOf(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) programmeId: string,
    @Query() query: AsOfQueryDto,
  ): Promise<AsOfView> {
    return this.timeTravel.programme(principal, programmeId, asOfCut(query));
  }

  @Get('questionnaires/:id/as-of')
  @Action('audit.as-of.read')
  async questionnaireAsOf(
    @CurrentPrincipal() principal: Principal,
    @Param('id') questionnaireId: string,
    @Query() query: AsOfQueryDto,
  ): Promise<AsOfView> {
    return this.timeTravel.questionnaire(principal, questionnaireId, asOfCut(query));
  }

  @Get('audit/samples')
  @Action('audit.samples.read')
  async samplesOfMonth(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AuditSamplesQueryDto,
  ): Promise<AuditedMonth> {
    return this.samples.month(principal, query.month);
  }

  @Get('audit/exports/:unitId/:year/Q:quarter.json')
  @Action('audit.export.read')
  @ApiProduces('application/json')
  async unitQuarterJson(
    @CurrentPrincipal() principal: Principal,
    @Param('unitId') unitId: string,
    @Param('year') year: string,
    @Param('quarter') quarter: string,
  ): Promise<StreamableFile> {
    const period = parseQuarter(year, quarter);
    const file = await this.exports.unitQuarter(principal, unitId, period.year, period.quarter);
    return jsonDownload(file, `pruefpfad-${unitId}-${period.year}-Q${period.quarter}`);
  }

  @Get('audit/exports/:unitId/:year/Q:quarter.csv')
  @Action('audit.export.read')
  @ApiProduces('text/csv')
  async unitQuarterCsv(
    @CurrentPrincipal() principal: Principal,
    @Param('unitId') unitId: string,
    @Param('year') year: string,
    @Param('quarter') quarter: string,
  ): Promise<StreamableFile> {
    const period = parseQuarter(year, quarter);
    const file = await this.exports.unitQuarter(principal, unitId, period.year, period.quarter);
    return csvDownload(file, `pruefpfad-${unitId}-${period.year}-Q${period.quarter}`);
  }
}
