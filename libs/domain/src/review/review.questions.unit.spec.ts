import type { Question } from '../questionnaire/questionnaire.events.js';
import { questionsForReview, type QuestionnaireSource } from './review.questions.js';

const question = (id: string, mandatory = true): Question => ({
  id,
  text: `Frage ${id}`,
  answerType: 'yes-no-na',
  mandatory,
  category: 'beratung',
  legalNorm: null,
  guidance: null,
});

const questionnaire: QuestionnaireSource = {
  versions: [
    { version: 1, sections: [{ id: 's1', title: 'A', questions: [question('q1'), question('q2', false)] }] },
    { version: 2, sections: [{ id: 's1', title: 'A', questions: [question('q1'), question('q3')] }] },
  ],
  regionalAdditions: [
    { validFrom: '2026-03-15', validTo: '2026-06-30', questions: [question('rq-spring')] },
    { validFrom: '2026-01-01', validTo: '2026-02-28', questions: [question('rq-winter')] },
    { validFrom: '2026-03-31', validTo: '2026-03-31', questions: [question('rq-edge'), question('q1', false)] },
  ],
};

describe('questionsForReview', () => {
  it('takes the pinned version, never a later one', () => {
    const ids = questionsForReview(questionnaire, 1, '2026-02')!.map((q) => q.id);
    expect(ids).toEqual(['q1', 'q2', 'rq-winter']);
  });

  it('adds regional questions whose validity overlaps the sample month, without overriding published ones', () => {
    const questions = questionsForReview(questionnaire, 2, '2026-03')!;
    expect(questions.map((q) => [q.id, q.source, q.mandatory])).toEqual([
      ['q1', 'version', true],
      ['q3', 'version', true],
      ['rq-spring', 'regional', true],
      ['rq-edge', 'regional', true],
    ]);
    expect(questionsForReview(questionnaire, 2, '2026-07')!.map((q) => q.id)).toEqual(['q1', 'q3']);
  });

  it('answers null for an unknown version', () => {
    expect(questionsForReview(questionnaire, 3, '2026-03')).toBeNull();
  });
});
