import { createHash } from 'node:crypto';
import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  PayloadTooLargeException,
  Post,
  Put,
  Query,
  Req,
  Res,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { type AppConfig, type CommandResult, NotFoundError, readStreamState } from '@pruefpfad/application';
import {
  computeIndicatorFigures,
  type IndicatorFigures,
  INDICATOR_KINDS,
  type IndicatorKind,
  indicatorMonthId,
  indicatorMonthKeyId,
  indicatorMonthStreamId,
  indicatorPercent,
  indicatorSettingsId,
  indicatorSettingsKeyId,
  lastDayOfMonth,
  type Principal,
  type Sealed,
  settingsInForce,
  suppressSmallCellsOfEach,
} from '@pruefpfad/domain';
import type { EventStore } from '@pruefpfad/event-store';
import type { Envelope } from '@pruefpfad/privacy';
import { INDICATOR_MONTHS, type IndicatorMonthDoc } from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { commandContext } from '../commands/command-context.js';
import { setEtag } from '../commands/etag.js';
import { ExecuteCommand } from '../commands/execute-command.js';
import { RequestValidationError } from '../errors/validation.js';
import { measureFacts } from '../measures/measure.facts.js';
import { AccessLog } from '../access-log/access-log.service.js';
import { ActingRights, type TeamContext } from '../organisation/acting-rights.js';
import { assertMonth } from '../reports/period.params.js';
import { RisksQueries } from '../risks/risks.queries.js';
import { APP_CONFIG, DOCUMENT_STORE, ENVELOPE, EVENT_STORE } from '../runtime/tokens.js';
import { assertCanAccess } from '../security/assert-can-access.js';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { indicatorMonthAggregate, indicatorSettingsAggregate } from './indicators.aggregates.js';
import {
  IndicatorImportQueryDto,
  IndicatorSettingsDto,
  ProposeTeamRiskDto,
  RateIndicatorDto,
} from './indicators.dto.js';
import { parseIndicatorCsv, parseIndicatorJson } from './indicator-parser.js';

type HeaderMap = Record<string, string | undefined>;
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

async function readText(request: Request): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.byteLength;
    if (size > MAX_IMPORT_BYTES) throw new PayloadTooLargeException('Die Datei ist zu groß. / The file is too large.');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The role a caller acts in for a team: deputy while deputising, the team lead of this team, else area head. */
function actingRole(principal: Principal, team: TeamContext): string {
  if (team.asDeputy) return 'deputy';
  if (principal.roles.includes('team_lead') && principal.units.includes(team.teamId)) return 'team_lead';
  if (principal.roles.includes('area_head')) return 'area_head';
  return principal.roles[0] ?? 'employee';
}

function assertIndicator(value: string): IndicatorKind {
  if ((INDICATOR_KINDS as readonly string[]).includes(value)) return value as IndicatorKind;
  throw new RequestValidationError([{ field: 'indicator', message: INDICATOR_KINDS.join(', ') }]);
}

/**
 * The monthly team indicators (004:100): import per team and month, the team lead's rating of each
 * indicator with the measures taken, the team's risk rated jointly by team lead and area head on the risk
 * matrix, and the area head's overview of the area's teams (small-cell rule) for the management dialogue.
 */
