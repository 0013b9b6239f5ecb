import type { Question } from '@pruefpfad/domain';
import { type QuestionnaireDoc, QUESTIONNAIRES } from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';

/**
 * A defect's category and legal norm are typed by the team lead: usually the question's catalogue values,
 * but free text is possible, and free text may name a person. Cross-level views show only catalogue
 * values; anything else becomes `OTHER_CATEGORY` (a category) or null (a legal norm).
 */
export const OTHER_CATEGORY = 'andere / other';

function questionsOf(doc: QuestionnaireDoc, version?: number): Question[] {
  return [
    ...doc.versions
      .filter((entry) => version === undefined || entry.version === version)
      .flatMap((entry) => entry.sections.flatMap((section) => section.questions)),
    ...doc.regionalAdditions.flatMap((addition) => addition.questions),
  ];
}

/** Every category the Jobcenter's published questionnaires name (all versions, regional additions). */
export async function catalogueCategories(documents: DocumentStore, tenant: string): Promise<ReadonlySet<string>> {
  const docs = (await documents.find(QUESTIONNAIRES, { tenant })) as QuestionnaireDoc[];
  return new Set(docs.flatMap((doc) => questionsOf(doc).map((question) => question.category)));
}

/** The catalogue's category and legal norm per question of one questionnaire version. */
export async function catalogueQuestions(
  documents: DocumentStore,
  tenant: string,
  questionnaireId: string,
  version: number,
): Promise<ReadonlyMap<string, Pick<Question, 'category' | 'legalNorm'>>> {
  const [doc] = (await documents.find(QUESTIONNAIRES, { tenant, questionnaireId }, { limit: 1 })) as QuestionnaireDoc[];
  return new Map(
    (doc === undefined ? [] : questionsOf(doc, version)).map((question) => [
      question.id,
      { category: question.category, legalNorm: question.legalNorm },
    ]),
  );
}

/** A copied defect as a cross-level participant sees it: category and legal norm only as catalogued. */
export function catalogueDefect<D extends { questionId: string; category: string; legalNorm: string | null }>(
  defect: D,
  questions: ReadonlyMap<string, Pick<Question, 'category' | 'legalNorm'>>,
): D {
  const question = questions.get(defect.questionId);
  return {
    ...defect,
    category: question?.category === defect.category ? defect.category : OTHER_CATEGORY,
    legalNorm: question !== undefined && question.legalNorm === defect.legalNorm ? defect.legalNorm : null,
  };
}
