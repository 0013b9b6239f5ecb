import { programmeDecider } from '../programme/programme.decider.js';
import type { ProgrammeEvent, ProgrammeSettings } from '../programme/programme.events.js';
import { questionnaireDecider } from '../questionnaire/questionnaire.decider.js';
import type { QuestionnaireEvent } from '../questionnaire/questionnaire.events.js';
import { reviewDecider } from '../review/review.decider.js';
import type { ReviewEvent } from '../review/review.events.js';
import type { Sealed } from '../shared/sealed.js';
import { entriesAsOf, foldAsOf, type StreamEntry } from './as-of.js';
import {
  collectSealed,
  isSealedValue,
  numberSealedValues,
  pseudonymiseSealed,
  sealedPlaceholder,
} from './sealed-fields.js';

const sealed = (kid: string, n: number): Sealed => ({ $sealed: 1, kid, iv: `iv-${n}`, ct: `ct-${n}`, tag: `tag-${n}` });

const at = (day: string): string => `${day}T09:00:00.000Z`;

function entries<E>(events: readonly (readonly [string, E])[]): StreamEntry<E>[] {
  return events.map(([day, event], revision) => ({ revision, occurredAt: at(day), event }));
}

const REVIEW = 'r-1';
const reviewStream = entries<ReviewEvent>([
  [
    '2026-03-02',
    {
      type: 'CaseSampled',
      data: {
        reviewId: REVIEW,
        sampleId: 's-1',
        programmeId: 'p-1',
        areaId: 'mi',
        teamId: 'team-1',
        month: '2026-03',
        caseRef: sealed('review:r-1', 1),
        casePseudonym: sealed('review:r-1', 0),
        customerGroup: 'u25',
        questionnaireId: 'vkb',
        questionnaireVersion: 1,
        deadline: '2026-03-31',
        origin: { kind: 'draw', replaces: null },
      },
    },
  ],
  [
    '2026-03-10',
    {
      type: 'AnswersRecorded',
      data: {
        reviewId: REVIEW,
        answers: [
          { questionId: 'q1', answer: { kind: 'yes-no-na', value: 'no' } },
          { questionId: 'q3', answer: { kind: 'sealed', value: sealed('review:r-1', 2) } },
        ],
        asDeputy: false,
      },
    },
  ],
  [
    '2026-03-10',
    {
      type: 'DefectRecorded',
      data: {
        reviewId: REVIEW,
        defectId: 'd-1',
        questionId: 'q1',
        category: 'beratung',
        severity: 'serious',
        legalNorm: '§ 15 SGB II',
        description: sealed('review:r-1', 3),
        financialLoss: false,
        asDeputy: false,
      },
    },
  ],
  [
    '2026-03-12',
    {
      type: 'ReviewCompleted',
      data: {
        reviewId: REVIEW,
        outcome: 'not-goal-directed',
        summary: sealed('review:r-1', 4),
        completedAt: at('2026-03-12'),
        completedOn: '2026-03-12',
        asDeputy: false,
      },
    },
  ],
]);

