import { Controller, Get, Param, ParseUUIDPipe, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@pruefpfad/domain';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { csvDownload, jsonDownload } from './audit-export.js';
import { AuditExportsService } from './audit-exports.service.js';
import { AsOfQueryDto, asOfCut } from './audit.dto.js';
import { ReviewHistoryService, type ReviewHistory } from './review-history.service.js';
import { TimeTravelService, type AsOfView } from './time-travel.service.js';

/**
 * The record of one review for auditors and the review's readers: its history with the measures that
 * follow from it, its state as of a revision or an instant, and the export to file. Personal fields are
 * shown as the caller may see them (AuditPrivacy).
 */
@ApiTags('Prüfpfad / audit')
@ApiBearerAuth()
@Controller('api/v1/reviews')
export class ReviewAuditController {
  constructor(
    private readonly histories: ReviewHistoryService,
    private readonly timeTravel: TimeTravelService,
    private readonly exports: AuditExportsService,
  ) {}

  @Get(':id/history')
  @Action('audit.history.read')
  async history(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) reviewId: string,
  ): Promise<ReviewHistory> {
    return this.histories.history(principal, reviewId, 'audit.history.read');
  }

  @Get(':id/as-of')
  @Action('audit.history.read')
  async asOf(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) reviewId: string,
    @Query() query: AsOfQueryDto,
  ): Promise<AsOfView> {
    return this.timeTravel.review(principal, reviewId, asOfCut(query));
  }

  @Get(':id/audit-export.json')
  @Action('audit.export.read')
  @ApiProduces('application/json')
  async exportJson(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) reviewId: string,
  ): Promise<StreamableFile> {
    return jsonDownload(await this.exports.review(principal, reviewId), `pruefpfad-review-${reviewId}`);
  }

  @Get(':id/audit-export.csv')
  @Action('audit.export.read')
  @ApiProduces('text/csv')
  async exportCsv(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) reviewId: string,
  ): Promise<StreamableFile> {
    return csvDownload(await this.exports.review(principal, reviewId), `pruefpfad-review-${reviewId}`);
  }
}
