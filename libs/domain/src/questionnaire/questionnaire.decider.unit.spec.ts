import { fold, type DecisionContext } from '../shared/decider.js';
import { DomainError } from '../shared/domain-error.js';
import {
  questionnaireDecider,
  type QuestionnaireCommand,
  type QuestionnaireState,
  type VersionContent,
} from './questionnaire.decider.js';
import type { Question, QuestionnaireEvent, QuestionnaireVersionPublished, Section } from './questionnaire.events.js';

const context: DecisionContext = {
  now: '2026-03-02T08:00:00.000Z',
  today: '2026-03-02',
  actor: { userId: 'gf-1', role: 'management' },
  tenant: 'jc-a',
};

const question = (id: string, overrides: Partial<Question> = {}): Question => ({
  id,
  text: `Frage ${id}?`,
  answerType: 'yes-no-na',
  mandatory: true,
  category: 'beratung',
  legalNorm: '§ 15 SGB II',
  guidance: null,
  source: '003:62',
  ...overrides,
});

const sections: Section[] = [
  { id: 's1', title: 'Handlungserfordernisse', questions: [question('q1'), question('q2', { answerType: 'text' })] },
  { id: 's2', title: 'Gesamtbewertung', questions: [question('q3', { answerType: 'goal-directed' })] },
];

const content: VersionContent = {
  title: 'Verlaufsbezogene Kundenbetrachtung',
  process: 'allgemeine-vermittlung',
  source: '002, 003',
  sections,
  validFrom: null,
  reason: 'Einführung',
};

const publish = (overrides: Partial<VersionContent> = {}): QuestionnaireCommand => ({
  type: 'PublishQuestionnaire',
  questionnaireId: 'qn-1',
  ...content,
  ...overrides,
});
const nextVersion = (overrides: Partial<VersionContent> = {}): QuestionnaireCommand => ({
  type: 'PublishQuestionnaireVersion',
  questionnaireId: 'qn-1',
  ...content,
  ...overrides,
});
const regional = (
  overrides: Partial<Extract<QuestionnaireCommand, { type: 'AddRegionalQuestions' }>> = {},
): QuestionnaireCommand => ({
  type: 'AddRegionalQuestions',
  questionnaireId: 'qn-1',
  additionId: 'add-1',
  region: 'rd-nrw',
  questions: [question('r1', { mandatory: false })],
  validFrom: '2026-04-01',
  validTo: '2026-06-30',
  reason: 'Regionaler Schwerpunkt Alleinerziehende',
  ...overrides,
});

function run(history: readonly QuestionnaireEvent[], command: QuestionnaireCommand, ctx = context) {
  const state: QuestionnaireState = fold(questionnaireDecider, history);
  return questionnaireDecider.decide(command, state, ctx);
}

