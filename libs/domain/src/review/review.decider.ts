import { firstDayOfMonth, isLocalDate } from '../calendar/local-date.js';
import type { Decider, DecisionContext } from '../shared/decider.js';
import { DomainError, ruleViolation } from '../shared/domain-error.js';
import type { Sealed } from '../shared/sealed.js';
import type { AnswerValue, CaseSampled, ReviewEvent, Severity } from './review.events.js';
import type { ReviewQuestion } from './review.questions.js';

export type Outcome = 'goal-directed' | 'not-goal-directed';

export interface AnswerEntry {
  readonly questionId: string;
  readonly answer: AnswerValue;
}

/**
 * Commands of one review. Personal fields arrive sealed. Commands that depend on the questionnaire carry
 * the review's question list (pinned version plus regional additions of the sample month, read by the
 * application layer), so the decider stays pure. `asDeputy` comes from the acting-rights check.
 */
export type ReviewCommand =
  | { readonly type: 'OpenReview'; readonly sampled: CaseSampled['data'] }
  | {
      readonly type: 'WithdrawReview';
      readonly reviewId: string;
      readonly reason: Sealed;
      readonly replacedBy: string | null;
    }
  | {
      readonly type: 'RecordAnswers';
      readonly reviewId: string;
      readonly answers: readonly AnswerEntry[];
      readonly questions: readonly ReviewQuestion[];
      readonly asDeputy: boolean;
    }
  | {
      readonly type: 'ExtendLookBack';
      readonly reviewId: string;
      readonly months: number;
      /** The configured standard look-back (002:40: 12 months) and the configured upper bound. */
      readonly standardMonths: number;
      readonly maximumMonths: number;
      readonly reason: Sealed | null;
      readonly asDeputy: boolean;
    }
  | {
      readonly type: 'RecordDefect';
      readonly reviewId: string;
      readonly defectId: string;
      readonly questionId: string;
      /** Null: the question's category. */
      readonly category: string | null;
      readonly severity: Severity;
      /** Null: the question's legal norm. */
      readonly legalNorm: string | null;
      readonly description: Sealed;
      readonly financialLoss: boolean;
      readonly questions: readonly ReviewQuestion[];
      readonly asDeputy: boolean;
    }
  | {
      readonly type: 'WithdrawDefect';
      readonly reviewId: string;
      readonly defectId: string;
      readonly reason: Sealed;
      readonly asDeputy: boolean;
    }
  | {
      readonly type: 'CompleteReview';
      readonly reviewId: string;
      readonly outcome: Outcome;
      readonly summary: Sealed;
      readonly questions: readonly ReviewQuestion[];
      readonly asDeputy: boolean;
    }
  | {
      readonly type: 'CorrectReview';
      readonly reviewId: string;
      readonly reason: Sealed;
      readonly outcome: Outcome | null;
      readonly answers: readonly AnswerEntry[];
      readonly defects: readonly {
        readonly defectId: string;
        readonly severity?: Severity;
        readonly category?: string;
        readonly withdrawn?: boolean;
      }[];
      readonly questions: readonly ReviewQuestion[];
      readonly asDeputy: boolean;
    }
  | {
      readonly type: 'RecordTalk';
      readonly reviewId: string;
      readonly date: string;
      readonly employee: Sealed;
      readonly outcome: Sealed;
      readonly asDeputy: boolean;
    }
  | {
      readonly type: 'RecordTeamDiscussion';
      readonly reviewId: string;
      readonly date: string;
      readonly notes: Sealed | null;
      readonly asDeputy: boolean;
    };

export interface DefectState {
  readonly questionId: string;
  readonly category: string;
  readonly severity: Severity;
  readonly withdrawn: boolean;
}

export interface ReviewFacts {
  readonly reviewId: string;
  readonly teamId: string;
  readonly month: string;
  readonly answers: Readonly<Record<string, AnswerValue>>;
  readonly defects: Readonly<Record<string, DefectState>>;
  /** Null: the standard look-back. */
  readonly lookBackMonths: number | null;
  readonly outcome: Outcome | null;
}

