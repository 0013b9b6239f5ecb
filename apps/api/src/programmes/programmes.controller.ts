import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type CommandResult, DEFAULT_RULES, type IdGenerator, type StreamStates } from '@pruefpfad/application';
import type { Principal, ProgrammeSettings } from '@pruefpfad/domain';
import type { Envelope } from '@pruefpfad/privacy';
import { ExecuteCommand } from '../commands/execute-command.js';
import { parseIfMatch, setEtag } from '../commands/etag.js';
import { commandContext } from '../commands/command-context.js';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { assertCanAccess } from '../security/assert-can-access.js';
import { ENVELOPE, ID_GENERATOR, STREAM_STATES } from '../runtime/tokens.js';
import { DefineProgrammeDto, ReviseProgrammeDto } from './programme.dto.js';
import { programmeAggregate, programmeKeyId } from './programme.aggregate.js';
import { programmeFacts } from './programme.facts.js';
import { ProgrammesQueries, type ProgrammeView } from './programmes.queries.js';

@ApiTags('Prüfpläne / programmes')
@ApiBearerAuth()
@Controller('api/v1/programmes')
export class ProgrammesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ProgrammesQueries,
    @Inject(STREAM_STATES) private readonly streams: StreamStates,
    @Inject(ENVELOPE) private readonly envelope: Envelope,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  @Post()
  @Action('programme.define')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async define(
    @CurrentPrincipal() principal: Principal,
    @Body() body: DefineProgrammeDto,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    assertCanAccess(principal, 'programme.define', { tenant: principal.tenant, unit: body.settings.areaId });
    const programmeId = this.ids.next();
    const defaults = DEFAULT_RULES.programme;
    const settings: ProgrammeSettings = {
      title: body.settings.title,
      areaId: body.settings.areaId,
      customerProcess: body.settings.customerProcess,
      questionnaireId: body.settings.questionnaireId ?? null,
      minimumCasesPerTeamLead: body.settings.minimumCasesPerTeamLead ?? defaults.minimumCasesPerTeamLead,
      drawnBy: body.settings.drawnBy ?? defaults.drawnBy,
      errorRatePolicy:
        body.settings.errorRatePolicy === undefined
          ? defaults.errorRatePolicy
          : body.settings.errorRatePolicy.kind === 'collect'
            ? { kind: 'collect', tolerancePercent: body.settings.errorRatePolicy.tolerancePercent ?? 10 }
            : { kind: 'none' },
      reviewDeadlineDaysAfterMonth: body.settings.reviewDeadlineDaysAfterMonth ?? defaults.reviewDeadlineDaysAfterMonth,
      retentionMonths: body.settings.retentionMonths ?? defaults.retentionMonths,
      reportDueDay: body.settings.reportDueDay ?? defaults.reportDueDay,
      deputiesReview: body.settings.deputiesReview ?? defaults.deputiesReview,
      excludeDrawnWithinMonths: body.settings.excludeDrawnWithinMonths ?? defaults.excludeDrawnWithinMonths,
      coverageRule: body.settings.coverageRule ?? defaults.coverageRule,
      section16aConsent: body.settings.section16aConsent
        ? { date: body.settings.section16aConsent.date, decision: body.settings.section16aConsent.decision }
        : defaults.section16aConsent,
    };
    const note = body.note === undefined ? null : await this.envelope.seal(programmeKeyId(programmeId), body.note);
    const result = await this.commands.execute(
      new ExecuteCommand(programmeAggregate, {
        aggregateId: programmeId,
        command: { type: 'DefineProgramme', programmeId, settings, reason: body.reason, note },
        context: commandContext(principal, headers),
      }),
    );
    response.status(201).setHeader('Location', `/api/v1/programmes/${programmeId}`);
    setEtag(response, result.revision);
    return result;
  }

  @Post(':id/revisions')
  @HttpCode(200)
  @Action('programme.revise')
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag der gelesenen Revision / ETag last read' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async revise(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) programmeId: string,
    @Body() body: ReviseProgrammeDto,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    const expectedRevision = parseIfMatch(headers['if-match']);
    // From the stream: a revision right after the definition (or after a move to another area) is
    // authorised on what was written, not on what the read model has caught up with.
    const current = await programmeFacts(this.streams, principal.tenant, programmeId);
    assertCanAccess(principal, 'programme.revise', { tenant: current.tenant, unit: current.areaId });
    const changes = { ...body.changes } as Partial<ProgrammeSettings>;
    const note = body.note === undefined ? null : await this.envelope.seal(programmeKeyId(programmeId), body.note);
    const result = await this.commands.execute(
      new ExecuteCommand(programmeAggregate, {
        aggregateId: programmeId,
        ...(expectedRevision === undefined ? {} : { expectedRevision }),
        command: {
          type: 'ReviseProgramme',
          programmeId,
          changes,
          reason: body.reason,
          staffCouncil: body.staffCouncil ? { date: body.staffCouncil.date, outcome: body.staffCouncil.outcome } : null,
          note,
        },
        context: commandContext(principal, headers),
      }),
    );
    setEtag(response, result.revision);
    return result;
  }

  @Get()
  @Action('programme.read')
  async list(@CurrentPrincipal() principal: Principal): Promise<{ items: ProgrammeView[] }> {
    return { items: await this.queries.list(principal) };
  }

  @Get(':id')
  @Action('programme.read')
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) programmeId: string,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ProgrammeView> {
    const view = await this.queries.view(principal, programmeId);
    setEtag(response, view.revision);
    return view;
  }
}
