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
import type { CommandResult, IdGenerator } from '@pruefpfad/application';
import type { Principal, Question, Section, VersionContent } from '@pruefpfad/domain';
import { ExecuteCommand } from '../commands/execute-command.js';
import { parseIfMatch, setEtag } from '../commands/etag.js';
import { commandContext } from '../commands/command-context.js';
import { RequestValidationError } from '../errors/validation.js';
import { assertCanAccess } from '../security/assert-can-access.js';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { ID_GENERATOR } from '../runtime/tokens.js';
import {
  AddRegionalQuestionsDto,
  PublishQuestionnaireDto,
  QuestionnaireQueryDto,
  type QuestionDto,
} from './questionnaire.dto.js';
import { questionnaireAggregate } from './questionnaire.aggregate.js';
import { QuestionnaireCatalogues, summarise, type CatalogueSummary } from './questionnaire-catalogues.js';
import {
  QuestionnairesQueries,
  type QuestionnaireSummary,
  type QuestionnaireView,
  type QuestionsView,
} from './questionnaires.queries.js';

type HeaderMap = Record<string, string | undefined>;

const toQuestion = (dto: QuestionDto): Question => ({
  id: dto.id,
  text: dto.text,
  answerType: dto.answerType,
  mandatory: dto.mandatory,
  category: dto.category,
  legalNorm: dto.legalNorm ?? null,
  guidance: dto.guidance ?? null,
  ...(dto.source === undefined ? {} : { source: dto.source }),
});

@ApiTags('Fragenkataloge / questionnaires')
@ApiBearerAuth()
@Controller('api/v1')
export class QuestionnairesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QuestionnairesQueries,
    private readonly catalogues: QuestionnaireCatalogues,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  @Post('questionnaires')
  @Action('questionnaire.publish')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async publish(
    @CurrentPrincipal() principal: Principal,
    @Body() body: PublishQuestionnaireDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    assertCanAccess(principal, 'questionnaire.publish', { tenant: principal.tenant });
    const content = this.content(body);
    const questionnaireId = this.ids.next();
    const result = await this.commands.execute(
      new ExecuteCommand(questionnaireAggregate, {
        aggregateId: questionnaireId,
        command: { type: 'PublishQuestionnaire', questionnaireId, ...content },
        context: commandContext(principal, headers),
      }),
    );
    response.status(201).setHeader('Location', `/api/v1/questionnaires/${questionnaireId}`);
    setEtag(response, result.revision);
    return result;
  }

  @Post('questionnaires/:id/versions')
  @HttpCode(201)
  @Action('questionnaire.publish')
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag der gelesenen Revision / ETag last read' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async publishVersion(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) questionnaireId: string,
    @Body() body: PublishQuestionnaireDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult> {
    const expectedRevision = parseIfMatch(headers['if-match']);
    // The pipeline answers 404 for a questionnaire that is not the caller's tenant's (or none), from the
    // stream: a version published right after the first one finds it, whatever the read model shows yet.
    assertCanAccess(principal, 'questionnaire.publish', { tenant: principal.tenant });
    const content = this.content(body);
    const result = await this.commands.execute(
      new ExecuteCommand(questionnaireAggregate, {
        aggregateId: questionnaireId,
        ...(expectedRevision === undefined ? {} : { expectedRevision }),
        command: { type: 'PublishQuestionnaireVersion', questionnaireId, ...content },
        context: commandContext(principal, headers),
      }),
    );
    setEtag(response, result.revision);
    return result;
  }

  @Post('questionnaires/:id/regional-questions')
  @HttpCode(201)
  @Action('questionnaire.add-regional-questions')
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag der gelesenen Revision / ETag last read' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async addRegionalQuestions(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) questionnaireId: string,
    @Body() body: AddRegionalQuestionsDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResult & { additionId: string }> {
    const expectedRevision = parseIfMatch(headers['if-match']);
    // Tenant and existence are checked by the pipeline on the stream (404), as for a new version.
    assertCanAccess(principal, 'questionnaire.add-regional-questions', { tenant: principal.tenant });
    const additionId = this.ids.next();
    const result = await this.commands.execute(
      new ExecuteCommand(questionnaireAggregate, {
        aggregateId: questionnaireId,
        ...(expectedRevision === undefined ? {} : { expectedRevision }),
        command: {
          type: 'AddRegionalQuestions',
          questionnaireId,
          additionId,
          // The Regionaldirektion's region comes from its token, never from the body.
          region: principal.region ?? '',
          questions: body.questions.map(toQuestion),
          validFrom: body.validFrom,
          validTo: body.validTo,
          reason: body.reason,
        },
        context: commandContext(principal, headers),
      }),
    );
    setEtag(response, result.revision);
    return { ...result, additionId };
  }

  @Get('questionnaires')
  @Action('questionnaire.read')
  async list(@CurrentPrincipal() principal: Principal): Promise<{ items: QuestionnaireSummary[] }> {
    return { items: await this.queries.list(principal) };
  }

  @Get('questionnaires/:id')
  @Action('questionnaire.read')
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) questionnaireId: string,
    @Query() query: QuestionnaireQueryDto,
    @Headers() headers: HeaderMap,
    @Res({ passthrough: true }) response: Response,
  ): Promise<QuestionnaireView | QuestionsView> {
    const view =
      query.version === undefined && query.on === undefined && query.region === undefined
        ? await this.queries.view(principal, questionnaireId)
        : await this.queries.questions(principal, questionnaireId, query);
    setEtag(response, view.revision);
    return view;
  }

  @Get('questionnaire-catalogues')
  @Action('questionnaire.read')
  catalogueList(): { items: CatalogueSummary[] } {
    return { items: this.catalogues.all().map(summarise) };
  }

  /** The version's content from the body, or from a shipped catalogue (never both). */
  private content(body: PublishQuestionnaireDto): VersionContent {
    const validFrom = body.validFrom ?? null;
    if (body.catalogue === undefined)
      return {
        title: body.title!,
        process: body.process!,
        source: body.source!,
        sections: body.sections!.map((section): Section => ({
          id: section.id,
          title: section.title,
          questions: section.questions.map(toQuestion),
        })),
        validFrom,
        reason: body.reason!,
      };
    const clash = (['title', 'process', 'source', 'sections'] as const).filter((field) => body[field] !== undefined);
    if (clash.length > 0)
      throw new RequestValidationError(
        clash.map((field) => ({ field, message: 'nicht zusammen mit catalogue / not together with catalogue' })),
      );
    const catalogue = this.catalogues.find(body.catalogue);
    if (catalogue === null)
      throw new RequestValidationError([
        {
          field: 'catalogue',
          message: `unbekannter Fragenkatalog / unknown catalogue (${this.catalogues
            .all()
            .map((known) => known.catalogue)
            .join(', ')})`,
        },
      ]);
    return {
      title: catalogue.title,
      process: catalogue.process,
      source: catalogue.source,
      sections: catalogue.sections,
      validFrom,
      reason: body.reason ?? catalogue.reason,
    };
  }
}
