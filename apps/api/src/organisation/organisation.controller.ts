import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Res,
  type PipeTransform,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { CommandResult } from '@pruefpfad/application';
import { type Principal, UNIT_ID_PATTERN } from '@pruefpfad/domain';
import { RequestValidationError } from '../errors/validation.js';
import { parseIfMatch, setEtag } from '../commands/etag.js';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { OrganisationCommands } from './organisation-commands.service.js';
import { ApproveDelegationDto, OrganisationFileDto, RecordAbsenceDto } from './organisation.dto.js';
import { OrganisationQueries, type ActingRightsView, type AreaView, type TeamView } from './organisation.queries.js';

type RequestHeaders = Record<string, string | undefined>;

/** Team ids are slugs: anything else is bad input (400 naming the parameter), not a lookup. */
const TEAM_ID: PipeTransform<string, string> = {
  transform(value: string) {
    if (!UNIT_ID_PATTERN.test(value))
      throw new RequestValidationError([{ field: 'teamId', message: 'ein Kürzel / a slug' }]);
    return value;
  },
};

@ApiTags('Organisation / organisation')
@ApiBearerAuth()
@Controller('api/v1/organisation')
export class OrganisationController {
  constructor(
    private readonly commands: OrganisationCommands,
    private readonly queries: OrganisationQueries,
  ) {}

  /** Loads the organisation file; loading the same file again appends nothing (`position` null). */
  @Put()
  @HttpCode(200)
  @Action('organisation.load')
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag der gelesenen Revision / ETag last read' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async load(
    @CurrentPrincipal() principal: Principal,
    @Body() body: OrganisationFileDto,
    @Headers() headers: RequestHeaders,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    const result = await this.commands.load(principal, body, parseIfMatch(headers['if-match']), headers);
    setEtag(response, result.revision);
    return result;
  }

  @Get()
  @Action('organisation.read')
  async overview(@CurrentPrincipal() principal: Principal): Promise<{ areas: AreaView[] }> {
    return this.queries.overview(principal);
  }

  @Get('teams/:teamId')
  @Action('organisation.read')
  async team(@CurrentPrincipal() principal: Principal, @Param('teamId', TEAM_ID) teamId: string): Promise<TeamView> {
    return this.queries.team(principal, teamId);
  }

  @Get('teams/:teamId/acting-rights')
  @Action('organisation.act-for-team')
  async actingRights(
    @CurrentPrincipal() principal: Principal,
    @Param('teamId', TEAM_ID) teamId: string,
  ): Promise<ActingRightsView> {
    return this.queries.actingRightsToday(principal, teamId);
  }

  @Post('teams/:teamId/absences')
  @Action('organisation.record-absence')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async recordAbsence(
    @CurrentPrincipal() principal: Principal,
    @Param('teamId', TEAM_ID) teamId: string,
    @Body() body: RecordAbsenceDto,
    @Headers() headers: RequestHeaders,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    const result = await this.commands.recordAbsence(principal, teamId, body, headers);
    response.status(201);
    return result;
  }

  @Delete('teams/:teamId/absences/:absenceId')
  @Action('organisation.record-absence')
  async cancelAbsence(
    @CurrentPrincipal() principal: Principal,
    @Param('teamId', TEAM_ID) teamId: string,
    @Param('absenceId', new ParseUUIDPipe()) absenceId: string,
    @Headers() headers: RequestHeaders,
  ): Promise<CommandResult> {
    return this.commands.cancelAbsence(principal, teamId, absenceId, headers);
  }

  @Post('teams/:teamId/delegations')
  @Action('organisation.approve-delegation')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async approveDelegation(
    @CurrentPrincipal() principal: Principal,
    @Param('teamId', TEAM_ID) teamId: string,
    @Body() body: ApproveDelegationDto,
    @Headers() headers: RequestHeaders,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    const result = await this.commands.approveDelegation(principal, teamId, body, headers);
    response.status(201);
    return result;
  }
}
