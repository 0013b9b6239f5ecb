import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type CommandResult, type IdGenerator, NotFoundError } from '@pruefpfad/application';
import { type CrossLevelReviewScope, DomainError, type Principal } from '@pruefpfad/domain';
import { commandContext } from '../commands/command-context.js';
import { parseIfMatch, setEtag } from '../commands/etag.js';
import { ExecuteCommand } from '../commands/execute-command.js';
import { ID_GENERATOR } from '../runtime/tokens.js';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { crossLevelReviewAggregate } from './cross-level.aggregates.js';
import { CrossLevelReviewsService } from './cross-level-reviews.service.js';
import { ApproveCrossLevelReviewDto, CloseCrossLevelReviewDto } from './cross-level.dto.js';

type HeaderMap = Record<string, string | undefined>;

const CASE_ID = /^[a-z2-7]{32}$/;

/**
 * Cross-level reviews (ebenenübergreifende Fallbewertungen, 2021 directive): the Zentrale approves a
 * calibration (003:78) or a risk-based review (003:88) first; participants then read pseudonymised
 * copies of the reviews in its scope (003:94), each answer naming the approval it rests on.
 */
@ApiTags('Ebenenübergreifende Betrachtungen / cross-level reviews')
@ApiBearerAuth()
@Controller('api/v1/cross-level-reviews')
export class CrossLevelReviewsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly service: CrossLevelReviewsService,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  @Post()
  @Action('cross-level.review.approve')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async approve(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ApproveCrossLevelReviewDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    // `null` counts as absent (class-validator's @IsOptional lets it through).
    if ((body.tenants == null) === (body.region == null))
      throw new DomainError('VALIDATION_FAILED', 'Ungültige Angaben / Invalid input', {
        fields: { tenants: 'entweder tenants oder region / either tenants or region' },
      });
    const scope: CrossLevelReviewScope =
      body.tenants != null ? { kind: 'tenants', tenants: body.tenants } : { kind: 'region', region: body.region! };
    const id = this.ids.next();
    const result = await this.commands.execute(
      new ExecuteCommand(crossLevelReviewAggregate, {
        aggregateId: id,
        command: {
          type: 'ApproveCrossLevelReview',
          id,
          kind: body.kind,
          scope,
          customerProcess: body.customerProcess,
          questionnaireId: body.questionnaireId ?? null,
          fromMonth: body.fromMonth,
          toMonth: body.toMonth,
          basis: body.basis,
        },
        context: commandContext(principal, headers),
      }),
    );
    response.status(201).setHeader('Location', `/api/v1/cross-level-reviews/${id}`);
    setEtag(response, result.revision);
    return result;
  }

  @Post(':id/closure')
  @HttpCode(200)
  @Action('cross-level.review.approve')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async close(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: CloseCrossLevelReviewDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    const expectedRevision = parseIfMatch(headers['if-match']);
    const result = await this.commands.execute(
      new ExecuteCommand(crossLevelReviewAggregate, {
        aggregateId: id,
        ...(expectedRevision === undefined ? {} : { expectedRevision }),
        command: { type: 'CloseCrossLevelReview', id, basis: body.basis },
        context: commandContext(principal, headers),
      }),
    );
    setEtag(response, result.revision);
    return result;
  }

  @Get()
  @Action('cross-level.review.read')
  async list(@CurrentPrincipal() principal: Principal) {
    return this.service.list(principal);
  }

  @Get(':id')
  @Action('cross-level.review.read')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.service.get(principal, id);
  }

  @Get(':id/cases')
  @Action('cross-level.review.read')
  async cases(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.service.cases(principal, id);
  }

  @Get(':id/cases/:caseId')
  @Action('cross-level.review.read')
  async case(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('caseId') caseId: string,
  ) {
    if (!CASE_ID.test(caseId)) throw new NotFoundError(`case ${caseId}`);
    return this.service.case(principal, id, caseId);
  }
}
