import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Put, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { CommandResult, IdGenerator } from '@pruefpfad/application';
import {
  type Principal,
  REVIEW_DEFAULTS,
  reviewAggregate,
  type ReviewCommand,
  reviewKeyId,
  type ReviewQuestionDetail,
  type Sealed,
} from '@pruefpfad/domain';
import type { Envelope } from '@pruefpfad/privacy';
import { commandContext } from '../commands/command-context.js';
import { parseIfMatch, setEtag } from '../commands/etag.js';
import { ExecuteCommand } from '../commands/execute-command.js';
import { QueryByPost } from '../commands/idempotency.interceptor.js';
import { ENVELOPE, ID_GENERATOR } from '../runtime/tokens.js';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { toAnswerEntries } from './answer-input.js';
import { ReviewFacts } from './review.facts.js';
import {
  CaseLookupDto,
  CompleteReviewDto,
  CorrectReviewDto,
  ExtendLookBackDto,
  ReasonDto,
  RecordAnswersDto,
  RecordDefectDto,
  RecordTalkDto,
  RecordTeamDiscussionDto,
} from './review.dto.js';
import { ReviewsQueries, type CaseLookupItem, type ReviewView } from './reviews.queries.js';

type HeaderMap = Record<string, string | undefined>;

const IF_MATCH = { name: 'If-Match', required: false, description: 'ETag der gelesenen Revision / ETag last read' };
const IDEMPOTENCY_KEY = { name: 'Idempotency-Key', required: false };

/**
 * One review of a sampled case: answers, defects, completion, corrections, the one-on-one talk and the
 * team discussion. Only the team's lead acts (the deputy during a recorded absence); personal fields
 * are sealed under the review's key before the command is built.
 */