describe('time travel (folded with the deciders, from events)', () => {
  it('folds a review up to a revision', () => {
    const atOpening = foldAsOf(reviewDecider, reviewStream, { kind: 'revision', revision: 0 });
    expect(atOpening).toMatchObject({ revision: 0, eventsApplied: 1, currentRevision: 3 });
    expect(atOpening.state).toMatchObject({ status: 'open', answers: {}, defects: {}, outcome: null });

    const afterDefect = foldAsOf(reviewDecider, reviewStream, { kind: 'revision', revision: 2 });
    expect(afterDefect.state).toMatchObject({
      status: 'open',
      defects: { 'd-1': { severity: 'serious', withdrawn: false } },
    });

    const now = foldAsOf(reviewDecider, reviewStream, { kind: 'revision', revision: 99 });
    expect(now).toMatchObject({ revision: 3, eventsApplied: 4 });
    expect(now.state).toMatchObject({ status: 'completed', outcome: 'not-goal-directed' });
    expect(now.state).not.toEqual(afterDefect.state);
  });

  it('folds up to an instant by occurredAt, inclusive, and is absent before the first event', () => {
    const before = foldAsOf(reviewDecider, reviewStream, { kind: 'time', at: '2026-03-01T00:00:00.000Z' });
    expect(before).toEqual({
      state: { status: 'absent' },
      revision: null,
      eventsApplied: 0,
      currentRevision: 3,
      lastOccurredAt: null,
    });
    const tenth = foldAsOf(reviewDecider, reviewStream, { kind: 'time', at: at('2026-03-10') });
    expect(tenth).toMatchObject({ revision: 2, lastOccurredAt: at('2026-03-10') });
    const eleventh = foldAsOf(reviewDecider, reviewStream, { kind: 'time', at: '2026-03-11T23:59:59.999Z' });
    expect(eleventh.state).toEqual(tenth.state);
  });

  it('never skips an event in the middle when times are out of order', () => {
    const shuffled = [
      { revision: 0, occurredAt: at('2026-03-02') },
      { revision: 1, occurredAt: at('2026-03-05') },
      { revision: 2, occurredAt: at('2026-03-03') },
    ];
    expect(entriesAsOf(shuffled, { kind: 'time', at: at('2026-03-04') }).map((e) => e.revision)).toEqual([0]);
  });

  it('folds a programme through its revisions', () => {
    const settings = { title: 'VKB', areaId: 'mi', minimumCasesPerTeamLead: 10 } as ProgrammeSettings;
    const stream = entries<ProgrammeEvent>([
      [
        '2026-01-05',
        {
          type: 'ProgrammeDefined',
          data: { programmeId: 'p-1', settings, reason: 'Einführung', note: null, definedAt: at('2026-01-05') },
        },
      ],
      [
        '2026-02-01',
        {
          type: 'ProgrammeRevised',
          data: {
            programmeId: 'p-1',
            revision: 1,
            changes: { minimumCasesPerTeamLead: 12 },
            reason: 'Risikobewertung',
            staffCouncil: { date: '2026-01-30', outcome: 'agreed' },
            note: null,
            revisedAt: at('2026-02-01'),
          },
        },
      ],
    ]);
    const january = foldAsOf(programmeDecider, stream, { kind: 'time', at: at('2026-01-31') });
    expect(january.state).toMatchObject({ status: 'defined', revisions: 0, settings: { minimumCasesPerTeamLead: 10 } });
    const february = foldAsOf(programmeDecider, stream, { kind: 'revision', revision: 1 });
    expect(february.state).toMatchObject({ revisions: 1, settings: { minimumCasesPerTeamLead: 12, title: 'VKB' } });
  });

  it('folds a questionnaire through its versions', () => {
    const published = (version: number, validFrom: string): QuestionnaireEvent => ({
      type: 'QuestionnaireVersionPublished',
      data: {
        questionnaireId: 'vkb',
        version,
        title: 'VKB',
        process: 'allgemeine-vermittlung',
        source: '003:62',
        sections: [{ id: 's', title: 'S', questions: [] }],
        validFrom,
        reason: 'r',
      },
    });
    const stream = entries([
      ['2026-01-01', published(1, '2026-01-01')],
      ['2026-05-01', published(2, '2026-06-01')],
    ]);
    const first = foldAsOf(questionnaireDecider, stream, { kind: 'revision', revision: 0 });
    expect(first.state).toMatchObject({ status: 'published', versions: [{ version: 1 }] });
    const second = foldAsOf(questionnaireDecider, stream, { kind: 'time', at: at('2026-05-01') });
    expect(second.state).toMatchObject({ versions: [{ version: 1 }, { version: 2 }] });
  });
});

describe('sealed fields for callers who may not see them', () => {
  const data = reviewStream.map((entry) => entry.event.data);

  it('numbers sealed values per key in the order they first appear', () => {
    const numbers = numberSealedValues([...data, { again: sealed('review:r-1', 2), other: sealed('measure:m-1', 9) }]);
    expect(collectSealed(data).map((s) => numbers.get(`${s.kid}|${s.iv}|${s.tag}`))).toEqual([1, 2, 3, 4, 5]);
    expect(numbers.get('measure:m-1|iv-9|tag-9')).toBe(1);
    expect(numbers.size).toBe(6);
  });

  it('replaces every sealed value in events and in folded state by the same stable placeholder', () => {
    const numbers = numberSealedValues(data);
    const shown = pseudonymiseSealed(data, numbers);
    const text = JSON.stringify(shown);
    expect(text).not.toMatch(/ct-\d|iv-\d|tag-\d|\$sealed/);
    expect(text).toContain(sealedPlaceholder('review:r-1', 3));
    expect(collectSealed(shown)).toEqual([]);

    const state = foldAsOf(reviewDecider, reviewStream, { kind: 'revision', revision: 3 }).state;
    const stateShown = pseudonymiseSealed(state, numbers) as { answers: Record<string, { value: unknown }> };
    // caseRef is #1 and the case's sealed pseudonym #2: the answer is the key's third sealed value.
    expect(stateShown.answers['q3']?.value).toBe(sealedPlaceholder('review:r-1', 3));
    expect(stateShown.answers['q1']?.value).toBe('no');
    // A value the numbering never saw still leaves nothing clear.
    expect(pseudonymiseSealed({ x: sealed('review:r-1', 77) }, numbers)).toEqual({
      x: '«verschlüsselt: review:r-1#?»',
    });
  });

  it('recognises only complete sealed values', () => {
    expect(isSealedValue(sealed('k', 1))).toBe(true);
    expect(isSealedValue({ $sealed: 1, kid: 'k' })).toBe(false);
    expect(isSealedValue('«verschlüsselt: k#1»')).toBe(false);
  });
});