function refusal(action: () => unknown): DomainError {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const v1 = run([], publish())[0]!;

describe('questionnaire decider', () => {
  it('publishes version 1, in force from today unless a date is given', () => {
    expect(v1).toEqual({
      type: 'QuestionnaireVersionPublished',
      data: {
        questionnaireId: 'qn-1',
        version: 1,
        title: content.title,
        process: 'allgemeine-vermittlung',
        source: '002, 003',
        sections,
        validFrom: '2026-03-02',
        reason: 'Einführung',
      },
    });
    expect((run([], publish({ validFrom: '2026-01-01' }))[0] as QuestionnaireVersionPublished).data.validFrom).toBe(
      '2026-01-01',
    );
  });

  it('never publishes version 1 twice: a change is a new version', () => {
    expect(refusal(() => run([v1], publish())).code).toBe('ALREADY_EXISTS');
  });

  it('publishes the next version as a new event, numbered 2, 3, …', () => {
    const changed = [...sections, { id: 's3', title: 'Dialog', questions: [question('q4')] }];
    const v2 = run([v1], nextVersion({ sections: changed, validFrom: '2026-04-01', reason: 'Neue Weisung' }));
    expect(v2).toHaveLength(1);
    expect(v2[0]).toMatchObject({ type: 'QuestionnaireVersionPublished', data: { version: 2, sections: changed } });
    const v3 = run([v1, v2[0]!], nextVersion({ title: 'Neuer Titel', validFrom: '2026-04-01' }));
    expect((v3[0] as QuestionnaireVersionPublished).data.version).toBe(3);
  });

  it('refuses a new version of an unknown questionnaire (404), for another process, that changes nothing, or backdated', () => {
    expect(refusal(() => run([], nextVersion())).code).toBe('NOT_FOUND');
    expect(refusal(() => run([v1], nextVersion({ process: 'leistung-laufend' }))).code).toBe('RULE_VIOLATION');
    expect(refusal(() => run([v1], nextVersion())).message).toContain('ändert nichts');
    const changed = [sections[0]!];
    const backdated = refusal(() => run([v1], nextVersion({ sections: changed, validFrom: '2026-03-01' })));
    expect(backdated.code).toBe('RULE_VIOLATION');
    const v1Later = run([], publish({ validFrom: '2026-05-01' }))[0]!;
    expect(refusal(() => run([v1Later], nextVersion({ sections: changed, validFrom: '2026-04-01' }))).code).toBe(
      'RULE_VIOLATION',
    );
  });

  it('validates sections and questions with field paths: ids, duplicates, texts, answer types', () => {
    const bad: Section[] = [
      {
        id: 'S 1',
        title: '',
        questions: [
          question('q1'),
          question('q1'),
          question('q2', { text: ' ', answerType: 'scale' as never, category: '' }),
        ],
      },
      { id: 's2', title: 'Leer', questions: [] },
      { id: 's3', title: 'Doppelt über Abschnitte', questions: [question('q2')] },
    ];
    const error = refusal(() => run([], publish({ sections: bad, reason: ' ', validFrom: '2026-02-30' })));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys((error.details as { fields: Record<string, string> }).fields).sort()).toEqual(
      [
        'reason',
        'sections.0.id',
        'sections.0.questions.1.id',
        'sections.0.questions.2.answerType',
        'sections.0.questions.2.category',
        'sections.0.questions.2.text',
        'sections.0.title',
        'sections.1.questions',
        'sections.2.questions.0.id',
        'validFrom',
      ].sort(),
    );
    expect(refusal(() => run([], publish({ sections: [] }))).details).toEqual({
      fields: { sections: expect.any(String) },
    });
  });

  it('adds regional questions beside the version for a period, with the region of the principal', () => {
    const events = run([v1], regional());
    expect(events).toEqual([
      {
        type: 'RegionalQuestionsAdded',
        data: {
          questionnaireId: 'qn-1',
          additionId: 'add-1',
          region: 'rd-nrw',
          questions: [question('r1', { mandatory: false })],
          validFrom: '2026-04-01',
          validTo: '2026-06-30',
          reason: 'Regionaler Schwerpunkt Alleinerziehende',
        },
      },
    ]);
    // The published version is untouched: its state still lists only its own questions.
    const state = fold(questionnaireDecider, [v1, ...events]);
    expect(state.status === 'published' && state.versions[0]!.questionIds).toEqual(['q1', 'q2', 'q3']);
  });

  it('refuses regional additions to an unknown questionnaire, with a bad period, clashing ids or backdated', () => {
    expect(refusal(() => run([], regional())).code).toBe('NOT_FOUND');
    const period = refusal(() => run([v1], regional({ validFrom: '2026-07-01', validTo: '2026-06-30' })));
    expect(period.details).toEqual({ fields: { validTo: expect.any(String) } });
    const clash = refusal(() => run([v1], regional({ questions: [question('q2')] })));
    expect(clash.details).toEqual({ fields: { 'questions.0.id': expect.stringContaining('q2') } });
    const added = run([v1], regional())[0]!;
    expect(refusal(() => run([v1, added], regional())).code).toBe('ALREADY_EXISTS');
    const overlapping = refusal(() => run([v1, added], regional({ additionId: 'add-2', validFrom: '2026-06-01' })));
    expect(overlapping.details).toEqual({ fields: { 'questions.0.id': expect.stringContaining('r1') } });
    // The same id after the first period ended is fine: the periods do not overlap.
    expect(
      run([v1, added], regional({ additionId: 'add-2', validFrom: '2026-07-01', validTo: '2026-09-30' })),
    ).toHaveLength(1);
    expect(refusal(() => run([v1], regional({ region: '' }))).details).toEqual({
      fields: { region: expect.any(String) },
    });
    expect(refusal(() => run([v1], regional({ validFrom: '2026-03-01' }))).code).toBe('RULE_VIOLATION');
    expect(refusal(() => run([v1], regional({ questions: [] }))).details).toEqual({
      fields: { questions: expect.any(String) },
    });
  });
});