@ApiTags('Prüfungen / reviews')
@ApiBearerAuth()
@Controller('api/v1/reviews')
export class ReviewsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ReviewsQueries,
    private readonly facts: ReviewFacts,
    @Inject(ENVELOPE) private readonly envelope: Envelope,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /** By customer number through the blind index; POST so the number never lands in a URL (proxy logs). */
  @Post('lookup')
  @HttpCode(200)
  @Action('review.read')
  @QueryByPost()
  async lookup(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CaseLookupDto,
  ): Promise<{ items: CaseLookupItem[] }> {
    return { items: await this.queries.lookup(principal, body.caseRef) };
  }

  @Get(':id')
  @Action('review.read')
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) reviewId: string,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ReviewView> {
    const view = await this.queries.detail(principal, reviewId);
    setEtag(response, view.revision);
    return view;
  }

  @Put(':id/answers')
  @Action('review.act')
  @ApiHeader(IF_MATCH)
  @ApiHeader(IDEMPOTENCY_KEY)
  async answer(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) reviewId: string,
    @Body() body: RecordAnswersDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    return this.act(principal, reviewId, headers, response, async (asDeputy, questions) => ({
      type: 'RecordAnswers',
      reviewId,
      answers: await toAnswerEntries(body.answers, questions, (value) => this.seal(reviewId, value)),
      questions,
      asDeputy,
    }));
  }

  @Post(':id/look-back-extensions')
  @HttpCode(200)
  @Action('review.act')
  @ApiHeader(IF_MATCH)
  @ApiHeader(IDEMPOTENCY_KEY)
  async extendLookBack(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) reviewId: string,
    @Body() body: ExtendLookBackDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    return this.act(principal, reviewId, headers, response, async (asDeputy) => ({
      type: 'ExtendLookBack',
      reviewId,
      months: body.months,
      standardMonths: REVIEW_DEFAULTS.standardLookBackMonths,
      maximumMonths: REVIEW_DEFAULTS.maximumLookBackMonths,
      reason: body.reason === undefined ? null : await this.seal(reviewId, body.reason),
      asDeputy,
    }));
  }

  @Post(':id/defects')
  @Action('review.act')
  @ApiHeader(IF_MATCH)
  @ApiHeader(IDEMPOTENCY_KEY)
  async recordDefect(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) reviewId: string,
    @Body() body: RecordDefectDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult & { defectId: string }> {
    const defectId = this.ids.next();
    const result = await this.act(principal, reviewId, headers, response, async (asDeputy, questions) => ({
      type: 'RecordDefect',
      reviewId,
      defectId,
      questionId: body.questionId,
      category: body.category ?? null,
      severity: body.severity,
      legalNorm: body.legalNorm ?? null,
      description: await this.seal(reviewId, body.description),
      financialLoss: body.financialLoss,
      questions,
      asDeputy,
    }));
    response.status(201);
    return { ...result, defectId };
  }

  @Post(':id/defects/:defectId/withdrawal')
  @HttpCode(200)
  @Action('review.act')
  @ApiHeader(IF_MATCH)
  @ApiHeader(IDEMPOTENCY_KEY)
  async withdrawDefect(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) reviewId: string,
    @Param('defectId', new ParseUUIDPipe()) defectId: string,
    @Body() body: ReasonDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    return this.act(principal, reviewId, headers, response, async (asDeputy) => ({
      type: 'WithdrawDefect',
      reviewId,
      defectId,
      reason: await this.seal(reviewId, body.reason),
      asDeputy,
    }));
  }

  @Post(':id/completion')
  @HttpCode(200)
  @Action('review.act')
  @ApiHeader(IF_MATCH)
  @ApiHeader(IDEMPOTENCY_KEY)
  async complete(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) reviewId: string,
    @Body() body: CompleteReviewDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    return this.act(principal, reviewId, headers, response, async (asDeputy, questions) => ({
      type: 'CompleteReview',
      reviewId,
      outcome: body.outcome,
      summary: await this.seal(reviewId, body.summary),
      questions,
      asDeputy,
    }));
  }

  @Post(':id/corrections')
  @Action('review.act')
  @ApiHeader(IF_MATCH)
  @ApiHeader(IDEMPOTENCY_KEY)
  async correct(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) reviewId: string,
    @Body() body: CorrectReviewDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    const result = await this.act(principal, reviewId, headers, response, async (asDeputy, questions) => ({
      type: 'CorrectReview',
      reviewId,
      reason: await this.seal(reviewId, body.reason),
      outcome: body.outcome ?? null,
      answers: await toAnswerEntries(body.answers ?? [], questions, (value) => this.seal(reviewId, value)),
      defects: (body.defects ?? []).map((defect) => ({
        defectId: defect.defectId,
        ...(defect.severity === undefined ? {} : { severity: defect.severity }),
        ...(defect.category === undefined ? {} : { category: defect.category }),
        ...(defect.withdrawn === undefined ? {} : { withdrawn: defect.withdrawn }),
      })),
      questions,
      asDeputy,
    }));
    response.status(201);
    return result;
  }

  @Post(':id/talks')
  @Action('review.act')
  @ApiHeader(IF_MATCH)
  @ApiHeader(IDEMPOTENCY_KEY)
  async recordTalk(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) reviewId: string,
    @Body() body: RecordTalkDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    const result = await this.act(principal, reviewId, headers, response, async (asDeputy) => ({
      type: 'RecordTalk',
      reviewId,
      date: body.date,
      employee: await this.seal(reviewId, body.employee),
      outcome: await this.seal(reviewId, body.outcome),
      asDeputy,
    }));
    response.status(201);
    return result;
  }

  @Post(':id/team-discussions')
  @Action('review.act')
  @ApiHeader(IF_MATCH)
  @ApiHeader(IDEMPOTENCY_KEY)
  async recordTeamDiscussion(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) reviewId: string,
    @Body() body: RecordTeamDiscussionDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    const result = await this.act(principal, reviewId, headers, response, async (asDeputy) => ({
      type: 'RecordTeamDiscussion',
      reviewId,
      date: body.date,
      notes: body.notes === undefined || body.notes === '' ? null : await this.seal(reviewId, body.notes),
      asDeputy,
    }));
    response.status(201);
    return result;
  }

  /**
   * The common write path: check acting rights on the review's team (404 outside reach, 422 for a deputy
   * outside an absence), load the review's questions where the command needs them, all from streams (see
   * `ReviewFacts`), build the command (sealing personal fields) and run it with `If-Match`.
   */
  private async act(
    principal: Principal,
    reviewId: string,
    headers: HeaderMap,
    response: Response,
    build: (asDeputy: boolean, questions: readonly ReviewQuestionDetail[]) => Promise<ReviewCommand>,
  ): Promise<CommandResult> {
    const expectedRevision = parseIfMatch(headers['if-match']);
    const { asDeputy, questions } = await this.facts.forAct(principal, reviewId);
    const command = await build(asDeputy, questions);
    const result = await this.commands.execute(
      new ExecuteCommand(reviewAggregate, {
        aggregateId: reviewId,
        ...(expectedRevision === undefined ? {} : { expectedRevision }),
        command,
        context: commandContext(principal, headers),
      }),
    );
    setEtag(response, result.revision);
    return result;
  }

  private seal(reviewId: string, value: string): Promise<Sealed> {
    return this.envelope.seal(reviewKeyId(reviewId), value);
  }
}