export type ReviewState =
  { readonly status: 'absent' } | ({ readonly status: 'open' | 'completed' | 'withdrawn' } & ReviewFacts);

type Present = Exclude<ReviewState, { status: 'absent' }>;

const EXPECTED_KIND: Record<ReviewQuestion['answerType'], AnswerValue['kind']> = {
  'yes-no-na': 'yes-no-na',
  'goal-directed': 'goal-directed',
  // Free text and dates tied to the case are personal: they only ever arrive sealed.
  text: 'sealed',
  date: 'sealed',
};

const ALLOWED_VALUES: Partial<Record<AnswerValue['kind'], readonly string[]>> = {
  'yes-no-na': ['yes', 'no', 'na'],
  'goal-directed': ['goal-directed', 'not-goal-directed'],
};

function invalid(fields: Record<string, string>): DomainError {
  return new DomainError('VALIDATION_FAILED', 'Ungültige Eingabe / Invalid input', { fields });
}

/** Each answer names a question of the review and has the question's answer type; no question twice. */
function validateAnswers(answers: readonly AnswerEntry[], questions: readonly ReviewQuestion[]): void {
  const byId = new Map(questions.map((question) => [question.id, question]));
  const problems: Record<string, string> = {};
  const seen = new Set<string>();
  answers.forEach((entry, index) => {
    const question = byId.get(entry.questionId);
    if (!question) {
      problems[`answers.${index}.questionId`] =
        'keine Frage dieser Prüfung (Fragebogenversion) / not a question of this review (questionnaire version)';
      return;
    }
    if (seen.has(entry.questionId)) problems[`answers.${index}.questionId`] = 'doppelt / duplicate';
    seen.add(entry.questionId);
    const expected = EXPECTED_KIND[question.answerType];
    const allowed = ALLOWED_VALUES[entry.answer.kind];
    if (entry.answer.kind !== expected)
      problems[`answers.${index}.value`] =
        `Antworttyp ${question.answerType} erwartet / answer type ${question.answerType}`;
    else if (allowed !== undefined && !allowed.includes(entry.answer.value as string))
      problems[`answers.${index}.value`] = `erlaubt / allowed: ${allowed.join(', ')}`;
  });
  if (Object.keys(problems).length > 0) throw invalid(problems);
}

/** How many open questions a refusal names by their text; the problem's extension lists all of them. */
const NAMED_OPEN_QUESTIONS = 5;
/** A question's text is cut after this many characters in a refusal (catalogue texts average about 90). */
const QUESTION_TEXT_LIMIT = 120;

function quoted(text: string): string {
  const flat = text.replace(/\s+/gu, ' ').trim();
  const characters = [...flat];
  return `„${characters.length > QUESTION_TEXT_LIMIT ? `${characters.slice(0, QUESTION_TEXT_LIMIT).join('')}…` : flat}“`;
}

/**
 * Completion refused: names the open mandatory questions as the team lead reads them (the pinned
 * version's or the regional addition's text), the first few in the message, all with their ids in the
 * problem's `openMandatoryQuestions`.
 */
function openMandatoryQuestions(open: readonly ReviewQuestion[]): DomainError {
  const named = open.slice(0, NAMED_OPEN_QUESTIONS).map((question) => quoted(question.text));
  const more = open.length - named.length;
  const list = `${named.join('; ')}${more > 0 ? ` und ${more} weitere` : ''}`;
  const count = open.length === 1 ? '1 Pflichtfrage ist' : `${open.length} Pflichtfragen sind`;
  return new DomainError(
    'RULE_VIOLATION',
    `Abschluss erst, wenn jede Pflichtfrage beantwortet ist; ${count} noch offen: ${list}. / ` +
      `Completion only once every mandatory question is answered; ${open.length} still open (named above).`,
    { missing: open.map((question) => question.id) },
    { openMandatoryQuestions: open.map((question) => ({ id: question.id, text: question.text })) },
  );
}

