import { firstDayOfMonth, lastDayOfMonth } from '../calendar/local-date.js';
import type { AnswerType, Question, Section } from '../questionnaire/questionnaire.events.js';
import { DomainError } from '../shared/domain-error.js';

/** What the review decider needs to know of a question: the pinned version's or a regional addition's. */
export interface ReviewQuestion {
  readonly id: string;
  /** The question as the pinned version (or the regional addition) words it: what a refusal names. */
  readonly text: string;
  readonly answerType: AnswerType;
  readonly mandatory: boolean;
  readonly category: string;
  readonly legalNorm: string | null;
  /** `version` for the pinned questionnaire version, `regional` for a regional addition (003:62, 101). */
  readonly source: 'version' | 'regional';
}

/** A review question with what a person answering it reads. */
export interface ReviewQuestionDetail extends ReviewQuestion {
  readonly guidance: string | null;
  /** The section of the pinned version; null for regional additions. */
  readonly sectionId: string | null;
}

/** The parts of the `questionnaires` read model the question list is derived from (structural, no import). */
export interface QuestionnaireSource {
  readonly versions: readonly { readonly version: number; readonly sections: readonly Section[] }[];
  readonly regionalAdditions: readonly {
    readonly validFrom: string;
    readonly validTo: string;
    readonly questions: readonly Question[];
  }[];
}

/**
 * The questions a review answers: those of the questionnaire version pinned when the case was sampled
 * (new reviews use the version in force, 003:70; a later version never changes a running review), plus
 * the regional additions whose validity period overlaps the sample month. Null when the pinned version
 * is unknown. A regional question never replaces a published one: on an id clash the version wins.
 */
export function questionsForReview(
  questionnaire: QuestionnaireSource,
  version: number,
  month: string,
): readonly ReviewQuestionDetail[] | null {
  const pinned = questionnaire.versions.find((candidate) => candidate.version === version);
  if (!pinned) return null;
  const toReviewQuestion = (question: Question, sectionId: string | null): ReviewQuestionDetail => ({
    id: question.id,
    answerType: question.answerType,
    mandatory: question.mandatory,
    category: question.category,
    legalNorm: question.legalNorm,
    source: sectionId === null ? 'regional' : 'version',
    text: question.text,
    guidance: question.guidance,
    sectionId,
  });
  const questions = pinned.sections.flatMap((section) =>
    section.questions.map((question) => toReviewQuestion(question, section.id)),
  );
  const ids = new Set(questions.map((question) => question.id));
  const monthStart = firstDayOfMonth(month);
  const monthEnd = lastDayOfMonth(month);
  for (const addition of questionnaire.regionalAdditions) {
    if (addition.validTo < monthStart || addition.validFrom > monthEnd) continue;
    for (const question of addition.questions) {
      if (ids.has(question.id)) continue;
      ids.add(question.id);
      questions.push(toReviewQuestion(question, null));
    }
  }
  return questions;
}

/**
 * `questionsForReview`, refused when the questionnaire (absent: null) does not hold the review's pinned
 * version: commands and reads of a review say so in the same words.
 */
export function requireQuestionsForReview(
  questionnaire: QuestionnaireSource | null,
  questionnaireId: string,
  version: number,
  month: string,
): readonly ReviewQuestionDetail[] {
  const questions = questionnaire === null ? null : questionsForReview(questionnaire, version, month);
  if (questions === null)
    throw new DomainError(
      'RULE_VIOLATION',
      'Die Fragebogenversion dieser Prüfung ist nicht verfügbar. / ' +
        'The questionnaire version of this review is not available.',
      { questionnaireId, version },
    );
  return questions;
}
