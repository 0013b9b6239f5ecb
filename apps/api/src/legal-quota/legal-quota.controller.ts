import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { berlinDate, type Clock, type CommandResult } from '@pruefpfad/application';
import {
  addMonths,
  assertCanAccess,
  type LegalQuotaCommand,
  legalQuotaId,
  legalQuotaKeyId,
  type LegalQuotaRowInput,
  type Principal,
} from '@pruefpfad/domain';
import type { Envelope } from '@pruefpfad/privacy';
import { commandContext } from '../commands/command-context.js';
import { parseIfMatch, setEtag } from '../commands/etag.js';
import { ExecuteCommand } from '../commands/execute-command.js';
import { RequestValidationError } from '../errors/validation.js';
import { assertMonth } from '../reports/period.params.js';
import { CLOCK, ENVELOPE } from '../runtime/tokens.js';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import {
  CorrectLegalQuotaDto,
  type LegalQuotaRowDto,
  QuotaTrendQueryDto,
  RecordLegalQuotaDto,
} from './legal-quota.dto.js';
import { legalQuotaAggregate } from './legal-quota.aggregate.js';
import {
  LegalQuotaQueries,
  MAX_TREND_MONTHS,
  monthsBetween,
  type QuotaAudience,
  type QuotaMonthView,
  type QuotaTrendView,
} from './legal-quota.queries.js';

type HeaderMap = Record<string, string | undefined>;

const IF_MATCH = { name: 'If-Match', required: false, description: 'ETag der gelesenen Revision / ETag last read' };

const rowInput = (row: LegalQuotaRowDto): LegalQuotaRowInput => ({
  legalNorm: row.legalNorm,
  teamId: row.teamId ?? null,
  settled: row.settled,
  upheldFully: row.upheldFully,
  upheldPartly: row.upheldPartly,
  avoidableTotal: row.avoidable,
  avoidable: {
    documentation: row.avoidableByReason.documentation,
    'application-of-law': row.avoidableByReason['application-of-law'],
    'fact-finding': row.avoidableByReason['fact-finding'],
  },
});

export const audienceOf = (principal: Principal): QuotaAudience =>
  principal.roles.includes('legal') ? 'legal' : 'outside';

/**
 * The legal department's monthly appeal figures and the avoidable-appeal quota (Widerspruchsquote,
 * 001:252–280): recorded once per month, corrected with a reason, read per month and as a trend.
 */
@ApiTags('Widerspruchsquote / legal quota')
@ApiBearerAuth()
@Controller('api/v1/legal/quota')
export class LegalQuotaController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: LegalQuotaQueries,
    @Inject(ENVELOPE) private readonly envelope: Envelope,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Action('legal-quota.read')
  async trend(@CurrentPrincipal() principal: Principal, @Query() query: QuotaTrendQueryDto): Promise<QuotaTrendView> {
    assertCanAccess(principal, 'legal-quota.read', { tenant: principal.tenant });
    const to = query.to ?? berlinDate(this.clock.now()).slice(0, 7);
    const from = query.from ?? addMonths(to, -11);
    if (from > to) throw new RequestValidationError([{ field: 'from', message: 'nicht nach / not after `to`' }]);
    if (monthsBetween(from, to).length > MAX_TREND_MONTHS)
      throw new RequestValidationError([
        { field: 'from', message: `höchstens ${MAX_TREND_MONTHS} Monate / at most ${MAX_TREND_MONTHS} months` },
      ]);
    return this.queries.trend(principal.tenant, from, to);
  }

  @Get(':month')
  @Action('legal-quota.read')
  async month(
    @CurrentPrincipal() principal: Principal,
    @Param('month') month: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<QuotaMonthView> {
    assertMonth(month);
    assertCanAccess(principal, 'legal-quota.read', { tenant: principal.tenant });
    const view = await this.queries.month(principal.tenant, month, audienceOf(principal));
    setEtag(response, view.revision);
    return view;
  }

  @Post(':month')
  @HttpCode(201)
  @Action('legal-quota.record')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async record(
    @CurrentPrincipal() principal: Principal,
    @Param('month') month: string,
    @Body() body: RecordLegalQuotaDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    assertMonth(month);
    assertCanAccess(principal, 'legal-quota.record', { tenant: principal.tenant });
    const rows = await this.checkedRows(principal, body.rows);
    const id = legalQuotaId(principal.tenant, month);
    const result = await this.execute(principal, headers, response, {
      type: 'RecordLegalQuotaFigures',
      quotaId: id,
      month,
      rows,
    });
    response.setHeader('Location', `/api/v1/legal/quota/${month}`);
    return result;
  }

  @Post(':month/corrections')
  @HttpCode(200)
  @Action('legal-quota.correct')
  @ApiHeader(IF_MATCH)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async correct(
    @CurrentPrincipal() principal: Principal,
    @Param('month') month: string,
    @Body() body: CorrectLegalQuotaDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    assertMonth(month);
    assertCanAccess(principal, 'legal-quota.correct', { tenant: principal.tenant });
    const rows = await this.checkedRows(principal, body.rows);
    const id = legalQuotaId(principal.tenant, month);
    return this.execute(principal, headers, response, {
      type: 'CorrectLegalQuotaFigures',
      quotaId: id,
      month,
      rows,
      reason: await this.envelope.seal(legalQuotaKeyId(id), body.reason),
    });
  }

  /** Teams named must exist in the organisation (400 naming the row otherwise). */
  private async checkedRows(principal: Principal, rows: readonly LegalQuotaRowDto[]): Promise<LegalQuotaRowInput[]> {
    const known = await this.queries.teamIds(principal.tenant);
    const errors = rows.flatMap((row, index) =>
      row.teamId === undefined || row.teamId === null || known.has(row.teamId)
        ? []
        : [{ field: `rows.${index}.teamId`, message: 'unbekanntes Team / unknown team' }],
    );
    if (errors.length > 0) throw new RequestValidationError(errors);
    return rows.map(rowInput);
  }

  private async execute(
    principal: Principal,
    headers: HeaderMap,
    response: Response,
    command: LegalQuotaCommand,
  ): Promise<CommandResult> {
    const expectedRevision = parseIfMatch(headers['if-match']);
    const result = await this.commands.execute(
      new ExecuteCommand(legalQuotaAggregate, {
        aggregateId: command.quotaId,
        ...(expectedRevision === undefined ? {} : { expectedRevision }),
        command,
        context: commandContext(principal, headers),
      }),
    );
    setEtag(response, result.revision);
    return result;
  }
}
