import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Res, StreamableFile } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type Clock, type CommandResult, NotFoundError } from '@pruefpfad/application';
import { decide, type Principal, reportKeyId } from '@pruefpfad/domain';
import type { Envelope } from '@pruefpfad/privacy';
import { commandContext } from '../commands/command-context.js';
import { setEtag } from '../commands/etag.js';
import { ActingRights } from '../organisation/acting-rights.js';
import { CLOCK, ENVELOPE } from '../runtime/tokens.js';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { parseQuarter, type QuarterPeriod } from './period.params.js';
import { printableTeamReport, type PrintableReport } from './printable-report.js';
import { SubmitTeamReportDto } from './report.dto.js';
import { csvDownload, type HeaderMap, pdfDownload, submitReport } from './report-http.js';
import { ReportsQueries, type ReportDraft, type TeamReportView } from './reports.queries.js';
import { TeamFiguresQueries } from './team-figures.queries.js';

/**
 * The team lead's quarterly report (000:91): generated from the read models, completed with the
 * assessment and the anonymised descriptions of serious defects, submitted once, downloadable.
 */
@ApiTags('Quartalsberichte / quarterly reports')
@ApiBearerAuth()
@Controller('api/v1/teams/:teamId/reports')
export class TeamReportsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly rights: ActingRights,
    private readonly reports: ReportsQueries,
    private readonly figures: TeamFiguresQueries,
    @Inject(ENVELOPE) private readonly envelope: Envelope,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':year/Q:quarter/draft')
  @Action('report.draft')
  async draft(
    @CurrentPrincipal() principal: Principal,
    @Param('teamId') teamId: string,
    @Param('year') year: string,
    @Param('quarter') quarter: string,
  ): Promise<ReportDraft> {
    const period = parseQuarter(year, quarter);
    await this.rights.assertMayRead(principal, 'report.draft', principal.tenant, teamId);
    return this.teamDraft(principal.tenant, teamId, period);
  }

  @Post(':year/Q:quarter/submission')
  @HttpCode(201)
  @Action('report.submit')
  async submit(
    @CurrentPrincipal() principal: Principal,
    @Param('teamId') teamId: string,
    @Param('year') year: string,
    @Param('quarter') quarter: string,
    @Body() body: SubmitTeamReportDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    const period = parseQuarter(year, quarter);
    // Acting rights from the organisation's stream; then the figures the report freezes, from read models
    // that have caught up with every event stored so far (they are the legitimate source of the snapshot).
    const acting = await this.rights.assertMayAct(principal, 'report.submit', principal.tenant, teamId);
    await this.figures.awaitCurrent();
    const draft = await this.teamDraft(principal.tenant, teamId, period);
    const keyId = reportKeyId(draft.reportId);
    const seriousDefects = await Promise.all(
      body.seriousDefects.map(async (defect) => ({
        category: defect.category,
        legalNorm: defect.legalNorm ?? null,
        description: await this.envelope.seal(keyId, defect.description),
      })),
    );
    return submitReport(
      this.commands,
      {
        type: 'SubmitTeamReport',
        reportId: draft.reportId,
        unitId: teamId,
        areaId: acting.areaId,
        year: period.year,
        quarter: period.quarter,
        figures: draft.figures,
        seriousDefects,
        assessment: await this.envelope.seal(keyId, body.assessment),
        dueDate: draft.dueDate,
      },
      commandContext(principal, headers),
      response,
      `/api/v1/teams/${teamId}/reports/${period.year}/Q${period.quarter}`,
    );
  }

  // Declared before `:year/Q:quarter`, which would otherwise see `1.pdf` as the quarter.
  @Get(':year/Q:quarter.pdf')
  @Action('report.read')
  @ApiProduces('application/pdf')
  async pdf(
    @CurrentPrincipal() principal: Principal,
    @Param('teamId') teamId: string,
    @Param('year') year: string,
    @Param('quarter') quarter: string,
  ): Promise<StreamableFile> {
    return pdfDownload(await this.printable(principal, teamId, year, quarter), this.clock.now());
  }

  @Get(':year/Q:quarter.csv')
  @Action('report.read')
  @ApiProduces('text/csv')
  async csv(
    @CurrentPrincipal() principal: Principal,
    @Param('teamId') teamId: string,
    @Param('year') year: string,
    @Param('quarter') quarter: string,
  ): Promise<StreamableFile> {
    return csvDownload(await this.printable(principal, teamId, year, quarter));
  }

  @Get(':year/Q:quarter')
  @Action('report.read')
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('teamId') teamId: string,
    @Param('year') year: string,
    @Param('quarter') quarter: string,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TeamReportView> {
    const period = parseQuarter(year, quarter);
    await this.rights.assertMayRead(principal, 'report.read', principal.tenant, teamId);
    const report = await this.reports.ensureSubmittedTeamReport(principal.tenant, teamId, period.year, period.quarter);
    setEtag(response, report.revision);
    return report;
  }

  private async teamDraft(tenant: string, teamId: string, period: QuarterPeriod): Promise<ReportDraft> {
    return this.reports.draft(await this.rights.team(tenant, teamId), period.year, period.quarter);
  }

  /** The submitted report; before submission the draft, for those who may see drafts. */
  private async printable(
    principal: Principal,
    teamId: string,
    year: string,
    quarter: string,
  ): Promise<PrintableReport> {
    const period = parseQuarter(year, quarter);
    await this.rights.assertMayRead(principal, 'report.read', principal.tenant, teamId);
    const team = await this.rights.team(principal.tenant, teamId);
    const submitted = await this.reports.teamReport(principal.tenant, teamId, period.year, period.quarter);
    if (submitted !== null) return printableTeamReport(team.name, submitted, principal.tenant);
    if (!decide(principal, 'report.draft').allowed) throw new NotFoundError(`report ${teamId} ${year}/Q${quarter}`);
    await this.rights.assertMayRead(principal, 'report.draft', principal.tenant, teamId);
    const draft = await this.reports.draft(team, period.year, period.quarter);
    return printableTeamReport(team.name, draft, principal.tenant);
  }
}
