import { Inject, Injectable } from '@nestjs/common';
import { berlinDate, type Clock, NotFoundError } from '@pruefpfad/application';
import { type Principal, questionsFor, type RegionalQuestion, type Section, versionInForce } from '@pruefpfad/domain';
import { type QuestionnaireDoc, questionnaireDocId, QUESTIONNAIRES } from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { RequestValidationError } from '../errors/validation.js';
import { CLOCK, DOCUMENT_STORE } from '../runtime/tokens.js';
import type { QuestionnaireQueryDto } from './questionnaire.dto.js';

export interface QuestionnaireSummary {
  readonly id: string;
  readonly title: string;
  readonly process: string;
  /** Stream revision (the `ETag`): one event per version or regional addition. */
  readonly revision: number;
  readonly latestVersion: number;
  /** The version new reviews use today (Europe/Berlin); null before the first version takes effect. */
  readonly versionInForce: number | null;
  readonly versions: readonly { readonly version: number; readonly validFrom: string; readonly publishedAt: string }[];
  readonly regionalAdditions: number;
}

export interface QuestionnaireView extends Omit<QuestionnaireSummary, 'versions' | 'regionalAdditions'> {
  readonly versions: QuestionnaireDoc['versions'];
  readonly regionalAdditions: QuestionnaireDoc['regionalAdditions'];
}

/** One version's questions, plus the regional additions valid on `on` when a day is asked for. */
export interface QuestionsView {
  readonly id: string;
  readonly title: string;
  readonly process: string;
  readonly revision: number;
  readonly version: number;
  readonly validFrom: string;
  readonly on: string | null;
  readonly region: string | null;
  readonly sections: readonly Section[];
  readonly regionalQuestions: readonly RegionalQuestion[];
}

const revisionOf = (doc: QuestionnaireDoc): number => doc.versions.length + doc.regionalAdditions.length - 1;

/** Reads questionnaires from the projection, never from events. Questionnaires hold no personal data. */
@Injectable()
export class QuestionnairesQueries {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The caller's tenant's questionnaire, or 404 (another tenant's does not exist for them). */
  async find(principal: Principal, questionnaireId: string): Promise<QuestionnaireDoc> {
    const doc = (await this.documents.get(
      QUESTIONNAIRES,
      questionnaireDocId(principal.tenant, questionnaireId),
    )) as QuestionnaireDoc | null;
    if (!doc || doc.tenant !== principal.tenant) throw new NotFoundError(`questionnaire ${questionnaireId}`);
    return doc;
  }

  async list(principal: Principal): Promise<QuestionnaireSummary[]> {
    const docs = (await this.documents.find(
      QUESTIONNAIRES,
      { tenant: principal.tenant },
      { sort: { title: 1, questionnaireId: 1 } },
    )) as QuestionnaireDoc[];
    const today = this.today();
    return docs.map((doc) => ({
      ...this.head(doc, today),
      versions: doc.versions.map(({ version, validFrom, publishedAt }) => ({ version, validFrom, publishedAt })),
      regionalAdditions: doc.regionalAdditions.length,
    }));
  }

  async view(principal: Principal, questionnaireId: string): Promise<QuestionnaireView> {
    const doc = await this.find(principal, questionnaireId);
    return { ...this.head(doc, this.today()), versions: doc.versions, regionalAdditions: doc.regionalAdditions };
  }

  /**
   * `?version=n`: that version as published. `?on=day` (optionally `&region=`): the version in force on
   * that day (003:70) or the given one, plus the regional questions valid that day.
   */
  async questions(principal: Principal, questionnaireId: string, query: QuestionnaireQueryDto): Promise<QuestionsView> {
    if (query.region !== undefined && query.on === undefined)
      throw new RequestValidationError([{ field: 'region', message: 'nur zusammen mit on / only together with on' }]);
    const doc = await this.find(principal, questionnaireId);
    const on = query.on ?? null;
    const version = query.version ?? (on === null ? undefined : versionInForce(doc.versions, on)?.version);
    if (version === undefined)
      throw new NotFoundError(`questionnaire ${questionnaireId}: no version in force on ${on}`);
    const region = query.region ?? null;
    const pinned = doc.versions.find((candidate) => candidate.version === version);
    if (!pinned) throw new NotFoundError(`questionnaire ${questionnaireId} version ${version}`);
    const inForce = on === null ? null : questionsFor(doc, version, region, on);
    return {
      id: doc.questionnaireId,
      title: doc.title,
      process: doc.process,
      revision: revisionOf(doc),
      version,
      validFrom: pinned.validFrom,
      on,
      region,
      sections: pinned.sections,
      regionalQuestions: inForce?.regionalQuestions ?? [],
    };
  }

  private head(doc: QuestionnaireDoc, today: string) {
    return {
      id: doc.questionnaireId,
      title: doc.title,
      process: doc.process,
      revision: revisionOf(doc),
      latestVersion: Math.max(...doc.versions.map((version) => version.version)),
      versionInForce: versionInForce(doc.versions, today)?.version ?? null,
    };
  }

  private today(): string {
    return berlinDate(this.clock.now());
  }
}