function requireQuestion(questions: readonly ReviewQuestion[], questionId: string): ReviewQuestion {
  const question = questions.find((candidate) => candidate.id === questionId);
  if (!question)
    throw invalid({
      questionId:
        'keine Frage dieser Prüfung (Fragebogenversion) / not a question of this review (questionnaire version)',
    });
  return question;
}

function notFound(reviewId: string): DomainError {
  return new DomainError('NOT_FOUND', 'Prüfung nicht gefunden / Review not found', { reviewId });
}

/** Any command but opening needs a review that exists and was not withdrawn (a replaced case is done). */
function present(state: ReviewState, reviewId: string): Present {
  if (state.status === 'absent') throw notFound(reviewId);
  if (state.status === 'withdrawn')
    throw ruleViolation(
      'Die Prüfung wurde zurückgezogen (Fall ersetzt); sie nimmt keine Eingaben mehr an.',
      'The review was withdrawn (case replaced); it accepts no further input.',
    );
  return state;
}

/** Answers, defects, look-back and outcome can change only until completion; afterwards by correction. */
function open(state: ReviewState, reviewId: string): Present {
  const review = present(state, reviewId);
  if (review.status === 'completed')
    throw ruleViolation(
      'Die Prüfung ist abgeschlossen: Änderungen nur noch als Korrektur mit Begründung.',
      'The review is completed: changes only as a correction with a reason.',
    );
  return review;
}

function completed(state: ReviewState, reviewId: string, german: string, english: string): Present {
  const review = present(state, reviewId);
  if (review.status !== 'completed') throw ruleViolation(german, english);
  return review;
}

/** Talks and team discussions take place in the sample month or later, never in the future. */
function validateDialogueDate(date: string, review: Present, context: DecisionContext): void {
  if (!isLocalDate(date)) throw invalid({ date: 'yyyy-mm-dd erwartet / expected yyyy-mm-dd' });
  if (date > context.today) throw invalid({ date: 'liegt in der Zukunft / is in the future' });
  if (date < firstDayOfMonth(review.month))
    throw invalid({ date: 'liegt vor dem Stichprobenmonat / is before the sample month' });
}

const sameAnswer = (a: AnswerValue | undefined, b: AnswerValue): boolean =>
  a !== undefined && JSON.stringify(a) === JSON.stringify(b);

function decideCorrection(
  command: Extract<ReviewCommand, { type: 'CorrectReview' }>,
  review: Present,
): readonly ReviewEvent[] {
  validateAnswers(command.answers, command.questions);
  const problems: Record<string, string> = {};
  const seen = new Set<string>();
  const defects = command.defects.flatMap((change, index) => {
    const current = review.defects[change.defectId];
    if (!current || seen.has(change.defectId)) {
      problems[`defects.${index}.defectId`] = current
        ? 'doppelt / duplicate'
        : 'kein Mangel dieser Prüfung / not a defect of this review';
      return [];
    }
    seen.add(change.defectId);
    const next = {
      defectId: change.defectId,
      severity: change.severity ?? current.severity,
      category: change.category ?? current.category,
      withdrawn: change.withdrawn ?? current.withdrawn,
    };
    const unchanged =
      next.severity === current.severity && next.category === current.category && next.withdrawn === current.withdrawn;
    return unchanged ? [] : [next];
  });
  if (Object.keys(problems).length > 0) throw invalid(problems);
  const answers = command.answers.filter((entry) => !sameAnswer(review.answers[entry.questionId], entry.answer));
  const outcome = command.outcome !== null && command.outcome !== review.outcome ? command.outcome : null;
  if (answers.length === 0 && defects.length === 0 && outcome === null)
    throw ruleViolation('Die Korrektur ändert nichts.', 'The correction changes nothing.');
  return [
    {
      type: 'ReviewCorrected',
      data: {
        reviewId: review.reviewId,
        reason: command.reason,
        outcome,
        answers,
        defects,
        asDeputy: command.asDeputy,
      },
    },
  ];
}

