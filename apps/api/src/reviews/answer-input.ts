import {
  type AnswerEntry,
  type AnswerValue,
  DomainError,
  isLocalDate,
  type ReviewQuestion,
  type Sealed,
} from '@pruefpfad/domain';

const YES_NO_NA = ['yes', 'no', 'na'] as const;
const GOAL_DIRECTED = ['goal-directed', 'not-goal-directed'] as const;

const includes = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

/**
 * Turns the client's answers (all strings) into typed answers by each question's answer type: closed
 * answers stay clear, free text and dates are sealed before anything reaches the domain. Offending
 * answers are reported together (400 with their field paths); nothing is sealed unless all are valid.
 */
export async function toAnswerEntries(
  inputs: readonly { readonly questionId: string; readonly value: string }[],
  questions: readonly ReviewQuestion[],
  seal: (value: string) => Promise<Sealed>,
  field = 'answers',
): Promise<AnswerEntry[]> {
  const byId = new Map(questions.map((question) => [question.id, question]));
  const problems: Record<string, string> = {};
  inputs.forEach((input, index) => {
    const question = byId.get(input.questionId);
    if (!question) {
      problems[`${field}.${index}.questionId`] =
        'keine Frage dieser Prüfung (Fragebogenversion) / not a question of this review (questionnaire version)';
      return;
    }
    const bad = `${field}.${index}.value`;
    if (question.answerType === 'yes-no-na' && !includes(YES_NO_NA, input.value))
      problems[bad] = `erlaubt / allowed: ${YES_NO_NA.join(', ')}`;
    if (question.answerType === 'goal-directed' && !includes(GOAL_DIRECTED, input.value))
      problems[bad] = `erlaubt / allowed: ${GOAL_DIRECTED.join(', ')}`;
    if (question.answerType === 'date' && !isLocalDate(input.value))
      problems[bad] = 'Datum yyyy-mm-dd erwartet / expected a date yyyy-mm-dd';
  });
  if (Object.keys(problems).length > 0)
    throw new DomainError('VALIDATION_FAILED', 'Ungültige Antworten / Invalid answers', { fields: problems });

  return Promise.all(
    inputs.map(async (input): Promise<AnswerEntry> => {
      const question = byId.get(input.questionId)!;
      let answer: AnswerValue;
      if (question.answerType === 'yes-no-na' && includes(YES_NO_NA, input.value))
        answer = { kind: 'yes-no-na', value: input.value };
      else if (question.answerType === 'goal-directed' && includes(GOAL_DIRECTED, input.value))
        answer = { kind: 'goal-directed', value: input.value };
      else answer = { kind: 'sealed', value: await seal(input.value) };
      return { questionId: input.questionId, answer };
    }),
  );
}
