import type { Question, Section } from '@pruefpfad/domain';

/**
 * Read model `questionnaires`: one document per questionnaire, `_id` = `<tenant>:<questionnaireId>`, all
 * published versions kept (reviews pin one). Sampling and reviews rely on this shape.
 */
export const QUESTIONNAIRES = 'questionnaires';

export const questionnaireDocId = (tenant: string, questionnaireId: string): string => `${tenant}:${questionnaireId}`;

export interface QuestionnaireDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly tenant: string;
  readonly questionnaireId: string;
  readonly title: string;
  readonly process: string;
  readonly versions: readonly {
    readonly version: number;
    readonly validFrom: string;
    readonly publishedAt: string;
    readonly source: string;
    readonly reason: string;
    readonly sections: readonly Section[];
  }[];
  readonly regionalAdditions: readonly {
    readonly additionId: string;
    readonly region: string;
    readonly validFrom: string;
    readonly validTo: string;
    readonly reason: string;
    readonly questions: readonly Question[];
  }[];
}
