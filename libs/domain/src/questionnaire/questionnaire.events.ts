import type { DomainEvent } from '../shared/decider.js';

/**
 * Questionnaires (Fragenkatalog, Checkliste, Prüfschema): versioned and immutable once published; new
 * reviews pin the version in force (003:70). Stream: `questionnaire-<id>`. Regional extra questions
 * (003:62, 101) are added beside a published version for a period and never alter it.
 */
export type AnswerType =
  /** ja / nein / entfällt */
  | 'yes-no-na'
  /** zielgerichtet / nicht zielgerichtet */
  | 'goal-directed'
  /** free text: always sealed in answers */
  | 'text'
  | 'date';

export interface Question {
  readonly id: string;
  readonly text: string;
  readonly answerType: AnswerType;
  readonly mandatory: boolean;
  /** Defect category a finding on this question falls into (e.g. `beratung`, `leistungsrecht`). */
  readonly category: string;
  /** Legal norm the question checks, e.g. `§ 15 SGB II`. */
  readonly legalNorm: string | null;
  readonly guidance: string | null;
  /**
   * Where the question is derived from (seed document and lines, e.g. `003:62`), for the change history.
   * Optional: questions published before this field existed, and ad-hoc questions, have none.
   */
  readonly source?: string;
}

export interface Section {
  readonly id: string;
  readonly title: string;
  readonly questions: readonly Question[];
}

export type QuestionnaireVersionPublished = DomainEvent<
  'QuestionnaireVersionPublished',
  {
    readonly questionnaireId: string;
    /** 1, 2, … */
    readonly version: number;
    readonly title: string;
    /** Customer process it is for, e.g. `allgemeine-vermittlung`, `leistung-laufend`. */
    readonly process: string;
    /** Where the questions come from (seed document and lines), for the change history. */
    readonly source: string;
    readonly sections: readonly Section[];
    /** Local date from which new reviews use this version. */
    readonly validFrom: string;
    readonly reason: string;
  }
>;

export type RegionalQuestionsAdded = DomainEvent<
  'RegionalQuestionsAdded',
  {
    readonly questionnaireId: string;
    readonly additionId: string;
    readonly region: string;
    readonly questions: readonly Question[];
    /** Local dates, inclusive. */
    readonly validFrom: string;
    readonly validTo: string;
    readonly reason: string;
  }
>;

export type QuestionnaireEvent = QuestionnaireVersionPublished | RegionalQuestionsAdded;

export const QUESTIONNAIRE_EVENT_SCHEMAS = {
  QuestionnaireVersionPublished: 1,
  RegionalQuestionsAdded: 1,
} as const satisfies Record<QuestionnaireEvent['type'], number>;

export const questionnaireStreamId = (questionnaireId: string): string => `questionnaire-${questionnaireId}`;
