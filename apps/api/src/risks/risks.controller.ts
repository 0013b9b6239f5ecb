import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type CommandResult, type IdGenerator, NotFoundError, type StreamReader } from '@pruefpfad/application';
import {
  AccessDeniedError,
  type Action as PolicyAction,
  areaRiskAnalysisId,
  decide,
  type Principal,
  type Resource,
} from '@pruefpfad/domain';
import type { AggregateType } from '@pruefpfad/application';
import type { DomainEvent } from '@pruefpfad/domain';
import { asOfCut, AsOfQueryDto } from '../audit/audit.dto.js';
import { commandContext } from '../commands/command-context.js';
import { parseIfMatch, setEtag } from '../commands/etag.js';
import { ExecuteCommand } from '../commands/execute-command.js';
import { parseQuarter } from '../reports/period.params.js';
import { csvDownload, pdfDownload } from '../reports/report-http.js';
import { CLOCK, ID_GENERATOR, STREAM_STATES } from '../runtime/tokens.js';
import type { Clock } from '@pruefpfad/application';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { areaRiskAnalysisAggregate, riskAggregate, riskMatrixAggregate } from './risk.aggregate.js';
import {
  AssessRiskDto,
  ConsolidateAnalysisDto,
  DecideTreatmentDto,
  IdentifyRiskDto,
  RiskClosureDto,
  SetRiskMatrixDto,
} from './risk.dto.js';
import { printableRiskReport } from './risk-report.js';
import { RISK_RULES_IN_FORCE, type RiskRulesInForce } from './risk-rules.provider.js';
import { RisksQueries } from './risks.queries.js';

type HeaderMap = Record<string, string | undefined>;

/**
 * The policy's answer for a resource of the caller's own tenant. The register is tenant-wide and every
 * role that maintains part of it reads all of it, and areas are no secret (programmes and who supervises
 * are visible to everyone, 000:77): a risk or area out of the caller's reach is refused with 403, not
 * hidden as 404 as a review of another team is. Another tenant's risk stays 404 (checked before).
 */
function assertPermitted(principal: Principal, action: PolicyAction, resource: Resource): void {
  const decision = decide(principal, action, resource);
  if (decision.allowed) return;
  throw new AccessDeniedError(decision.reason === 'not-found' ? 'forbidden' : decision.reason, action);
}
const IF_MATCH = { name: 'If-Match', required: false, description: 'ETag der gelesenen Revision / ETag last read' };
const IDEMPOTENCY = { name: 'Idempotency-Key', required: false };

/**
 * The risk register (001:107–125): management's, maintained with the area heads. Identify and (re)assess
 * (area heads for their area), decide the strategy and close (management), the matrix with its appetite
 * line (management), the area head's consolidation of team reports, the heat map and list, the quarterly
 * report for the Trägerversammlung (PDF, CSV), and each risk's history and past states for auditors.
 */
