import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { CommandResult, StreamStates } from '@pruefpfad/application';
import {
  assertCanAccess,
  type Principal,
  type ProgrammeSettings,
  type RoutineCommand,
  type TrendRules,
} from '@pruefpfad/domain';
import { commandContext } from '../commands/command-context.js';
import { parseIfMatch, setEtag } from '../commands/etag.js';
import { ExecuteCommand } from '../commands/execute-command.js';
import { programmeFacts } from '../programmes/programme.facts.js';
import { STREAM_STATES } from '../runtime/tokens.js';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { ResumeRoutineDto, SuspendRoutineDto } from './routine.dto.js';
import { routineAggregate } from './routine.aggregate.js';
import { TREND_RULES } from './trend-rules.provider.js';
import { TrendsQueries } from './trends.queries.js';

type HeaderMap = Record<string, string | undefined>;

interface RoutineProgramme {
  readonly _id: string;
  readonly areaId: string;
  readonly settings: ProgrammeSettings;
}

const IF_MATCH = { name: 'If-Match', required: false, description: 'ETag der gelesenen Revision / ETag last read' };

/**
 * Review routines (Prüfroutinen) of programmes that collect error rates: management suspends one whose
 * error rate lies below the tolerance (001:202), always with a re-check date (001:123), renews the
 * suspension at the re-check, or resumes the routine.
 */
@ApiTags('Prüfroutinen / routines')
@ApiBearerAuth()
@Controller('api/v1/routines')
export class RoutinesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: TrendsQueries,
    @Inject(TREND_RULES) private readonly rules: TrendRules,
    @Inject(STREAM_STATES) private readonly streams: StreamStates,
  ) {}

  @Get(':programmeId')
  @Action('routine.read')
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('programmeId', new ParseUUIDPipe()) programmeId: string,
    @Res({ passthrough: true }) response: Response,
  ) {
    const view = await this.queries.routine(principal, programmeId);
    setEtag(response, view.revision);
    return view;
  }

  @Post(':programmeId/suspension')
  @Action('routine.decide')
  @ApiHeader(IF_MATCH)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async suspend(
    @CurrentPrincipal() principal: Principal,
    @Param('programmeId', new ParseUUIDPipe()) programmeId: string,
    @Body() body: SuspendRoutineDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    const programme = await this.programme(principal, programmeId);
    const result = await this.decide(principal, programme.areaId, headers, response, {
      type: 'SuspendRoutine',
      programmeId,
      recheckOn: body.recheckOn,
      reason: body.reason,
      collectsErrorRates: programme.settings.errorRatePolicy.kind === 'collect',
      maxRecheckMonths: this.rules.maxRecheckMonths,
      ...(await this.judged(principal, programme, body)),
    });
    response.status(201).setHeader('Location', `/api/v1/routines/${programmeId}`);
    return result;
  }

  @Post(':programmeId/suspension-renewal')
  @HttpCode(200)
  @Action('routine.decide')
  @ApiHeader(IF_MATCH)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async renew(
    @CurrentPrincipal() principal: Principal,
    @Param('programmeId', new ParseUUIDPipe()) programmeId: string,
    @Body() body: SuspendRoutineDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    const programme = await this.programme(principal, programmeId);
    return this.decide(principal, programme.areaId, headers, response, {
      type: 'RenewRoutineSuspension',
      programmeId,
      recheckOn: body.recheckOn,
      reason: body.reason,
      maxRecheckMonths: this.rules.maxRecheckMonths,
      ...(await this.judged(principal, programme, body)),
    });
  }

  @Post(':programmeId/resumption')
  @HttpCode(200)
  @Action('routine.decide')
  @ApiHeader(IF_MATCH)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async resume(
    @CurrentPrincipal() principal: Principal,
    @Param('programmeId', new ParseUUIDPipe()) programmeId: string,
    @Body() body: ResumeRoutineDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    const programme = await this.programme(principal, programmeId);
    return this.decide(principal, programme.areaId, headers, response, {
      type: 'ResumeRoutine',
      programmeId,
      reason: body.reason,
    });
  }

  /**
   * The tolerance test a suspension or renewal records, and management's confirmation should it decide
   * against it (issue 9, item 6). Authorised first: the test waits for fresh read models.
   */
  private async judged(principal: Principal, programme: RoutineProgramme, body: SuspendRoutineDto) {
    assertCanAccess(principal, 'routine.decide', { tenant: principal.tenant, unit: programme.areaId });
    return {
      toleranceTest: await this.queries.toleranceTest(
        { tenant: principal.tenant, programmeId: programme._id, errorRatePolicy: programme.settings.errorRatePolicy },
        { from: body.testFrom, to: body.testTo },
        true,
      ),
      againstToleranceTest: body.againstToleranceTest === true,
    };
  }

  /**
   * The programme a decision is about, from its stream (another tenant's is 404): whether it collects error
   * rates and in which area is decided on what was written, also right after a revision.
   */
  private async programme(principal: Principal, programmeId: string): Promise<RoutineProgramme> {
    const { areaId, settings } = await programmeFacts(this.streams, principal.tenant, programmeId);
    return { _id: programmeId, areaId, settings };
  }

  private async decide(
    principal: Principal,
    areaId: string,
    headers: HeaderMap,
    response: Response,
    command: RoutineCommand,
  ): Promise<CommandResult> {
    assertCanAccess(principal, 'routine.decide', { tenant: principal.tenant, unit: areaId });
    const expectedRevision = parseIfMatch(headers['if-match']);
    const result = await this.commands.execute(
      new ExecuteCommand(routineAggregate, {
        aggregateId: command.programmeId,
        ...(expectedRevision === undefined ? {} : { expectedRevision }),
        command,
        context: commandContext(principal, headers),
      }),
    );
    setEtag(response, result.revision);
    return result;
  }
}
