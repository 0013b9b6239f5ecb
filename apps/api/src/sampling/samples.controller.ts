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
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { CommandResult } from '@pruefpfad/application';
import type { Action as PolicyAction, Principal } from '@pruefpfad/domain';
import type { SampleDoc } from '@pruefpfad/projections';
import { commandContext } from '../commands/command-context.js';
import { setEtag } from '../commands/etag.js';
import { assertCanAccess } from '../security/assert-can-access.js';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { DrawSampleDto, ReplaceCaseDto, SamplesQueryDto, SupplementaryDrawDto, VoidSampleDto } from './sampling.dto.js';
import { SamplingQueries, type SampleView } from './sampling.queries.js';
import { SamplingService, type DrawResult, type Verification } from './sampling.service.js';

@ApiTags('Stichproben / samples')
@ApiBearerAuth()
@Controller('api/v1/programmes/:programmeId/samples')
export class SamplesController {
  constructor(
    private readonly queries: SamplingQueries,
    @Inject(SamplingService) private readonly sampling: SamplingService,
  ) {}

  /** The draw: population fingerprint, then a fresh 256-bit seed per team, then the documented algorithm. */
  @Post()
  @Action('sampling.draw')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async draw(
    @CurrentPrincipal() principal: Principal,
    @Param('programmeId', new ParseUUIDPipe()) programmeId: string,
    @Body() body: DrawSampleDto,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DrawResult> {
    const programme = await this.sampling.programme(principal, programmeId);
    assertCanAccess(principal, 'sampling.draw', { tenant: programme.tenant, unit: programme.areaId });
    this.sampling.assertDrawer(principal, programme);
    const result = await this.sampling.draw({
      programme,
      month: body.month,
      teamId: body.teamId,
      backdatedReason: body.backdatedReason,
      context: commandContext(principal, headers),
    });
    response.status(201);
    setEtag(response, result.revision);
    return result;
  }

  @Get()
  @Action('sampling.read')
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('programmeId', new ParseUUIDPipe()) programmeId: string,
    @Query() query: SamplesQueryDto,
  ): Promise<{ items: SampleView[] }> {
    const programme = await this.queries.programme(principal, programmeId);
    const samples = await this.queries.samples(principal, programme, query);
    return { items: await Promise.all(samples.map((sample) => this.queries.present(principal, sample, false))) };
  }

  @Get(':sampleId')
  @Action('sampling.read')
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('programmeId', new ParseUUIDPipe()) programmeId: string,
    @Param('sampleId', new ParseUUIDPipe()) sampleId: string,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SampleView> {
    const sample = await this.queries.sample(principal, 'sampling.read', programmeId, sampleId);
    setEtag(response, sample.streamRevision);
    return this.queries.present(principal, sample, true);
  }

  /** Recomputes the draw from the population's pseudonyms, the seed and the recorded inputs. */
  @Get(':sampleId/verify')
  @Action('sampling.verify')
  async verify(
    @CurrentPrincipal() principal: Principal,
    @Param('programmeId', new ParseUUIDPipe()) programmeId: string,
    @Param('sampleId', new ParseUUIDPipe()) sampleId: string,
  ): Promise<Verification> {
    return this.sampling.verify(await this.queries.sample(principal, 'sampling.verify', programmeId, sampleId));
  }

  @Post(':sampleId/supplementary')
  @HttpCode(201)
  @Action('sampling.supplement')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async supplement(
    @CurrentPrincipal() principal: Principal,
    @Param('programmeId', new ParseUUIDPipe()) programmeId: string,
    @Param('sampleId', new ParseUUIDPipe()) sampleId: string,
    @Body() body: SupplementaryDrawDto,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    const sample = await this.actingSample(principal, 'sampling.supplement', programmeId, sampleId);
    const result = await this.sampling.supplement({
      sample,
      count: body.count,
      reason: body.reason,
      context: commandContext(principal, headers),
    });
    setEtag(response, result.revision);
    return result;
  }

  @Post(':sampleId/replacements')
  @HttpCode(201)
  @Action('sampling.replace')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async replace(
    @CurrentPrincipal() principal: Principal,
    @Param('programmeId', new ParseUUIDPipe()) programmeId: string,
    @Param('sampleId', new ParseUUIDPipe()) sampleId: string,
    @Body() body: ReplaceCaseDto,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult & { readonly replacementReviewId: string }> {
    const sample = await this.actingSample(principal, 'sampling.replace', programmeId, sampleId);
    const result = await this.sampling.replace({
      sample,
      reviewId: body.reviewId,
      reason: body.reason,
      context: commandContext(principal, headers),
    });
    setEtag(response, result.revision);
    return result;
  }

  /**
   * Voids a draw made by mistake (wrong month, wrong population) before any of its reviews started: its
   * reviews are withdrawn, the team may be drawn again, and auditors see the void with its reason.
   */
  @Post(':sampleId/void')
  @HttpCode(201)
  @Action('sampling.void')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async void(
    @CurrentPrincipal() principal: Principal,
    @Param('programmeId', new ParseUUIDPipe()) programmeId: string,
    @Param('sampleId', new ParseUUIDPipe()) sampleId: string,
    @Body() body: VoidSampleDto,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    const programme = await this.sampling.programme(principal, programmeId);
    const sample = await this.queries.sample(principal, 'sampling.void', programmeId, sampleId);
    this.sampling.assertDrawer(principal, programme);
    const result = await this.sampling.void({
      sample,
      reason: body.reason,
      context: commandContext(principal, headers),
    });
    setEtag(response, result.revision);
    return result;
  }

  /**
   * Follow-ups on a sample: the team's own team lead, or whoever the programme names as drawing
   * (another team's or area's sample answers 404; the role the programme does not name, 403).
   */
  private async actingSample(
    principal: Principal,
    action: PolicyAction,
    programmeId: string,
    sampleId: string,
  ): Promise<SampleDoc> {
    const programme = await this.sampling.programme(principal, programmeId);
    const sample = await this.queries.sample(principal, action, programmeId, sampleId);
    const ownTeamLead = principal.roles.includes('team_lead') && principal.units.includes(sample.teamId);
    if (!ownTeamLead) this.sampling.assertDrawer(principal, programme);
    return sample;
  }
}