@ApiTags('Kennzahlen / indicators')
@ApiBearerAuth()
@Controller('api/v1')
export class IndicatorsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly acting: ActingRights,
    private readonly risks: RisksQueries,
    private readonly accessLog: AccessLog,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(ENVELOPE) private readonly envelope: Envelope,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('teams/:teamId/indicators/:month/import')
  @Action('indicators.import')
  @ApiConsumes('text/csv', 'application/json')
  @ApiBody({
    description:
      'CSV mit Spalte kind und den Datumsspalten der Regeln, oder JSON { rows }; fehlerhafte Zeilen werden mit ' +
      'Zeilennummer gemeldet, dann wird nichts importiert. / CSV with column kind and the dates the rules need, ' +
      'or JSON { rows }; malformed rows are reported with line numbers and nothing is imported.',
    schema: { type: 'string' },
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async import(
    @CurrentPrincipal() principal: Principal,
    @Param('teamId') teamId: string,
    @Param('month') monthParam: string,
    @Query() query: IndicatorImportQueryDto,
    @Req() request: Request,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult & { figures: IndicatorFigures }> {
    const month = assertMonth(monthParam);
    const team = await this.acting.assertMayAct(principal, 'indicators.import', principal.tenant, teamId);
    const type = request.is(['text/csv', 'application/json']);
    if (type !== 'text/csv' && type !== 'application/json')
      throw new UnsupportedMediaTypeException(
        'Erwartet text/csv oder application/json. / Expected text/csv or application/json.',
      );
    const content = type === 'text/csv' ? await readText(request) : (request.body as unknown);
    const { parsed, errors } = type === 'text/csv' ? parseIndicatorCsv(content as string) : parseIndicatorJson(content);
    if (parsed === null) throw new RequestValidationError(errors.slice(0, 100));
    const referenceDate = query.referenceDate ?? lastDayOfMonth(month);
    const settings = settingsInForce(
      (
        await readStreamState(
          this.eventStore,
          indicatorSettingsAggregate,
          indicatorSettingsId(principal.tenant, teamId),
        )
      )?.state ?? { status: 'default' },
    );
    const computed = computeIndicatorFigures(parsed.cases, referenceDate, settings);
    const figures: IndicatorFigures = {
      firstConsultation: computed.firstConsultation ?? parsed.counts.firstConsultation,
      counsellingContact: computed.counsellingContact ?? parsed.counts.counsellingContact,
      graduateManagement: computed.graduateManagement ?? parsed.counts.graduateManagement,
      counsellingCapacity: computed.counsellingCapacity,
    };
    const id = indicatorMonthId(principal.tenant, teamId, month);
    const fingerprint = createHash('sha256')
      .update(type === 'text/csv' ? (content as string) : JSON.stringify(content))
      // The settings the rules ran with count too: the same file under a newly agreed interval is a new import.
      .update(`\u0000${referenceDate}\u0000${JSON.stringify(settings)}`)
      .digest('hex');
    const reason =
      query.reason === undefined || query.reason.trim() === ''
        ? null
        : await this.envelope.seal(indicatorMonthKeyId(id), query.reason);
    const result = await this.execute(id, principal, headers, {
      type: 'ImportIndicatorData',
      areaId: team.areaId,
      teamId,
      month,
      referenceDate,
      source: parsed.hasCaseRows ? 'cases' : 'counts',
      rowCount: parsed.rowCount,
      fingerprint,
      settings,
      figures,
      reason,
      actingRole: actingRole(principal, team),
    });
    response.status(201).setHeader('Location', `/api/v1/teams/${teamId}/indicators/${month}`);
    setEtag(response, result.revision);
    return { ...result, figures };
  }

  @Get('teams/:teamId/indicators/:month')
  @Action('indicators.read')
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('teamId') teamId: string,
    @Param('month') month: string,
  ): Promise<IndicatorMonthView> {
    assertMonth(month);
    const team = await this.acting.assertMayRead(principal, 'indicators.read', principal.tenant, teamId);
    const doc = await this.doc(principal.tenant, teamId, month);
    const leadership = principal.roles.some((role) => ['team_lead', 'deputy', 'area_head'].includes(role));
    return this.view(doc, leadership, team);
  }

  @Post('teams/:teamId/indicators/:month/ratings/:indicator')
  @HttpCode(200)
  @Action('indicators.rate')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async rate(
    @CurrentPrincipal() principal: Principal,
    @Param('teamId') teamId: string,
    @Param('indicator') indicatorParam: string,
    @Param('month') month: string,
    @Body() body: RateIndicatorDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    assertMonth(month);
    const indicator = assertIndicator(indicatorParam);
    const team = await this.acting.assertMayAct(principal, 'indicators.rate', principal.tenant, teamId);
    const measureIds = body.measureIds ?? [];
    for (const [index, measureId] of measureIds.entries()) {
      const measure = await measureFacts(this.eventStore, principal.tenant, measureId);
      if (measure === null || measure.teamId !== teamId)
        throw new RequestValidationError([
          { field: `measureIds.${index}`, message: 'keine Maßnahme dieses Teams / not a measure of this team' },
        ]);
    }
    const id = indicatorMonthId(principal.tenant, teamId, month);
    const comment =
      body.comment === undefined || body.comment.trim() === ''
        ? null
        : await this.envelope.seal(indicatorMonthKeyId(id), body.comment);
    const result = await this.execute(id, principal, headers, {
      type: 'RateIndicator',
      indicator,
      rating: body.rating,
      comment,
      measureIds,
      actingRole: actingRole(principal, team),
    });
    setEtag(response, result.revision);
    return result;
  }

  @Post('teams/:teamId/indicators/:month/risk')
  @HttpCode(200)
  @Action('indicators.risk')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async proposeRisk(
    @CurrentPrincipal() principal: Principal,
    @Param('teamId') teamId: string,
    @Param('month') month: string,
    @Body() body: ProposeTeamRiskDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    assertMonth(month);
    const team = await this.acting.assertMayAct(principal, 'indicators.risk', principal.tenant, teamId);
    const id = indicatorMonthId(principal.tenant, teamId, month);
    const reason = body.reason.trim() === '' ? null : await this.envelope.seal(indicatorMonthKeyId(id), body.reason);
    // The risk register's matrix in force (management's, else the default), as every risk is placed on it.
    const { matrix } = await this.risks.matrix(principal.tenant);
    const result = await this.execute(id, principal, headers, {
      type: 'ProposeTeamRisk',
      matrix,
      assessment: { impact: body.impact, likelihood: body.likelihood },
      reason,
      actingRole: actingRole(principal, team),
    });
    setEtag(response, result.revision);
    return result;
  }

  @Post('teams/:teamId/indicators/:month/risk/confirmation')
  @HttpCode(200)
  @Action('indicators.risk')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async confirmRisk(
    @CurrentPrincipal() principal: Principal,
    @Param('teamId') teamId: string,
    @Param('month') month: string,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    assertMonth(month);
    const team = await this.acting.assertMayAct(principal, 'indicators.risk', principal.tenant, teamId);
    const result = await this.execute(indicatorMonthId(principal.tenant, teamId, month), principal, headers, {
      type: 'ConfirmTeamRisk',
      actingRole: actingRole(principal, team),
    });
    setEtag(response, result.revision);
    return result;
  }

  @Put('teams/:teamId/indicator-settings')
  @Action('indicators.settings')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async agreeSettings(
    @CurrentPrincipal() principal: Principal,
    @Param('teamId') teamId: string,
    @Body() body: IndicatorSettingsDto,
    @Headers() headers: HeaderMap,
  ): Promise<CommandResult> {
    const team = await this.acting.assertMayAct(principal, 'indicators.settings', principal.tenant, teamId);
    const id = indicatorSettingsId(principal.tenant, teamId);
    const reason = body.reason.trim() === '' ? null : await this.envelope.seal(indicatorSettingsKeyId(id), body.reason);
    return this.commands.execute(
      new ExecuteCommand(indicatorSettingsAggregate, {
        aggregateId: id,
        command: {
          type: 'AgreeIndicatorSettings',
          areaId: team.areaId,
          teamId,
          settings: {
            contactIntervalMonths: body.contactIntervalMonths,
            counsellingSharePercent: body.counsellingSharePercent ?? 60,
            slotMinutes: body.slotMinutes ?? 60,
          },
          reason,
          actingRole: actingRole(principal, team),
        },
        context: commandContext(principal, headers),
      }),
    );
  }

  @Get('teams/:teamId/indicator-settings')
  @Action('indicators.read')
  async settings(@CurrentPrincipal() principal: Principal, @Param('teamId') teamId: string) {
    await this.acting.assertMayRead(principal, 'indicators.read', principal.tenant, teamId);
    const loaded = await readStreamState(
      this.eventStore,
      indicatorSettingsAggregate,
      indicatorSettingsId(principal.tenant, teamId),
    );
    return { teamId, agreed: loaded !== null, settings: settingsInForce(loaded?.state ?? { status: 'default' }) };
  }

  /**
   * The area's teams in a month for the management dialogue (004:100): per team the percentages, ratings
   * and the joint risk; figures of a team with fewer eligible cases than PRUEFPFAD_MIN_CELL_COUNT (and any
   * cell that would reveal one) are suppressed, since they leave the team. No comments, no cases.
   */
  @Get('areas/:areaId/indicators/:month')
  @Action('indicators.overview')
  async overview(
    @CurrentPrincipal() principal: Principal,
    @Param('areaId') areaId: string,
    @Param('month') month: string,
  ): Promise<AreaIndicatorOverview> {
    assertMonth(month);
    assertCanAccess(principal, 'indicators.overview', { tenant: principal.tenant, unit: areaId });
    const docs = (await this.documents.find(INDICATOR_MONTHS, {
      tenant: principal.tenant,
      areaId,
      month,
    })) as IndicatorMonthDoc[];
    docs.sort((a, b) => a.teamId.localeCompare(b.teamId));
    const shares: IndicatorKind[] = ['first-consultation', 'counselling-contact', 'graduate-management'];
    // Per indicator over the area's teams: a team with fewer eligible cases than the minimum is hidden,
    // and another cell as cover where one hidden cell could be worked back from the area's figure.
    const suppression = shares.map((kind) =>
      suppressSmallCellsOfEach(
        docs.map((doc) => {
          const figure =
            kind === 'first-consultation'
              ? doc.figures.firstConsultation
              : kind === 'counselling-contact'
                ? doc.figures.counsellingContact
                : doc.figures.graduateManagement;
          // An indicator not supplied is no cell: nothing is shown for it anyway.
          return [figure?.eligible ?? 0];
        }),
        this.config.minCellCount,
      ),
    );
    return {
      areaId,
      month,
      minCellCount: this.config.minCellCount,
      teams: docs.map((doc, row) => ({
        teamId: doc.teamId,
        referenceDate: doc.referenceDate,
        indicators: INDICATOR_KINDS.map((kind) => {
          const shareIndex = shares.indexOf(kind);
          const hidden = shareIndex >= 0 && suppression[shareIndex]!.cells[row] === true;
          const rating = doc.ratings[kind];
          return {
            indicator: kind,
            suppressed: hidden,
            percent: hidden ? null : indicatorPercent(doc.figures, kind),
            rating: rating?.rating ?? null,
            ratingCurrent: rating === undefined ? null : rating.importNumber === doc.importNumber,
          };
        }),
        teamRisk: doc.teamRisk && {
          impact: doc.teamRisk.placement.impact,
          likelihood: doc.teamRisk.placement.likelihood,
          score: doc.teamRisk.placement.score,
          aboveAppetite: doc.teamRisk.placement.aboveAppetite,
        },
        riskProposed: doc.riskProposal !== null,
      })),
    };
  }

  private async doc(tenant: string, teamId: string, month: string): Promise<IndicatorMonthDoc> {
    const doc = (await this.documents.get(
      INDICATOR_MONTHS,
      indicatorMonthId(tenant, teamId, month),
    )) as IndicatorMonthDoc | null;
    if (doc === null) throw new NotFoundError(`indicators ${teamId} ${month}`);
    return doc;
  }

  private async view(doc: IndicatorMonthDoc, openComments: boolean, team: TeamContext): Promise<IndicatorMonthView> {
    // Sealed free text is opened only for the team's leadership; a destroyed key reads as null. What is
    // opened is recorded in the access log (the month's id and field names, never the text).
    const opened = new Set<string>();
    const open = async (sealed: Sealed | null, field: string): Promise<string | null> => {
      if (!openComments || sealed === null) return null;
      opened.add(field);
      const value = await this.envelope.openOrNull(sealed);
      return typeof value === 'string' ? value : null;
    };
    const view: IndicatorMonthView = {
      teamId: team.teamId,
      areaId: doc.areaId,
      month: doc.month,
      referenceDate: doc.referenceDate,
      importNumber: doc.importNumber,
      source: doc.source,
      rowCount: doc.rowCount,
      importedAt: doc.importedAt,
      settings: doc.settings,
      figures: doc.figures,
      indicators: await Promise.all(
        INDICATOR_KINDS.map(async (kind) => {
          const rating = doc.ratings[kind];
          return {
            indicator: kind,
            percent: indicatorPercent(doc.figures, kind),
            rating: rating
              ? {
                  rating: rating.rating,
                  current: rating.importNumber === doc.importNumber,
                  comment: await open(rating.comment, 'ratings.comment'),
                  measureIds: rating.measureIds,
                  ratedAt: rating.ratedAt,
                  ratedByRole: rating.ratedByRole,
                }
              : null,
          };
        }),
      ),
      riskProposal: doc.riskProposal && {
        placement: doc.riskProposal.placement,
        proposedByRole: doc.riskProposal.proposedByRole,
        reason: await open(doc.riskProposal.reason, 'riskProposal.reason'),
      },
      teamRisk: doc.teamRisk,
      revision: doc.streamRevision,
    };
    // The team's monthly evaluation is the team lead's report of the month (004:100): logged as a team
    // report read, the resource named by the month's stream.
    if (opened.size > 0)
      this.accessLog.note({
        purpose: 'team-report',
        resources: [{ kind: 'report', id: indicatorMonthStreamId(doc._id), reviewId: null }],
        fields: [...opened],
      });
    return view;
  }

  private execute(
    id: string,
    principal: Principal,
    headers: HeaderMap,
    command: Parameters<typeof indicatorMonthAggregate.decider.decide>[0],
  ): Promise<CommandResult> {
    return this.commands.execute(
      new ExecuteCommand(indicatorMonthAggregate, {
        aggregateId: id,
        command,
        context: commandContext(principal, headers),
      }),
    );
  }
}

export interface IndicatorMonthView {
  readonly teamId: string;
  readonly areaId: string;
  readonly month: string;
  readonly referenceDate: string;
  readonly importNumber: number;
  readonly source: IndicatorMonthDoc['source'];
  readonly rowCount: number;
  readonly importedAt: string;
  readonly settings: IndicatorMonthDoc['settings'];
  readonly figures: IndicatorFigures;
  readonly indicators: readonly {
    readonly indicator: IndicatorKind;
    readonly percent: number | null;
    readonly rating: {
      readonly rating: string;
      readonly current: boolean;
      readonly comment: string | null;
      readonly measureIds: readonly string[];
      readonly ratedAt: string;
      readonly ratedByRole: string;
    } | null;
  }[];
  readonly riskProposal: { placement: unknown; proposedByRole: string; reason: string | null } | null;
  readonly teamRisk: IndicatorMonthDoc['teamRisk'];
  readonly revision: number;
}

export interface AreaIndicatorOverview {
  readonly areaId: string;
  readonly month: string;
  readonly minCellCount: number;
  readonly teams: readonly {
    readonly teamId: string;
    readonly referenceDate: string;
    readonly indicators: readonly {
      readonly indicator: IndicatorKind;
      readonly suppressed: boolean;
      readonly percent: number | null;
      readonly rating: string | null;
      readonly ratingCurrent: boolean | null;
    }[];
    readonly teamRisk: { impact: number; likelihood: number; score: number; aboveAppetite: boolean } | null;
    readonly riskProposed: boolean;
  }[];
}
