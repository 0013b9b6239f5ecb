import { isLocalDate } from '../calendar/local-date.js';
import { DomainError } from '../shared/domain-error.js';
import type { AnswerType, Question, Section } from './questionnaire.events.js';

/**
 * The publish rules of a questionnaire, shared by the decider and by the catalogue loader (a shipped
 * catalogue is published through the same rules). Defensive about types: catalogue files are JSON read
 * from disk, not DTOs that class-validator has already checked. Field paths follow class-validator's
 * (`sections.0.questions.2.id`) so a client meets one convention.
 */
export const ANSWER_TYPES = ['yes-no-na', 'goal-directed', 'text', 'date'] as const satisfies readonly AnswerType[];

/** Section and question ids: stable, URL- and CSV-safe, so reviews and reports can refer to them. */
export const QUESTIONNAIRE_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export const QUESTION_LIMITS = {
  sections: 50,
  questionsPerSection: 200,
  title: 300,
  text: 2000,
  guidance: 4000,
  category: 100,
  legalNorm: 300,
  source: 500,
} as const;

export type Problems = Record<string, string>;

const isText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.trim() !== '' && value.length <= max;

const optionalText = (value: unknown, max: number): boolean =>
  value === null || value === undefined || isText(value, max);

function validateQuestion(question: unknown, path: string, problems: Problems): string | null {
  if (typeof question !== 'object' || question === null) {
    problems[path] = 'muss ein Objekt sein / must be an object';
    return null;
  }
  const q = question as Partial<Record<keyof Question, unknown>>;
  if (typeof q.id !== 'string' || !QUESTIONNAIRE_ID_PATTERN.test(q.id))
    problems[`${path}.id`] = 'Kleinbuchstaben, Ziffern, . _ - (max. 64) / lower-case letters, digits, . _ - (max 64)';
  if (!isText(q.text, QUESTION_LIMITS.text))
    problems[`${path}.text`] = `darf nicht leer sein (max. ${QUESTION_LIMITS.text}) / must not be empty`;
  if (typeof q.answerType !== 'string' || !(ANSWER_TYPES as readonly string[]).includes(q.answerType))
    problems[`${path}.answerType`] = `einer von / one of ${ANSWER_TYPES.join(', ')}`;
  if (typeof q.mandatory !== 'boolean') problems[`${path}.mandatory`] = 'true oder false / true or false';
  if (!isText(q.category, QUESTION_LIMITS.category))
    problems[`${path}.category`] = 'darf nicht leer sein / must not be empty';
  if (!optionalText(q.legalNorm, QUESTION_LIMITS.legalNorm))
    problems[`${path}.legalNorm`] = 'Text oder null / text or null';
  if (!optionalText(q.guidance, QUESTION_LIMITS.guidance))
    problems[`${path}.guidance`] = 'Text oder null / text or null';
  if (q.source !== undefined && !isText(q.source, QUESTION_LIMITS.source))
    problems[`${path}.source`] = 'Text (Quelle, z. B. 003:62) / text (source, e.g. 003:62)';
  return typeof q.id === 'string' ? q.id : null;
}

/**
 * A list of questions: non-empty, each well formed, ids unique within the list and not in `taken`
 * (ids the questions must not clash with). Returns the ids it saw.
 */
export function validateQuestions(
  questions: unknown,
  path: string,
  problems: Problems,
  taken: ReadonlySet<string> = new Set(),
  seen: Set<string> = new Set(),
): Set<string> {
  if (!Array.isArray(questions) || questions.length === 0) {
    problems[path] = 'mindestens eine Frage / at least one question';
    return seen;
  }
  if (questions.length > QUESTION_LIMITS.questionsPerSection)
    problems[path] =
      `höchstens ${QUESTION_LIMITS.questionsPerSection} Fragen / at most ${QUESTION_LIMITS.questionsPerSection}`;
  questions.forEach((question: unknown, index) => {
    const id = validateQuestion(question, `${path}.${index}`, problems);
    if (id === null) return;
    if (seen.has(id)) problems[`${path}.${index}.id`] = `doppelte Frage-ID / duplicate question id: ${id}`;
    else if (taken.has(id)) problems[`${path}.${index}.id`] = `Frage-ID bereits vergeben / question id taken: ${id}`;
    seen.add(id);
  });
  return seen;
}

/** Sections of a version: non-empty, ids unique, each with questions whose ids are unique across the version. */
export function validateSections(sections: unknown, problems: Problems, path = 'sections'): Set<string> {
  const questionIds = new Set<string>();
  if (!Array.isArray(sections) || sections.length === 0) {
    problems[path] = 'mindestens ein Abschnitt / at least one section';
    return questionIds;
  }
  if (sections.length > QUESTION_LIMITS.sections)
    problems[path] = `höchstens ${QUESTION_LIMITS.sections} Abschnitte / at most ${QUESTION_LIMITS.sections}`;
  const sectionIds = new Set<string>();
  sections.forEach((section: unknown, index) => {
    const at = `${path}.${index}`;
    if (typeof section !== 'object' || section === null) {
      problems[at] = 'muss ein Objekt sein / must be an object';
      return;
    }
    const s = section as Partial<Record<keyof Section, unknown>>;
    if (typeof s.id !== 'string' || !QUESTIONNAIRE_ID_PATTERN.test(s.id))
      problems[`${at}.id`] = 'Kleinbuchstaben, Ziffern, . _ - (max. 64) / lower-case letters, digits, . _ - (max 64)';
    else if (sectionIds.has(s.id)) problems[`${at}.id`] = `doppelte Abschnitts-ID / duplicate section id: ${s.id}`;
    else sectionIds.add(s.id);
    if (!isText(s.title, QUESTION_LIMITS.title)) problems[`${at}.title`] = 'darf nicht leer sein / must not be empty';
    validateQuestions(s.questions, `${at}.questions`, problems, new Set(), questionIds);
  });
  return questionIds;
}

export function validateLocalDate(value: unknown, field: string, problems: Problems): value is string {
  if (typeof value === 'string' && isLocalDate(value)) return true;
  problems[field] = 'Datum jjjj-mm-tt / date yyyy-mm-dd';
  return false;
}

export function throwIfProblems(problems: Problems, what: string): void {
  if (Object.keys(problems).length > 0) throw new DomainError('VALIDATION_FAILED', what, { fields: problems });
}
