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
  Query,
  Res,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type CommandResult, type IdGenerator, NotFoundError } from '@pruefpfad/application';
import {
  actingRoleFor,
  type Action as PolicyAction,
  DomainError,
  type MeasureCommand,
  measureKeyId,
  type MeasureOperation,
  type Principal,
} from '@pruefpfad/domain';
import type { EventStore } from '@pruefpfad/event-store';
import type { Envelope } from '@pruefpfad/privacy';
import { commandContext } from '../commands/command-context.js';
import { parseIfMatch, setEtag } from '../commands/etag.js';
import { ExecuteCommand } from '../commands/execute-command.js';
import { ActingRights, type TeamContext } from '../organisation/acting-rights.js';
import { RetentionRecords } from '../retention/retention-records.js';
import { reviewOrigin } from '../reviews/review.facts.js';
import { ENVELOPE, EVENT_STORE, ID_GENERATOR } from '../runtime/tokens.js';
import { assertCanAccess } from '../security/assert-can-access.js';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import {
  AgreeMeasureDto,
  CancelMeasureDto,
  CompleteMeasureDto,
  FollowUpMeasureDto,
  MeasureListQueryDto,
} from './measure.dto.js';
import { measureAggregate } from './measure.aggregate.js';
import { measureFacts } from './measure.facts.js';
import { MeasuresQueries, type AreaMeasureCounts, type Disclosure, type MeasureView } from './measures.queries.js';

type HeaderMap = Record<string, string | undefined>;

const IF_MATCH_HEADER = {
  name: 'If-Match',
  required: false,
  description: 'ETag der gelesenen Revision / ETag last read',
} as const;

/**
 * Measures after reviews (000:90, 000:110): agreed, followed up, completed or cancelled by the team's
 * leadership; area heads decide training and qualification and see counts per team, never owners.
 */