@ApiTags('Risikomanagement / risk register')
@ApiBearerAuth()
@Controller('api/v1')
export class RisksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: RisksQueries,
    @Inject(RISK_RULES_IN_FORCE) private readonly rules: RiskRulesInForce,
    @Inject(STREAM_STATES) private readonly streams: StreamReader,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  // ---- reading ---------------------------------------------------------------------------------------

  @Get('risks')
  @Action('risk.read')
  @ApiQuery({ name: 'status', required: false, enum: ['open', 'closed'] })
  @ApiQuery({ name: 'areaId', required: false })
  @ApiQuery({ name: 'aboveAppetite', required: false, type: Boolean })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query('status') status?: string,
    @Query('areaId') areaId?: string,
    @Query('aboveAppetite') aboveAppetite?: string,
  ) {
    return {
      risks: await this.queries.list(principal, {
        ...(status === 'open' || status === 'closed' ? { status } : {}),
        ...(areaId ? { areaId } : {}),
        ...(aboveAppetite === 'true' || aboveAppetite === 'false' ? { aboveAppetite: aboveAppetite === 'true' } : {}),
      }),
    };
  }

  @Get('risk-matrix')
  @Action('risk.matrix.read')
  async matrix(@CurrentPrincipal() principal: Principal) {
    return this.queries.matrix(principal.tenant);
  }

  @Get('risks/heat-map')
  @Action('risk.read')
  async heatMap(@CurrentPrincipal() principal: Principal) {
    return this.queries.heatMap(principal);
  }

  @Get('risk-analyses/:year/Q:quarter')
  @Action('risk.analysis.read')
  async analyses(
    @CurrentPrincipal() principal: Principal,
    @Param('year') year: string,
    @Param('quarter') quarter: string,
  ) {
    const period = parseQuarter(year, quarter);
    return { analyses: await this.queries.analyses(principal, period.year, period.quarter) };
  }

  @Get('risk-reports/:year/Q:quarter.pdf')
  @Action('risk.report.read')
  @ApiProduces('application/pdf')
  async reportPdf(
    @CurrentPrincipal() principal: Principal,
    @Param('year') year: string,
    @Param('quarter') quarter: string,
  ): Promise<StreamableFile> {
    return pdfDownload(await this.report(principal, year, quarter), this.clock.now());
  }

  @Get('risk-reports/:year/Q:quarter.csv')
  @Action('risk.report.read')
  @ApiProduces('text/csv')
  async reportCsv(
    @CurrentPrincipal() principal: Principal,
    @Param('year') year: string,
    @Param('quarter') quarter: string,
  ): Promise<StreamableFile> {
    return csvDownload(await this.report(principal, year, quarter));
  }

  @Get('risks/:id')
  @Action('risk.read')
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) riskId: string,
    @Res({ passthrough: true }) response: Response,
  ) {
    const view = await this.queries.get(principal, riskId);
    setEtag(response, view.streamRevision);
    return view;
  }

  @Get('risks/:id/history')
  @Action('risk.history.read')
  async history(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) riskId: string) {
    return this.queries.history(principal, riskId);
  }

  @Get('risks/:id/as-of')
  @Action('risk.history.read')
  async asOf(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) riskId: string,
    @Query() query: AsOfQueryDto,
  ) {
    return this.queries.asOf(principal, riskId, asOfCut(query));
  }

  // ---- writing ---------------------------------------------------------------------------------------

  @Post('risks')
  @Action('risk.maintain')
  @ApiHeader(IDEMPOTENCY)
  async identify(
    @CurrentPrincipal() principal: Principal,
    @Body() body: IdentifyRiskDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    const areaId = body.areaId ?? null;
    assertPermitted(principal, 'risk.maintain', {
      tenant: principal.tenant,
      ...(areaId === null ? {} : { unit: areaId }),
    });
    const riskId = this.ids.next();
    const result = await this.execute(riskAggregate, riskId, principal, headers, response, {
      type: 'IdentifyRisk',
      riskId,
      title: body.title,
      description: body.description,
      source: {
        kind: body.source.kind,
        ...(body.source.auditor === undefined ? {} : { auditor: body.source.auditor }),
        ...(body.source.reference === undefined ? {} : { reference: body.source.reference }),
      },
      areaId,
      process: body.process,
      links: {
        defectCategories: body.links?.defectCategories ?? [],
        trends: body.links?.trends ?? [],
        teamReports: body.links?.teamReports ?? [],
        measures: body.links?.measures ?? [],
      },
      reason: body.reason,
    });
    response.status(201).setHeader('Location', `/api/v1/risks/${riskId}`);
    return result;
  }

  @Post('risks/:id/assessments')
  @Action('risk.maintain')
  @ApiHeader(IF_MATCH)
  @ApiHeader(IDEMPOTENCY)
  async assess(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) riskId: string,
    @Body() body: AssessRiskDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    await this.assertRisk(principal, riskId, 'risk.maintain');
    const matrix = await this.queries.matrix(principal.tenant);
    const result = await this.execute(riskAggregate, riskId, principal, headers, response, {
      type: 'AssessRisk',
      riskId,
      impact: body.impact,
      likelihood: body.likelihood,
      matrix: matrix.matrix,
      matrixRevision: matrix.revision,
      reassessMonths: this.rules.reassessMonths,
      reason: body.reason,
    });
    response.status(201);
    return result;
  }

  @Post('risks/:id/treatment')
  @HttpCode(200)
  @Action('risk.decide')
  @ApiHeader(IF_MATCH)
  @ApiHeader(IDEMPOTENCY)
  async decide(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) riskId: string,
    @Body() body: DecideTreatmentDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    await this.assertRisk(principal, riskId, 'risk.decide');
    return this.execute(riskAggregate, riskId, principal, headers, response, {
      type: 'DecideRiskTreatment',
      riskId,
      strategy: body.strategy,
      measureIds: body.measureIds ?? [],
      transferTo: body.transferTo ?? null,
      recheckOn: body.recheckOn ?? null,
      againstAppetite: body.againstAppetite === true,
      // Bounded like a suspended routine's re-check (the same configured maximum).
      maxRecheckMonths: this.rules.maxRecheckMonths,
      reason: body.reason,
    });
  }

  @Post('risks/:id/closure')
  @HttpCode(200)
  @Action('risk.decide')
  @ApiHeader(IF_MATCH)
  @ApiHeader(IDEMPOTENCY)
  async close(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) riskId: string,
    @Body() body: RiskClosureDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    await this.assertRisk(principal, riskId, 'risk.decide');
    return this.execute(riskAggregate, riskId, principal, headers, response, {
      type: 'CloseRisk',
      riskId,
      reason: body.reason,
    });
  }

  @Put('risk-matrix')
  @Action('risk.matrix.set')
  @ApiHeader(IF_MATCH)
  @ApiHeader(IDEMPOTENCY)
  async setMatrix(
    @CurrentPrincipal() principal: Principal,
    @Body() body: SetRiskMatrixDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    assertPermitted(principal, 'risk.matrix.set', { tenant: principal.tenant });
    const { reason, ...matrix } = body;
    return this.execute(riskMatrixAggregate, principal.tenant, principal, headers, response, {
      type: 'SetRiskMatrix',
      matrix: {
        impact: matrix.impact.map(({ level, de, en }) => ({ level, de, en })),
        likelihood: matrix.likelihood.map(({ level, de, en }) => ({ level, de, en })),
        appetite: {
          maxAcceptedScore: matrix.appetite.maxAcceptedScore,
          alwaysTreatFromImpact: matrix.appetite.alwaysTreatFromImpact ?? null,
        },
      },
      reason,
    });
  }

  @Put('risk-analyses/:areaId/:year/Q:quarter')
  @Action('risk.analysis.consolidate')
  @ApiHeader(IDEMPOTENCY)
  async consolidate(
    @CurrentPrincipal() principal: Principal,
    @Param('areaId') areaId: string,
    @Param('year') year: string,
    @Param('quarter') quarter: string,
    @Body() body: ConsolidateAnalysisDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    const period = parseQuarter(year, quarter);
    assertPermitted(principal, 'risk.analysis.consolidate', { tenant: principal.tenant, unit: areaId });
    return this.execute(
      areaRiskAnalysisAggregate,
      areaRiskAnalysisId(areaId, period.year, period.quarter),
      principal,
      headers,
      response,
      {
        type: 'ConsolidateAreaRiskAnalysis',
        areaId,
        year: period.year,
        quarter: period.quarter,
        teamReports: body.teamReports,
        riskIds: body.riskIds ?? [],
        summary: body.summary,
        reason: body.reason,
      },
    );
  }

  // ---- helpers ---------------------------------------------------------------------------------------

  private async report(principal: Principal, year: string, quarter: string) {
    const period = parseQuarter(year, quarter);
    const [risks, heatMap] = await Promise.all([this.queries.list(principal, {}), this.queries.heatMap(principal)]);
    return printableRiskReport(principal.tenant, period.year, period.quarter, risks, heatMap);
  }

  /** The risk of the caller's tenant in reach for `action` (its area for area heads), or 404. */
  private async assertRisk(principal: Principal, riskId: string, action: 'risk.maintain' | 'risk.decide') {
    const loaded = await this.streams.read(riskAggregate, riskId);
    if (loaded === null || loaded.tenant !== principal.tenant || loaded.state.status === 'none')
      throw new NotFoundError(`risk ${riskId}`);
    const { areaId } = loaded.state;
    assertPermitted(principal, action, { tenant: principal.tenant, ...(areaId === null ? {} : { unit: areaId }) });
  }

  private async execute<C, S, E extends DomainEvent>(
    aggregate: AggregateType<C, S, E>,
    aggregateId: string,
    principal: Principal,
    headers: HeaderMap,
    response: Response,
    command: C,
  ): Promise<CommandResult> {
    const expectedRevision = parseIfMatch(headers['if-match']);
    const result = await this.commands.execute(
      new ExecuteCommand(aggregate, {
        aggregateId,
        ...(expectedRevision === undefined ? {} : { expectedRevision }),
        command,
        context: commandContext(principal, headers),
      }),
    );
    setEtag(response, result.revision);
    return result;
  }
}
