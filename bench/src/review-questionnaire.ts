import fs from 'node:fs';
import path from 'node:path';
import {
  findCataloguesDirectory,
  parseCatalogue,
  type QuestionnaireCatalogue,
} from '../../apps/api/src/questionnaires/questionnaire-catalogues.js';
import { questionsForReview, type ReviewQuestionDetail } from '@pruefpfad/domain';

/**
 * The questionnaire the bench's reviews answer: the shipped catalogue of the course-of-case review
 * (verlaufsbezogene Kundenbetrachtung), loaded and checked by the same code as the API's catalogue
 * routes, published as version 1 without regional additions. Its question list is what the API passes
 * in every review command that needs it (`questionsForReview`, as `ReviewsQueries.questions` does).
 */
export const BENCH_CATALOGUE = 'verlaufsbezogene-kundenbetrachtung';
export const BENCH_QUESTIONNAIRE_VERSION = 1;

export interface BenchQuestionnaire {
  readonly catalogue: QuestionnaireCatalogue;
  readonly questionnaireId: string;
  readonly version: number;
  /** The review's questions for `month` (the pinned version; no regional additions here). */
  readonly questions: readonly ReviewQuestionDetail[];
}

export function loadBenchQuestionnaire(month: string): BenchQuestionnaire {
  const file = path.join(findCataloguesDirectory(), `${BENCH_CATALOGUE}.json`);
  const catalogue = parseCatalogue(JSON.parse(fs.readFileSync(file, 'utf8')) as unknown, file);
  const questions = questionsForReview(
    { versions: [{ version: BENCH_QUESTIONNAIRE_VERSION, sections: catalogue.sections }], regionalAdditions: [] },
    BENCH_QUESTIONNAIRE_VERSION,
    month,
  );
  if (questions === null) throw new Error(`bench: catalogue ${BENCH_CATALOGUE} has no version 1`);
  return { catalogue, questionnaireId: BENCH_CATALOGUE, version: BENCH_QUESTIONNAIRE_VERSION, questions };
}
