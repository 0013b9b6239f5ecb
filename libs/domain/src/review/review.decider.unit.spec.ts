import { fold } from '../shared/decider.js';
import { DomainError } from '../shared/domain-error.js';
import type { Sealed } from '../shared/sealed.js';
import { reviewDecider, type ReviewCommand } from './review.decider.js';
import type { CaseSampled, ReviewEvent } from './review.events.js';
import type { ReviewQuestion } from './review.questions.js';

const context = {
  now: '2026-03-20T09:00:00.000Z',
  today: '2026-03-20',
  actor: { userId: 'tl-1', role: 'team_lead' },
  tenant: 'jc-a',
};

const sealed = (label: string): Sealed => ({ $sealed: 1, kid: 'review:r1', iv: label, ct: label, tag: label });

const questions: readonly ReviewQuestion[] = [
  {
    id: 'q1',
    text: 'Wurden die Handlungserfordernisse erkannt und nachvollziehbar dokumentiert?',
    answerType: 'yes-no-na',
    mandatory: true,
    category: 'beratung',
    legalNorm: '§ 15 SGB II',
    source: 'version',
  },
  {
    id: 'q2',
    text: 'Ist der Prozess insgesamt zielführend?',
    answerType: 'goal-directed',
    mandatory: true,
    category: 'integration',
    legalNorm: null,
    source: 'version',
  },
  {
    id: 'q3',
    text: 'Anmerkungen',
    answerType: 'text',
    mandatory: false,
    category: 'dokumentation',
    legalNorm: null,
    source: 'version',
  },
  {
    id: 'q4',
    text: 'Datum des letzten Kontakts',
    answerType: 'date',
    mandatory: false,
    category: 'dokumentation',
    legalNorm: null,
    source: 'regional',
  },
];

const sampled: CaseSampled['data'] = {
  reviewId: 'r1',
  sampleId: 's1',
  programmeId: 'p1',
  areaId: 'area-mi',
  teamId: 'team-1',
  month: '2026-03',
  casePseudonym: { $sealed: 1, kid: 'review:r-1', iv: 'iv', ct: 'ps', tag: 'tag' },
  caseRef: sealed('case'),
  customerGroup: 'u25',
  questionnaireId: 'vkb',
  questionnaireVersion: 1,
  deadline: '2026-03-31',
  origin: { kind: 'draw', replaces: null },
};

const opened: ReviewEvent = { type: 'CaseSampled', data: sampled };

const answerAll: ReviewCommand = {
  type: 'RecordAnswers',
  reviewId: 'r1',
  answers: [
    { questionId: 'q1', answer: { kind: 'yes-no-na', value: 'no' } },
    { questionId: 'q2', answer: { kind: 'goal-directed', value: 'not-goal-directed' } },
  ],
  questions,
  asDeputy: false,
};

const complete: ReviewCommand = {
  type: 'CompleteReview',
  reviewId: 'r1',
  outcome: 'not-goal-directed',
  summary: sealed('summary'),
  questions,
  asDeputy: false,
};

const defect = (defectId = 'd1'): Extract<ReviewCommand, { type: 'RecordDefect' }> => ({
  type: 'RecordDefect',
  reviewId: 'r1',
  defectId,
  questionId: 'q1',
  category: null,
  severity: 'serious',
  legalNorm: null,
  description: sealed('desc'),
  financialLoss: true,
  questions,
  asDeputy: false,
});

/** Runs a command on a history and returns the history with the new events appended. */
function run(history: readonly ReviewEvent[], command: ReviewCommand): ReviewEvent[] {
  return [...history, ...reviewDecider.decide(command, fold(reviewDecider, history), context)];
}

