import { toAnswerEntries } from '../../apps/api/src/reviews/answer-input.js';
import {
  addMonths,
  type CaseSampled,
  firstDayOfMonth,
  lastDayOfMonth,
  type Outcome,
  type ReviewCommand,
  reviewKeyId,
  type ReviewQuestionDetail,
  type Severity,
} from '@pruefpfad/domain';
import { CASE_REF_PURPOSE, type Envelope, pseudonymise } from '@pruefpfad/privacy';

/**
 * The commands of one review of the real review aggregate, in plain text, as the API receives them:
 * the sampling reactor opens the review (`CaseSampled`), the team lead answers the shipped questionnaire
 * question by question (every save is a partial save of the section's answers so far, as a form that
 * saves as you go sends them), records a few defects, revises the findings, completes the review, and
 * records the one-on-one talk and the team discussion. `sealReviewCommand` then does what the
 * controllers do before a command reaches the bus: it seals the personal fields (case reference, free
 * text and dates in answers, defect descriptions, summary, employee, talk outcome, notes) under the
 * review's own data key `review:<id>`.
 */
export const DEFECTS_PER_REVIEW = 3;

export type PlainReviewCommand =
  | {
      readonly type: 'OpenReview';
      readonly caseReference: string;
      readonly sampled: Omit<CaseSampled['data'], 'caseRef' | 'casePseudonym'>;
      /** The case's blind index, sealed with the reference when the command is sealed. */
      readonly casePseudonym: string;
    }
  | { readonly type: 'RecordAnswers'; readonly answers: readonly { questionId: string; value: string }[] }
  | {
      readonly type: 'RecordDefect';
      readonly defectId: string;
      readonly questionId: string;
      readonly severity: Severity;
      readonly description: string;
      readonly financialLoss: boolean;
    }
  | { readonly type: 'CompleteReview'; readonly outcome: Outcome; readonly summary: string }
  | { readonly type: 'RecordTalk'; readonly date: string; readonly employee: string; readonly outcome: string }
  | { readonly type: 'RecordTeamDiscussion'; readonly date: string; readonly notes: string };

/** What a review is about: fixed by the draw (ids, team, month, pinned questionnaire). */
export interface ReviewSetting {
  readonly reviewId: string;
  readonly sampleId: string;
  readonly programmeId: string;
  readonly areaId: string;
  readonly teamId: string;
  /** Sample month (yyyy-mm, Europe/Berlin). */
  readonly month: string;
  /** Date of the talk and the team discussion: in the sample month, not after the day they are recorded. */
  readonly dialogueDate: string;
  readonly questionnaireId: string;
  readonly questionnaireVersion: number;
  readonly questions: readonly ReviewQuestionDetail[];
  /** The tenant's pseudonym key (case references are pseudonymised under it, as by the population import). */
  readonly pseudonymKey: Uint8Array;
  readonly seed: number;
  readonly newId: () => string;
}

/** Commands (= events) of one full review over `questions`: 30 with the shipped catalogue. */
export function eventsPerReview(questions: readonly ReviewQuestionDetail[]): number {
  // Opening, one save per question, the defects, the revised findings, completion, talk, team discussion.
  return 1 + questions.length + defectsPerReview(questions) + 1 + 3;
}

/** Defects are recorded on yes/no questions answered "no". */
function defectsPerReview(questions: readonly ReviewQuestionDetail[]): number {
  return Math.min(DEFECTS_PER_REVIEW, questions.filter((question) => question.answerType === 'yes-no-na').length);
}