function evolvePresent(state: Present, event: Exclude<ReviewEvent, CaseSampled>): ReviewState {
  switch (event.type) {
    case 'AnswersRecorded': {
      const answers = { ...state.answers };
      for (const entry of event.data.answers) answers[entry.questionId] = entry.answer;
      return { ...state, answers };
    }
    case 'LookBackExtended':
      return { ...state, lookBackMonths: event.data.months };
    case 'DefectRecorded':
      return {
        ...state,
        defects: {
          ...state.defects,
          [event.data.defectId]: {
            questionId: event.data.questionId,
            category: event.data.category,
            severity: event.data.severity,
            withdrawn: false,
          },
        },
      };
    case 'DefectWithdrawn': {
      const defect = state.defects[event.data.defectId];
      if (!defect) return state;
      return { ...state, defects: { ...state.defects, [event.data.defectId]: { ...defect, withdrawn: true } } };
    }
    case 'ReviewCompleted':
      return { ...state, status: 'completed', outcome: event.data.outcome };
    case 'ReviewCorrected': {
      const answers = { ...state.answers };
      for (const entry of event.data.answers) answers[entry.questionId] = entry.answer;
      const defects = { ...state.defects };
      for (const change of event.data.defects) {
        const defect = defects[change.defectId];
        if (defect)
          defects[change.defectId] = {
            ...defect,
            severity: change.severity,
            category: change.category,
            withdrawn: change.withdrawn,
          };
      }
      return { ...state, answers, defects, outcome: event.data.outcome ?? state.outcome };
    }
    case 'TalkHeld':
    case 'TeamDiscussionHeld':
      return state;
    case 'ReviewWithdrawn':
      return { ...state, status: 'withdrawn' };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

export const reviewDecider: Decider<ReviewCommand, ReviewState, ReviewEvent> = {
  initialState: () => ({ status: 'absent' }),

  evolve: (state, event) => {
    if (event.type === 'CaseSampled') {
      if (state.status !== 'absent') return state;
      return {
        status: 'open',
        reviewId: event.data.reviewId,
        teamId: event.data.teamId,
        month: event.data.month,
        answers: {},
        defects: {},
        lookBackMonths: null,
        outcome: null,
      };
    }
    if (state.status === 'absent') return state;
    return evolvePresent(state, event);
  },

  decide: (command, state, context) => {
    switch (command.type) {
      case 'OpenReview':
        // Idempotent: the sampling reactor may deliver the same case again after a crash.
        if (state.status !== 'absent') return [];
        return [{ type: 'CaseSampled', data: command.sampled }];

      case 'WithdrawReview': {
        if (state.status === 'absent') throw notFound(command.reviewId);
        if (state.status === 'withdrawn') return [];
        if (state.status === 'completed')
          throw ruleViolation(
            'Eine abgeschlossene Prüfung kann nicht ersetzt werden.',
            'A completed review cannot be replaced.',
          );
        // The reason arrives sealed (from `CaseReplaced`, whose decider refused a blank one).
        return [
          {
            type: 'ReviewWithdrawn',
            data: { reviewId: state.reviewId, reason: command.reason, replacedBy: command.replacedBy },
          },
        ];
      }

      case 'RecordAnswers': {
        const review = open(state, command.reviewId);
        if (command.answers.length === 0) throw invalid({ answers: 'mindestens eine Antwort / at least one answer' });
        validateAnswers(command.answers, command.questions);
        return [
          {
            type: 'AnswersRecorded',
            data: { reviewId: review.reviewId, answers: command.answers, asDeputy: command.asDeputy },
          },
        ];
      }

      case 'ExtendLookBack': {
        const review = open(state, command.reviewId);
        const current = review.lookBackMonths ?? command.standardMonths;
        if (!Number.isInteger(command.months) || command.months > command.maximumMonths)
          throw invalid({
            months: `ganze Zahl bis ${command.maximumMonths} / whole number up to ${command.maximumMonths}`,
          });
        if (command.months <= current)
          throw ruleViolation(
            `Der Betrachtungszeitraum beträgt bereits ${current} Monate; nur eine Verlängerung ist vorgesehen.`,
            `The look-back is already ${current} months; only an extension is provided for.`,
          );
        // 002:40: beyond the 12 months only in the individual case, to find a sensible starting point.
        if (command.reason === null)
          throw ruleViolation(
            'Eine Verlängerung des Betrachtungszeitraums braucht eine Begründung (002:40).',
            'Extending the look-back needs a reason (002:40).',
          );
        return [
          {
            type: 'LookBackExtended',
            data: {
              reviewId: review.reviewId,
              months: command.months,
              reason: command.reason,
              asDeputy: command.asDeputy,
            },
          },
        ];
      }

      case 'RecordDefect': {
        const review = open(state, command.reviewId);
        const question = requireQuestion(command.questions, command.questionId);
        if (review.defects[command.defectId])
          throw new DomainError('ALREADY_EXISTS', 'Mangel existiert bereits / Defect already exists', {
            defectId: command.defectId,
          });
        const category = command.category ?? question.category;
        if (category.trim() === '') throw invalid({ category: 'darf nicht leer sein / must not be empty' });
        return [
          {
            type: 'DefectRecorded',
            data: {
              reviewId: review.reviewId,
              defectId: command.defectId,
              questionId: question.id,
              category,
              severity: command.severity,
              legalNorm: command.legalNorm ?? question.legalNorm,
              description: command.description,
              financialLoss: command.financialLoss,
              asDeputy: command.asDeputy,
            },
          },
        ];
      }

      case 'WithdrawDefect': {
        const review = open(state, command.reviewId);
        const defect = review.defects[command.defectId];
        if (!defect)
          throw new DomainError('NOT_FOUND', 'Mangel nicht gefunden / Defect not found', {
            defectId: command.defectId,
          });
        if (defect.withdrawn)
          throw ruleViolation('Der Mangel ist bereits zurückgenommen.', 'The defect is already withdrawn.');
        return [
          {
            type: 'DefectWithdrawn',
            data: {
              reviewId: review.reviewId,
              defectId: command.defectId,
              reason: command.reason,
              asDeputy: command.asDeputy,
            },
          },
        ];
      }

      case 'CompleteReview': {
        const review = open(state, command.reviewId);
        if (command.questions.length === 0)
          throw ruleViolation('Für die Prüfung sind keine Fragen bekannt.', 'No questions are known for this review.');
        const unanswered = command.questions.filter(
          (question) => question.mandatory && review.answers[question.id] === undefined,
        );
        if (unanswered.length > 0) throw openMandatoryQuestions(unanswered);
        return [
          {
            type: 'ReviewCompleted',
            data: {
              reviewId: review.reviewId,
              outcome: command.outcome,
              summary: command.summary,
              completedAt: context.now,
              completedOn: context.today,
              asDeputy: command.asDeputy,
            },
          },
        ];
      }

      case 'CorrectReview':
        return decideCorrection(
          command,
          completed(
            state,
            command.reviewId,
            'Korrekturen gibt es erst nach dem Abschluss; bis dahin wird direkt geändert.',
            'Corrections exist only after completion; until then, change directly.',
          ),
        );

      case 'RecordTalk': {
        // 003:62: goal-directed and non-goal-directed cases alike are discussed, once the result stands.
        const review = completed(
          state,
          command.reviewId,
          'Das Gespräch wird über das Ergebnis geführt: erst nach dem Abschluss der Prüfung.',
          'The talk discusses the result: only after the review is completed.',
        );
        validateDialogueDate(command.date, review, context);
        return [
          {
            type: 'TalkHeld',
            data: {
              reviewId: review.reviewId,
              date: command.date,
              employee: command.employee,
              outcome: command.outcome,
              asDeputy: command.asDeputy,
            },
          },
        ];
      }

      case 'RecordTeamDiscussion': {
        const review = completed(
          state,
          command.reviewId,
          'Die Teambesprechung erörtert das Ergebnis: erst nach dem Abschluss der Prüfung.',
          'The team discussion considers the result: only after the review is completed.',
        );
        validateDialogueDate(command.date, review, context);
        return [
          {
            type: 'TeamDiscussionHeld',
            data: { reviewId: review.reviewId, date: command.date, notes: command.notes, asDeputy: command.asDeputy },
          },
        ];
      }

      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  },
};
