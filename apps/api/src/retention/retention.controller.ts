import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type CommandResult, NotFoundError } from '@pruefpfad/application';
import type { PurgePlanEntry } from '@pruefpfad/composition';
import { legalHoldAggregate, type LegalHoldCommand, type Principal, reviewKeyId } from '@pruefpfad/domain';
import type { EventStore } from '@pruefpfad/event-store';
import type { Envelope } from '@pruefpfad/privacy';
import { type PurgeRecordDoc, RETENTION } from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { commandContext } from '../commands/command-context.js';
import { parseIfMatch, setEtag } from '../commands/etag.js';
import { ExecuteCommand } from '../commands/execute-command.js';
import { reviewOrigin } from '../reviews/review.facts.js';
import { DOCUMENT_STORE, ENVELOPE, EVENT_STORE } from '../runtime/tokens.js';
import { assertCanAccess } from '../security/assert-can-access.js';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { RetentionRecords } from './retention-records.js';
import { LegalHoldDto, PurgeRunDto } from './retention.dto.js';
import { RetentionService } from './retention.service.js';

type HeaderMap = Record<string, string | undefined>;

/** What a purge plan shows: ids and dates, never content. */
function planView(entry: PurgePlanEntry) {
  return {
    tenant: entry.tenant,
    reviewId: entry.reviewId,
    teamId: entry.teamId,
    month: entry.month,
    status: entry.status,
    closedOn: entry.closedOn,
    retentionMonths: entry.retentionMonths,
    measures: entry.measureIds.length,
    due: entry.verdict.due,
    retentionEndsOn: entry.verdict.endsOn,
    ...(entry.verdict.due ? {} : { keptBecause: entry.verdict.reason }),
  };
}

/**
 * Retention (000:92): legal holds on single reviews, the purge records, what is due, and the operator's
 * purge run. The daily job (RetentionScheduler) runs the same purge.
 */
@ApiTags('Aufbewahrung / retention')
@ApiBearerAuth()
@Controller('api/v1')
export class RetentionController {
  constructor(
    private readonly commands: CommandBus,
    private readonly records: RetentionRecords,
    private readonly retention: RetentionService,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(ENVELOPE) private readonly envelope: Envelope,
  ) {}

  @Post('reviews/:id/legal-hold')
  @Action('retention.hold')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async placeHold(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) reviewId: string,
    @Body() body: LegalHoldDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    await this.review(principal, reviewId, 'retention.hold');
    const reason = await this.envelope.seal(reviewKeyId(reviewId), body.reason);
    const result = await this.execute(reviewId, undefined, headers, principal, {
      type: 'PlaceLegalHold',
      reviewId,
      reason,
    });
    response.status(201);
    setEtag(response, result.revision);
    return result;
  }

  @Post('reviews/:id/legal-hold/lift')
  @HttpCode(200)
  @Action('retention.hold')
  @ApiHeader({ name: 'If-Match', required: false })
  async liftHold(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) reviewId: string,
    @Body() body: LegalHoldDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    await this.review(principal, reviewId, 'retention.hold');
    const reason = await this.envelope.seal(reviewKeyId(reviewId), body.reason);
    const result = await this.execute(reviewId, parseIfMatch(headers['if-match']), headers, principal, {
      type: 'LiftLegalHold',
      reviewId,
      reason,
    });
    setEtag(response, result.revision);
    return result;
  }

  /** Whether a review is under legal hold (the reasons stay sealed in the review's record). */
  @Get('reviews/:id/legal-hold')
  @Action('retention.read')
  async hold(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) reviewId: string) {
    await this.review(principal, reviewId, 'retention.read');
    const hold = await this.records.legalHold(principal.tenant, reviewId);
    return {
      reviewId,
      held: hold?.held ?? false,
      placedOn: hold?.placedOn ?? null,
      liftedOn: hold?.liftedOn ?? null,
    };
  }

  /** The purge records of the caller's Jobcenter, newest first (no content: ids and dates). */
  @Get('retention/purges')
  @Action('retention.read')
  async purges(@CurrentPrincipal() principal: Principal) {
    assertCanAccess(principal, 'retention.read', { tenant: principal.tenant });
    const records = (await this.documents.find(
      RETENTION,
      { tenant: principal.tenant, kind: 'purge' },
      { sort: { startedAt: -1 } },
    )) as PurgeRecordDoc[];
    return records.map(({ _id, _position, kind, ...record }) => {
      void _id;
      void _position;
      void kind;
      return record;
    });
  }

  /** A dry run for the caller's Jobcenter: which reviews would go today, and which are kept and why. */
  @Get('retention/due')
  @Action('retention.read')
  async due(@CurrentPrincipal() principal: Principal) {
    assertCanAccess(principal, 'retention.read', { tenant: principal.tenant });
    const run = await this.retention.run({ dryRun: true, trigger: 'operator', tenant: principal.tenant });
    return {
      today: run.today,
      due: run.due.map(planView),
      kept: run.kept.map(planView),
      populations: run.populations,
      populationReferences: run.populationReferences,
    };
  }

  /**
   * The operator's purge run across all Jobcenters (default a dry run). The purges it starts are carried
   * out by the purge reactor; `position` is the last start's, for `X-Min-Position` on later reads.
   */
  @Post('operations/retention/purge-runs')
  @HttpCode(200)
  @Action('retention.purge')
  async purgeRun(@Body() body: PurgeRunDto) {
    const run = await this.retention.run({ dryRun: body.dryRun ?? true, trigger: 'operator' });
    return {
      today: run.today,
      dryRun: run.dryRun,
      started: run.started,
      populationsStarted: run.populationsStarted,
      populationReferencesDestroyed: run.populationReferencesDestroyed,
      position: run.position,
      populations: run.populations,
      populationReferences: run.populationReferences,
      due: run.due.map(planView),
      kept: run.kept.map(planView),
    };
  }

  /**
   * The review must be the caller's (404 otherwise); a purged one answers 410 with its record. From the
   * review's stream: a hold placed right after the review was opened finds it.
   */
  private async review(principal: Principal, reviewId: string, action: 'retention.hold' | 'retention.read') {
    const origin = await reviewOrigin(this.eventStore, reviewId);
    if (origin === null || origin.tenant !== principal.tenant) {
      await this.records.assertNotPurged(principal.tenant, reviewId);
      throw new NotFoundError(`review ${reviewId}`);
    }
    assertCanAccess(principal, action, { tenant: origin.tenant, unit: origin.teamId, parentUnits: [origin.areaId] });
    return origin;
  }

  private execute(
    reviewId: string,
    expectedRevision: number | undefined,
    headers: HeaderMap,
    principal: Principal,
    command: LegalHoldCommand,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new ExecuteCommand(legalHoldAggregate, {
        aggregateId: reviewId,
        ...(expectedRevision === undefined ? {} : { expectedRevision }),
        command,
        context: commandContext(principal, headers),
      }),
    );
  }
}