const WORDS = [
  'Kooperationsplan',
  'Bewerbungsbemühungen',
  'Nachweis',
  'fehlt',
  'liegt',
  'vor',
  'Termin',
  'wurde',
  'dokumentiert',
  'Beratungsvermerk',
  'unvollständig',
  'Kundin',
  'Kunde',
  'Vermittlungsvorschlag',
  'Rechtsfolgenbelehrung',
  'schlüssig',
  'nicht',
  'nachvollziehbar',
  'Profiling',
  'Potenzialanalyse',
  'Stärken',
  'Handlungsbedarf',
  'aufgegriffen',
  'Eingliederungsleistung',
  'Maßnahme',
  'ausgewertet',
  'Frist',
  'überschritten',
  'gemäß',
  '§ 15 SGB II',
];
const CUSTOMER_GROUPS = ['u25', 'ue25', 'reha', 'alleinerziehend', 'langzeitleistungsbeziehend'];
const SURNAMES = ['Schneider', 'Yılmaz', 'Wagner', 'Kowalski', 'Hoffmann', 'Nguyen', 'Becker', 'Schäfer'];

/** Deterministic, so two runs write the same bytes (mulberry32). */
export class SeededRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(below: number): number {
    return Math.floor(this.next() * below);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

function freeText(random: SeededRandom, minChars: number, maxChars: number): string {
  const target = minChars + random.int(maxChars - minChars + 1);
  let text = '';
  while (text.length < target) text += (text === '' ? '' : ' ') + random.pick(WORDS);
  return `${text.slice(0, target)}.`;
}

/** The plain value a reviewer's client sends for a question (all strings, as over HTTP). */
function answerValue(
  question: ReviewQuestionDetail,
  random: SeededRandom,
  setting: ReviewSetting,
  outcome: Outcome,
  defective: boolean,
): string {
  switch (question.answerType) {
    case 'yes-no-na':
      return defective ? 'no' : random.pick(['yes', 'yes', 'yes', 'yes', 'no', 'na']);
    case 'goal-directed':
      return outcome;
    case 'date': {
      // The start of the course looked at: up to 12 months before the sample month (002:40).
      const month = addMonths(setting.month, -1 - random.int(12));
      return firstDayOfMonth(month).slice(0, 8) + String(1 + random.int(28)).padStart(2, '0');
    }
    case 'text':
      return freeText(random, 20, 90);
    default: {
      const unreachable: never = question.answerType;
      return unreachable;
    }
  }
}

/** The review's commands, deterministic in `setting.seed`; `count` below the full length truncates them. */
export function reviewScript(setting: ReviewSetting, count = eventsPerReview(setting.questions)): PlainReviewCommand[] {
  const random = new SeededRandom(setting.seed);
  const { questions } = setting;
  const caseReference = `BG ${String(10000 + random.int(89999))}D${String(1000000 + random.int(8999999))} · Fall ${String(random.int(99999)).padStart(5, '0')}`;
  const commands: PlainReviewCommand[] = [
    {
      type: 'OpenReview',
      caseReference,
      casePseudonym: pseudonymise(setting.pseudonymKey, caseReference, CASE_REF_PURPOSE),
      sampled: {
        reviewId: setting.reviewId,
        sampleId: setting.sampleId,
        programmeId: setting.programmeId,
        areaId: setting.areaId,
        teamId: setting.teamId,
        month: setting.month,
        customerGroup: random.pick(CUSTOMER_GROUPS),
        questionnaireId: setting.questionnaireId,
        questionnaireVersion: setting.questionnaireVersion,
        deadline: lastDayOfMonth(setting.month),
        origin: { kind: 'draw', replaces: null },
      },
    },
  ];

  const closed = questions.filter((question) => question.answerType === 'yes-no-na');
  const defective = new Set<string>();
  while (defective.size < defectsPerReview(questions)) defective.add(random.pick(closed).id);
  const severities = new Map(
    [...defective].map((id) => [id, random.pick<Severity>(['minor', 'minor', 'minor', 'serious'])] as const),
  );
  const outcome: Outcome = [...severities.values()].includes('serious') ? 'not-goal-directed' : 'goal-directed';

  const sections = new Map<string, ReviewQuestionDetail[]>();
  for (const question of questions) {
    const key = question.sectionId ?? 'regional';
    sections.set(key, [...(sections.get(key) ?? []), question]);
  }
  // The overall assessment (the section with the goal-directed question) is revised before completion.
  let assessment: { questionId: string; value: string }[] = [];
  for (const sectionQuestions of sections.values()) {
    const saved: { questionId: string; value: string }[] = [];
    for (const question of sectionQuestions) {
      saved.push({
        questionId: question.id,
        value: answerValue(question, random, setting, outcome, defective.has(question.id)),
      });
      commands.push({ type: 'RecordAnswers', answers: [...saved] });
      if (defective.has(question.id))
        commands.push({
          type: 'RecordDefect',
          defectId: setting.newId(),
          questionId: question.id,
          severity: severities.get(question.id) ?? 'minor',
          description: freeText(random, 30, 120),
          financialLoss: random.int(10) === 0,
        });
    }
    if (assessment.length === 0 || sectionQuestions.some((question) => question.answerType === 'goal-directed'))
      assessment = saved;
  }
  // Before completing, the findings are revised: the assessment section saved once more with new free text.
  commands.push({
    type: 'RecordAnswers',
    answers: assessment.map((entry) => {
      const question = questions.find((candidate) => candidate.id === entry.questionId);
      return question?.answerType === 'text' ? { ...entry, value: freeText(random, 20, 90) } : entry;
    }),
  });
  commands.push({ type: 'CompleteReview', outcome, summary: freeText(random, 60, 180) });
  commands.push({
    type: 'RecordTalk',
    date: setting.dialogueDate,
    employee: `${random.pick(['Frau', 'Herr'])} ${random.pick(SURNAMES)}, Arbeitsvermittlung ${setting.teamId}`,
    outcome: freeText(random, 30, 120),
  });
  commands.push({ type: 'RecordTeamDiscussion', date: setting.dialogueDate, notes: freeText(random, 30, 90) });
  return commands.slice(0, count);
}

/**
 * The domain command for a plain one, personal fields sealed under `review:<id>`: the same conversion
 * as `ReviewsController` (answers through the controller's own `toAnswerEntries`).
 */
export async function sealReviewCommand(
  envelope: Envelope,
  setting: Pick<ReviewSetting, 'reviewId' | 'questions'>,
  plain: PlainReviewCommand,
): Promise<ReviewCommand> {
  const { reviewId, questions } = setting;
  const seal = (value: string) => envelope.seal(reviewKeyId(reviewId), value);
  switch (plain.type) {
    case 'OpenReview':
      return {
        type: 'OpenReview',
        sampled: {
          ...plain.sampled,
          caseRef: await seal(plain.caseReference),
          casePseudonym: await seal(plain.casePseudonym),
        },
      };
    case 'RecordAnswers':
      return {
        type: 'RecordAnswers',
        reviewId,
        answers: await toAnswerEntries(plain.answers, questions, seal),
        questions,
        asDeputy: false,
      };
    case 'RecordDefect':
      return {
        type: 'RecordDefect',
        reviewId,
        defectId: plain.defectId,
        questionId: plain.questionId,
        category: null,
        severity: plain.severity,
        legalNorm: null,
        description: await seal(plain.description),
        financialLoss: plain.financialLoss,
        questions,
        asDeputy: false,
      };
    case 'CompleteReview':
      return {
        type: 'CompleteReview',
        reviewId,
        outcome: plain.outcome,
        summary: await seal(plain.summary),
        questions,
        asDeputy: false,
      };
    case 'RecordTalk':
      return {
        type: 'RecordTalk',
        reviewId,
        date: plain.date,
        employee: await seal(plain.employee),
        outcome: await seal(plain.outcome),
        asDeputy: false,
      };
    case 'RecordTeamDiscussion':
      return {
        type: 'RecordTeamDiscussion',
        reviewId,
        date: plain.date,
        notes: await seal(plain.notes),
        asDeputy: false,
      };
    default: {
      const unreachable: never = plain;
      return unreachable;
    }
  }
}
