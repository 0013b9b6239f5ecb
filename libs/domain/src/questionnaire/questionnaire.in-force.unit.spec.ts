import type { Question } from './questionnaire.events.js';
import { questionsFor, versionInForce, type QuestionnaireLike } from './questionnaire.in-force.js';

const question = (id: string): Question => ({
  id,
  text: `${id}?`,
  answerType: 'yes-no-na',
  mandatory: false,
  category: 'beratung',
  legalNorm: null,
  guidance: null,
});

const questionnaire: QuestionnaireLike = {
  versions: [
    { version: 1, validFrom: '2026-01-01', sections: [{ id: 's', title: 'S', questions: [question('q1')] }] },
    {
      version: 2,
      validFrom: '2026-04-01',
      sections: [{ id: 's', title: 'S', questions: [question('q1'), question('q2')] }],
    },
    { version: 3, validFrom: '2026-07-01', sections: [{ id: 's', title: 'S', questions: [question('q3')] }] },
  ],
  regionalAdditions: [
    {
      additionId: 'a1',
      region: 'rd-nrw',
      validFrom: '2026-03-01',
      validTo: '2026-03-31',
      questions: [question('r1'), question('q1')],
    },
    { additionId: 'a2', region: 'rd-bb', validFrom: '2026-03-15', validTo: '2026-05-31', questions: [question('r2')] },
  ],
};

describe('versionInForce', () => {
  it('is the newest version whose validFrom is on or before the date (003:70)', () => {
    expect(versionInForce(questionnaire.versions, '2025-12-31')).toBeNull();
    expect(versionInForce(questionnaire.versions, '2026-01-01')?.version).toBe(1);
    expect(versionInForce(questionnaire.versions, '2026-03-31')?.version).toBe(1);
    expect(versionInForce(questionnaire.versions, '2026-04-01')?.version).toBe(2);
    expect(versionInForce(questionnaire.versions, '2027-01-01')?.version).toBe(3);
  });

  it('does not depend on the order the versions are listed in', () => {
    expect(versionInForce([...questionnaire.versions].reverse(), '2026-05-01')?.version).toBe(2);
  });
});

describe('questionsFor', () => {
  const ids = (date: string, version: number, region: string | null) => {
    const result = questionsFor(questionnaire, version, region, date)!;
    return {
      version: result.sections.flatMap((section) => section.questions.map((q) => q.id)),
      regional: result.regionalQuestions.map((q) => `${q.additionId}:${q.id}`),
    };
  };

  it('adds regional questions only on days inside their period (inclusive)', () => {
    expect(ids('2026-02-28', 1, null).regional).toEqual([]);
    expect(ids('2026-03-01', 1, null).regional).toEqual(['a1:r1']);
    expect(ids('2026-03-31', 1, null).regional).toEqual(['a1:r1', 'a2:r2']);
    expect(ids('2026-04-01', 1, null).regional).toEqual(['a2:r2']);
    expect(ids('2026-06-01', 1, null).regional).toEqual([]);
  });

  it('filters by region when one is given', () => {
    expect(ids('2026-03-20', 1, 'rd-nrw').regional).toEqual(['a1:r1']);
    expect(ids('2026-03-20', 1, 'rd-bb').regional).toEqual(['a2:r2']);
    expect(ids('2026-03-20', 1, 'rd-by').regional).toEqual([]);
  });

  it('keeps the pinned version exactly as published; on an id clash the published question wins', () => {
    const result = questionsFor(questionnaire, 1, null, '2026-03-20')!;
    expect(result.sections).toBe(questionnaire.versions[0]!.sections);
    expect(result.regionalQuestions.map((q) => q.id)).not.toContain('q1');
    expect(ids('2026-03-20', 2, null).version).toEqual(['q1', 'q2']);
  });

  it('answers null for a version that does not exist', () => {
    expect(questionsFor(questionnaire, 4, null, '2026-03-20')).toBeNull();
  });
});