@ApiTags('Maßnahmen / measures')
@ApiBearerAuth()
@Controller('api/v1')
export class MeasuresController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: MeasuresQueries,
    private readonly acting: ActingRights,
    private readonly retention: RetentionRecords,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(ENVELOPE) private readonly envelope: Envelope,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  @Post('teams/:teamId/measures')
  @Action('measure.agree')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async agree(
    @CurrentPrincipal() principal: Principal,
    @Param('teamId') teamId: string,
    @Body() body: AgreeMeasureDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    const team = await this.acting.assertMayAct(principal, 'measure.agree', principal.tenant, teamId);
    if (body.reviewId !== undefined) await this.assertReviewOfTeam(principal.tenant, teamId, body.reviewId);
    const measureId = this.ids.next();
    const keyId = measureKeyId(measureId);
    const result = await this.execute(measureId, undefined, headers, principal, {
      type: 'AgreeMeasure',
      measureId,
      areaId: team.areaId,
      teamId,
      reviewId: body.reviewId ?? null,
      kind: body.kind,
      scope: body.scope,
      owner: await this.envelope.seal(keyId, body.owner),
      description: await this.envelope.seal(keyId, body.description),
      dueDate: body.dueDate,
      actingRole: actingRoleFor(principal.roles, team.asDeputy, 'agree', body.kind),
    });
    response.status(201).setHeader('Location', `/api/v1/measures/${measureId}`);
    setEtag(response, result.revision);
    return result;
  }

  @Post('measures/:id/follow-ups')
  @HttpCode(200)
  @Action('measure.follow-up')
  @ApiHeader(IF_MATCH_HEADER)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async followUp(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) measureId: string,
    @Body() body: FollowUpMeasureDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    const expectedRevision = parseIfMatch(headers['if-match']);
    const actingRole = await this.actingRole(principal, measureId, 'measure.follow-up', 'follow-up');
    const note = await this.envelope.seal(measureKeyId(measureId), body.note);
    const result = await this.execute(measureId, expectedRevision, headers, principal, {
      type: 'FollowUpMeasure',
      measureId,
      date: body.date,
      note,
      actingRole,
    });
    setEtag(response, result.revision);
    return result;
  }

  @Post('measures/:id/completion')
  @HttpCode(200)
  @Action('measure.complete')
  @ApiHeader(IF_MATCH_HEADER)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async complete(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) measureId: string,
    @Body() body: CompleteMeasureDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    const expectedRevision = parseIfMatch(headers['if-match']);
    const actingRole = await this.actingRole(principal, measureId, 'measure.complete', 'complete');
    const note =
      body.note === undefined || body.note.trim() === ''
        ? null
        : await this.envelope.seal(measureKeyId(measureId), body.note);
    const result = await this.execute(measureId, expectedRevision, headers, principal, {
      type: 'CompleteMeasure',
      measureId,
      note,
      actingRole,
    });
    setEtag(response, result.revision);
    return result;
  }

  @Post('measures/:id/cancellation')
  @HttpCode(200)
  @Action('measure.cancel')
  @ApiHeader(IF_MATCH_HEADER)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async cancel(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) measureId: string,
    @Body() body: CancelMeasureDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    const expectedRevision = parseIfMatch(headers['if-match']);
    const actingRole = await this.actingRole(principal, measureId, 'measure.cancel', 'cancel');
    // A blank reason reaches the domain as none, which refuses it (a cancellation needs a reason).
    const reason = body.reason.trim() === '' ? null : await this.envelope.seal(measureKeyId(measureId), body.reason);
    const result = await this.execute(measureId, expectedRevision, headers, principal, {
      type: 'CancelMeasure',
      measureId,
      reason,
      actingRole,
    });
    setEtag(response, result.revision);
    return result;
  }

  @Get('measures/:id')
  @Action('measure.read')
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) measureId: string,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MeasureView> {
    const doc = await this.queries.find(principal, measureId);
    const team = await this.acting.assertMayAct(principal, 'measure.read', doc.tenant, doc.teamId);
    const view = await this.queries.view(doc, disclosureFor(principal, team));
    setEtag(response, view.revision);
    return view;
  }

  @Get('teams/:teamId/measures')
  @Action('measure.read')
  async listForTeam(
    @CurrentPrincipal() principal: Principal,
    @Param('teamId') teamId: string,
    @Query() query: MeasureListQueryDto,
  ): Promise<{ teamId: string; asOf: string; items: MeasureView[] }> {
    const team = await this.acting.assertMayAct(principal, 'measure.read', principal.tenant, teamId);
    const items = await this.queries.listForTeam(
      principal.tenant,
      teamId,
      query.status,
      disclosureFor(principal, team),
    );
    return { teamId, asOf: this.queries.today(), items };
  }

  @Get('areas/:areaId/measure-counts')
  @Action('measure.counts.read')
  async countsForArea(
    @CurrentPrincipal() principal: Principal,
    @Param('areaId') areaId: string,
  ): Promise<AreaMeasureCounts> {
    assertCanAccess(principal, 'measure.counts.read', { tenant: principal.tenant, unit: areaId });
    const area = await this.queries.area(principal.tenant, areaId);
    return this.queries.countsForArea(principal.tenant, area);
  }

  /**
   * The measure as its stream has it (one agreed a moment ago is found), the caller's acting rights for
   * its team, and the role acted in; 410 for a measure purged with its review, else 404.
   */
  private async actingRole(
    principal: Principal,
    measureId: string,
    action: PolicyAction,
    operation: MeasureOperation,
  ): Promise<string> {
    const measure = await measureFacts(this.eventStore, principal.tenant, measureId);
    if (measure === null) {
      await this.retention.assertMeasureNotPurged(principal.tenant, measureId);
      throw new NotFoundError(`measure ${measureId}`);
    }
    const team = await this.acting.assertMayAct(principal, action, measure.tenant, measure.teamId);
    return actingRoleFor(principal.roles, team.asDeputy, operation, measure.kind);
  }

  /**
   * A measure may name the review it follows from only if that review is the same team's (from the
   * review's stream: a review opened a moment ago counts). A review of another team or tenant gets the
   * same answer as a missing one, so nobody learns that it exists.
   */
  private async assertReviewOfTeam(tenant: string, teamId: string, reviewId: string): Promise<void> {
    const review = await reviewOrigin(this.eventStore, reviewId);
    if (!review || review.tenant !== tenant || review.teamId !== teamId)
      throw new DomainError(
        'VALIDATION_FAILED',
        'Die Prüfung gibt es in diesem Team nicht. / There is no such review in this team.',
        { fields: { reviewId: 'keine Prüfung dieses Teams / not a review of this team' } },
      );
  }

  private execute(
    measureId: string,
    expectedRevision: number | undefined,
    headers: HeaderMap,
    principal: Principal,
    command: MeasureCommand,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new ExecuteCommand(measureAggregate, {
        aggregateId: measureId,
        ...(expectedRevision === undefined ? {} : { expectedRevision }),
        command,
        context: commandContext(principal, headers),
      }),
    );
  }
}

/** Owners only for the team lead of this team or the deputy while deputising (000:93); never for the area. */
function disclosureFor(principal: Principal, team: TeamContext): Disclosure {
  const leadsTeam = principal.roles.includes('team_lead') && principal.units.includes(team.teamId);
  return { owners: team.asDeputy || leadsTeam, areaHeadText: principal.roles.includes('area_head') };
}
