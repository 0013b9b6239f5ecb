import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Res, StreamableFile } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type Clock, type CommandResult, NotFoundError } from '@pruefpfad/application';
import { assertCanAccess, LEGAL_UNIT_ID, type Principal, reportId, reportKeyId } from '@pruefpfad/domain';
import type { Envelope } from '@pruefpfad/privacy';
import { commandContext } from '../commands/command-context.js';
import { CLOCK, ENVELOPE } from '../runtime/tokens.js';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { parseQuarter } from './period.params.js';
import { printableLegalReport, type PrintableReport } from './printable-report.js';
import { SubmitLegalReportDto } from './report.dto.js';
import { csvDownload, type HeaderMap, pdfDownload, submitReport } from './report-http.js';
import { ReportsQueries, type LegalReportView } from './reports.queries.js';
import { TeamFiguresQueries } from './team-figures.queries.js';

/**
 * The legal department's quarterly report to the area heads (000:99–103): findings from appeals,
 * lawsuits and case law, or the mandatory explicit nil report ("Fehlanzeige ist erforderlich").
 */
@ApiTags('Quartalsberichte / quarterly reports')
@ApiBearerAuth()
@Controller('api/v1/legal/reports')
export class LegalReportsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly reports: ReportsQueries,
    private readonly figures: TeamFiguresQueries,
    @Inject(ENVELOPE) private readonly envelope: Envelope,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post(':year/Q:quarter')
  @HttpCode(201)
  @Action('report.legal.submit')
  async submit(
    @CurrentPrincipal() principal: Principal,
    @Param('year') year: string,
    @Param('quarter') quarter: string,
    @Body() body: SubmitLegalReportDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    const period = parseQuarter(year, quarter);
    assertCanAccess(principal, 'report.legal.submit', { tenant: principal.tenant });
    const id = reportId(principal.tenant, LEGAL_UNIT_ID, period.year, period.quarter);
    const keyId = reportKeyId(id);
    const findings = await Promise.all(
      (body.findings ?? []).map(async (finding) => ({
        legalNorm: finding.legalNorm,
        reason: finding.reason,
        teamId: finding.teamId ?? null,
        upheldAppeals: finding.upheldAppeals,
        avoidable: finding.avoidable,
        note: finding.note === undefined ? null : await this.envelope.seal(keyId, finding.note),
      })),
    );
    return submitReport(
      this.commands,
      {
        type: 'SubmitLegalReport',
        reportId: id,
        unitId: LEGAL_UNIT_ID,
        year: period.year,
        quarter: period.quarter,
        nil: body.nil ?? false,
        findings,
        assessment: body.assessment === undefined ? null : await this.envelope.seal(keyId, body.assessment),
        dueDate: this.reports.legalDueDate(period.year, period.quarter),
      },
      commandContext(principal, headers),
      response,
      `/api/v1/legal/reports/${period.year}/Q${period.quarter}`,
    );
  }

  @Get(':year/Q:quarter.pdf')
  @Action('report.legal.read')
  @ApiProduces('application/pdf')
  async pdf(
    @CurrentPrincipal() principal: Principal,
    @Param('year') year: string,
    @Param('quarter') quarter: string,
  ): Promise<StreamableFile> {
    return pdfDownload(await this.printable(principal, year, quarter), this.clock.now());
  }

  @Get(':year/Q:quarter.csv')
  @Action('report.legal.read')
  @ApiProduces('text/csv')
  async csv(
    @CurrentPrincipal() principal: Principal,
    @Param('year') year: string,
    @Param('quarter') quarter: string,
  ): Promise<StreamableFile> {
    return csvDownload(await this.printable(principal, year, quarter));
  }

  @Get(':year/Q:quarter')
  @Action('report.legal.read')
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('year') year: string,
    @Param('quarter') quarter: string,
  ): Promise<LegalReportView> {
    return this.find(principal, year, quarter);
  }

  private async printable(principal: Principal, year: string, quarter: string): Promise<PrintableReport> {
    return printableLegalReport(await this.find(principal, year, quarter), principal.tenant);
  }

  private async find(principal: Principal, year: string, quarter: string): Promise<LegalReportView> {
    const period = parseQuarter(year, quarter);
    assertCanAccess(principal, 'report.legal.read', { tenant: principal.tenant });
    const report = await this.reports.legalReport(principal.tenant, period.year, period.quarter);
    if (report === null) throw new NotFoundError(`legal report ${period.year}/Q${period.quarter}`);
    return report;
  }
}