function refusal(history: readonly ReviewEvent[], command: ReviewCommand): DomainError {
  try {
    run(history, command);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const completedHistory = (): ReviewEvent[] => run(run(run([opened], answerAll), defect()), complete);

describe('review decider', () => {
  it('opens a review once; a redelivered CaseSampled writes nothing', () => {
    const history = run([], { type: 'OpenReview', sampled });
    expect(history).toEqual([opened]);
    expect(run(history, { type: 'OpenReview', sampled })).toEqual(history);
  });

  it('refuses every command on a review that does not exist (404)', () => {
    expect(refusal([], answerAll).code).toBe('NOT_FOUND');
  });

  it('saves answers partially and overwrites an answer while open', () => {
    const first = run([opened], {
      ...answerAll,
      answers: [{ questionId: 'q1', answer: { kind: 'yes-no-na', value: 'no' } }],
    });
    const second = run(first, {
      ...answerAll,
      answers: [{ questionId: 'q1', answer: { kind: 'yes-no-na', value: 'yes' } }],
    });
    const state = fold(reviewDecider, second);
    expect(state.status === 'open' && state.answers).toEqual({ q1: { kind: 'yes-no-na', value: 'yes' } });
  });

  it('validates answers against the pinned questions: unknown question, wrong type, wrong value, duplicates', () => {
    const error = refusal([opened], {
      ...answerAll,
      answers: [
        { questionId: 'q9', answer: { kind: 'yes-no-na', value: 'yes' } },
        { questionId: 'q1', answer: { kind: 'goal-directed', value: 'goal-directed' } },
        { questionId: 'q2', answer: { kind: 'goal-directed', value: 'maybe' as 'goal-directed' } },
        { questionId: 'q3', answer: { kind: 'yes-no-na', value: 'yes' } },
        { questionId: 'q2', answer: { kind: 'goal-directed', value: 'goal-directed' } },
      ],
    });
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(error.details.fields as object).sort()).toEqual([
      'answers.0.questionId',
      'answers.1.value',
      'answers.2.value',
      'answers.3.value',
      'answers.4.questionId',
    ]);
    expect(refusal([opened], { ...answerAll, answers: [] }).code).toBe('VALIDATION_FAILED');
  });

  it('accepts free text and dates only sealed', () => {
    const history = run([opened], {
      ...answerAll,
      answers: [
        { questionId: 'q3', answer: { kind: 'sealed', value: sealed('text') } },
        { questionId: 'q4', answer: { kind: 'sealed', value: sealed('date') } },
      ],
    });
    expect(history).toHaveLength(2);
  });

  it('completes only when every mandatory question is answered, naming the missing ones', () => {
    const partial = run([opened], {
      ...answerAll,
      answers: [{ questionId: 'q1', answer: { kind: 'yes-no-na', value: 'na' } }],
    });
    const error = refusal(partial, complete);
    expect(error.code).toBe('RULE_VIOLATION');
    expect(error.details).toEqual({ missing: ['q2'] });
    // The team lead reads the question's text, not its id; the ids travel with the problem.
    expect(error.message).toMatch(
      /^Abschluss erst, wenn .*; 1 Pflichtfrage ist noch offen: „Ist der Prozess insgesamt zielführend\?“\. \/ /,
    );
    expect(error.message).not.toMatch(/\bq2\b/);
    expect(error.problemExtensions).toEqual({
      openMandatoryQuestions: [{ id: 'q2', text: 'Ist der Prozess insgesamt zielführend?' }],
    });
    // A regional mandatory question of the sample month counts as well.
    const regional = {
      ...questions[0]!,
      id: 'r-q1',
      text: 'Regionaler Schwerpunkt beachtet?',
      source: 'regional' as const,
    };
    const withRegional = [...questions, regional];
    const regionalOpen = refusal(run([opened], answerAll), { ...complete, questions: withRegional });
    expect(regionalOpen.details).toEqual({ missing: ['r-q1'] });
    expect(regionalOpen.message).toContain('„Regionaler Schwerpunkt beachtet?“');
  });

  it('names at most five open questions by their text, cuts long texts, and counts the rest', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({
      ...questions[0]!,
      id: `m${i + 1}`,
      text: i === 0 ? `Lange Frage ${'x'.repeat(200)}` : `Frage Nummer ${i + 1}?`,
    }));
    const error = refusal([opened], { ...complete, questions: many });
    expect(error.message).toContain('8 Pflichtfragen sind noch offen: „Lange Frage xxx');
    expect(error.message).toContain(`${'x'.repeat(108)}…“; „Frage Nummer 2?“`);
    expect(error.message).toContain('„Frage Nummer 5?“ und 3 weitere. / ');
    expect(error.message).not.toContain('Frage Nummer 6');
    expect(error.message).toContain('8 still open');
    expect((error.problemExtensions?.openMandatoryQuestions as { id: string }[]).map((q) => q.id)).toEqual(
      many.map((question) => question.id),
    );
    const done = run(run([opened], answerAll), complete);
    expect(done.at(-1)).toEqual({
      type: 'ReviewCompleted',
      data: {
        reviewId: 'r1',
        outcome: 'not-goal-directed',
        summary: sealed('summary'),
        completedAt: context.now,
        completedOn: context.today,
        asDeputy: false,
      },
    });
    expect(refusal(run([opened], answerAll), { ...complete, questions: [] }).code).toBe('RULE_VIOLATION');
  });

  it('locks answers, defects, look-back and outcome after completion', () => {
    const done = completedHistory();
    for (const command of [
      answerAll,
      defect('d2'),
      { type: 'WithdrawDefect', reviewId: 'r1', defectId: 'd1', reason: sealed('r'), asDeputy: false },
      complete,
      {
        type: 'ExtendLookBack',
        reviewId: 'r1',
        months: 18,
        standardMonths: 12,
        maximumMonths: 60,
        reason: sealed('r'),
        asDeputy: false,
      },
    ] satisfies ReviewCommand[]) {
      expect(refusal(done, command).code).toBe('RULE_VIOLATION');
    }
  });

  it('corrects a completed review with a reason: only the changes are recorded, and they apply', () => {
    const done = completedHistory();
    const correction: ReviewCommand = {
      type: 'CorrectReview',
      reviewId: 'r1',
      reason: sealed('why'),
      outcome: 'goal-directed',
      answers: [
        { questionId: 'q1', answer: { kind: 'yes-no-na', value: 'no' } },
        { questionId: 'q2', answer: { kind: 'goal-directed', value: 'goal-directed' } },
      ],
      defects: [{ defectId: 'd1', severity: 'minor' }],
      questions,
      asDeputy: false,
    };
    const corrected = run(done, correction);
    expect(corrected.at(-1)).toEqual({
      type: 'ReviewCorrected',
      data: {
        reviewId: 'r1',
        reason: sealed('why'),
        outcome: 'goal-directed',
        answers: [{ questionId: 'q2', answer: { kind: 'goal-directed', value: 'goal-directed' } }],
        defects: [{ defectId: 'd1', severity: 'minor', category: 'beratung', withdrawn: false }],
        asDeputy: false,
      },
    });
    const state = fold(reviewDecider, corrected);
    expect(state).toMatchObject({
      status: 'completed',
      outcome: 'goal-directed',
      defects: { d1: { severity: 'minor', withdrawn: false } },
    });
    expect(refusal(corrected, correction).code).toBe('RULE_VIOLATION'); // changes nothing any more
    expect(refusal(done, { ...correction, defects: [{ defectId: 'nope', withdrawn: true }] }).details.fields).toEqual({
      'defects.0.defectId': expect.any(String),
    });
    expect(refusal(run([opened], answerAll), correction).code).toBe('RULE_VIOLATION'); // not completed yet
  });

  it('extends the look-back beyond the standard only with a reason, and only upwards within the bound', () => {
    const extend = (months: number, reason: Sealed | null): ReviewCommand => ({
      type: 'ExtendLookBack',
      reviewId: 'r1',
      months,
      standardMonths: 12,
      maximumMonths: 60,
      reason,
      asDeputy: false,
    });
    expect(refusal([opened], extend(18, null)).message).toContain('002:40');
    expect(refusal([opened], extend(12, sealed('r'))).code).toBe('RULE_VIOLATION');
    expect(refusal([opened], extend(61, sealed('r'))).code).toBe('VALIDATION_FAILED');
    const extended = run([opened], extend(18, sealed('r')));
    expect(extended.at(-1)).toMatchObject({ type: 'LookBackExtended', data: { months: 18 } });
    expect(refusal(extended, extend(15, sealed('r'))).code).toBe('RULE_VIOLATION');
    expect(run(extended, extend(24, sealed('r')))).toHaveLength(3);
  });

  it('records a defect with the question’s category and legal norm by default, flagging VfV on financial loss', () => {
    const history = run([opened], defect());
    expect(history.at(-1)).toEqual({
      type: 'DefectRecorded',
      data: {
        reviewId: 'r1',
        defectId: 'd1',
        questionId: 'q1',
        category: 'beratung',
        severity: 'serious',
        legalNorm: '§ 15 SGB II',
        description: sealed('desc'),
        financialLoss: true,
        asDeputy: false,
      },
    });
    const explicit = run([opened], { ...defect('d2'), category: 'leistungsrecht', legalNorm: '§ 11 SGB II' });
    expect(explicit.at(-1)).toMatchObject({ data: { category: 'leistungsrecht', legalNorm: '§ 11 SGB II' } });
    expect(refusal(history, defect()).code).toBe('ALREADY_EXISTS');
    expect(refusal([opened], { ...defect(), questionId: 'q9' }).details.fields).toEqual({
      questionId: expect.any(String),
    });
  });

  it('withdraws a defect before completion with a reason, once', () => {
    const withdraw: ReviewCommand = {
      type: 'WithdrawDefect',
      reviewId: 'r1',
      defectId: 'd1',
      reason: sealed('irrtum'),
      asDeputy: true,
    };
    const history = run(run([opened], defect()), withdraw);
    expect(history.at(-1)).toEqual({
      type: 'DefectWithdrawn',
      data: { reviewId: 'r1', defectId: 'd1', reason: sealed('irrtum'), asDeputy: true },
    });
    expect(refusal(history, withdraw).code).toBe('RULE_VIOLATION');
    expect(refusal([opened], withdraw).code).toBe('NOT_FOUND');
  });

  it('records talks and team discussions after completion, for either outcome, dated in the sample month or later', () => {
    const talk = (date: string): ReviewCommand => ({
      type: 'RecordTalk',
      reviewId: 'r1',
      date,
      employee: sealed('employee'),
      outcome: sealed('outcome'),
      asDeputy: false,
    });
    const discussion: ReviewCommand = {
      type: 'RecordTeamDiscussion',
      reviewId: 'r1',
      date: '2026-03-19',
      notes: null,
      asDeputy: true,
    };
    expect(refusal(run([opened], answerAll), talk('2026-03-19')).code).toBe('RULE_VIOLATION');
    for (const outcome of ['goal-directed', 'not-goal-directed'] as const) {
      const done = run(run([opened], answerAll), { ...complete, outcome });
      expect(run(done, talk('2026-03-19')).at(-1)).toMatchObject({ type: 'TalkHeld', data: { date: '2026-03-19' } });
      expect(run(done, discussion).at(-1)).toEqual({
        type: 'TeamDiscussionHeld',
        data: { reviewId: 'r1', date: '2026-03-19', notes: null, asDeputy: true },
      });
    }
    const done = completedHistory();
    expect(refusal(done, talk('2026-03-21')).details.fields).toEqual({ date: expect.stringContaining('Zukunft') });
    expect(refusal(done, talk('2026-02-28')).details.fields).toEqual({ date: expect.any(String) });
    expect(refusal(done, talk('2026-02-30')).code).toBe('VALIDATION_FAILED');
  });

  it('flags deputy work on the events', () => {
    const history = run([opened], { ...answerAll, asDeputy: true });
    expect(history.at(-1)).toMatchObject({ type: 'AnswersRecorded', data: { asDeputy: true } });
  });

  it('withdraws an open review for a replacement (idempotently) and then refuses every command', () => {
    const withdraw: ReviewCommand = {
      type: 'WithdrawReview',
      reviewId: 'r1',
      reason: sealed('ungeeignet'),
      replacedBy: 'r2',
    };
    const withdrawn = run(run([opened], answerAll), withdraw);
    expect(withdrawn.at(-1)).toEqual({
      type: 'ReviewWithdrawn',
      data: { reviewId: 'r1', reason: sealed('ungeeignet'), replacedBy: 'r2' },
    });
    expect(run(withdrawn, withdraw)).toEqual(withdrawn);
    expect(run(withdrawn, { type: 'OpenReview', sampled })).toEqual(withdrawn);
    for (const command of [answerAll, defect('d9'), complete]) {
      expect(refusal(withdrawn, command).message).toContain('zurückgezogen');
    }
    expect(refusal(completedHistory(), withdraw).code).toBe('RULE_VIOLATION');
  });
});
