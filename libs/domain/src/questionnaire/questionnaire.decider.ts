import type { Decider, DecisionContext } from '../shared/decider.js';
import { DomainError, ruleViolation } from '../shared/domain-error.js';
import type { Question, QuestionnaireEvent, Section } from './questionnaire.events.js';
import {
  QUESTION_LIMITS,
  QUESTIONNAIRE_ID_PATTERN,
  throwIfProblems,
  validateLocalDate,
  validateQuestions,
  validateSections,
  type Problems,
} from './questionnaire.validation.js';

/**
 * A questionnaire (Fragenkatalog) is published in versions 1, 2, …; a published version is never
 * edited: a change is a new version (a new event), and new reviews use the version in force (003:70).
 * Regional extra questions (003:62, 101) sit beside the versions for a period and never alter them.
 */
export interface VersionContent {
  readonly title: string;
  /** Customer process, e.g. `allgemeine-vermittlung` (003:78), `leistung-laufend`. */
  readonly process: string;
  readonly source: string;
  readonly sections: readonly Section[];
  /** Null: today (Europe/Berlin). */
  readonly validFrom: string | null;
  readonly reason: string;
}

export type QuestionnaireCommand =
  | ({ readonly type: 'PublishQuestionnaire'; readonly questionnaireId: string } & VersionContent)
  | ({ readonly type: 'PublishQuestionnaireVersion'; readonly questionnaireId: string } & VersionContent)
  | {
      readonly type: 'AddRegionalQuestions';
      readonly questionnaireId: string;
      readonly additionId: string;
      /** From the principal's `region` claim (Regionaldirektion), never from the request body. */
      readonly region: string;
      readonly questions: readonly Question[];
      readonly validFrom: string;
      readonly validTo: string;
      readonly reason: string;
    };

interface VersionSummary {
  readonly version: number;
  readonly validFrom: string;
  readonly title: string;
  readonly questionIds: readonly string[];
  /** Canonical text of the sections, to refuse a "new" version that changes nothing. */
  readonly fingerprint: string;
}

interface AdditionSummary {
  readonly additionId: string;
  readonly validFrom: string;
  readonly validTo: string;
  readonly questionIds: readonly string[];
}

export type QuestionnaireState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'published';
      readonly questionnaireId: string;
      readonly process: string;
      readonly versions: readonly VersionSummary[];
      readonly additions: readonly AdditionSummary[];
    };

const questionIdsOf = (sections: readonly Section[]): string[] =>
  sections.flatMap((section) => section.questions.map((question) => question.id));

const notFound = (questionnaireId: string): DomainError =>
  new DomainError('NOT_FOUND', 'Fragenkatalog nicht gefunden / Questionnaire not found', { questionnaireId });

function validateContent(content: VersionContent, today: string): { validFrom: string } {
  const problems: Problems = {};
  if (typeof content.title !== 'string' || content.title.trim() === '' || content.title.length > QUESTION_LIMITS.title)
    problems.title = 'darf nicht leer sein / must not be empty';
  if (typeof content.process !== 'string' || !QUESTIONNAIRE_ID_PATTERN.test(content.process))
    problems.process = 'Kleinbuchstaben, Ziffern, . _ - / lower-case letters, digits, . _ -';
  if (typeof content.source !== 'string' || content.source.trim() === '')
    problems.source = 'Quelle angeben / state the source';
  if (typeof content.reason !== 'string' || content.reason.trim() === '')
    problems.reason = 'Begründung angeben / state a reason';
  const validFrom = content.validFrom ?? today;
  validateLocalDate(validFrom, 'validFrom', problems);
  validateSections(content.sections, problems);
  throwIfProblems(problems, 'Ungültiger Fragenkatalog / Invalid questionnaire');
  return { validFrom };
}

export const questionnaireDecider: Decider<QuestionnaireCommand, QuestionnaireState, QuestionnaireEvent> = {
  initialState: () => ({ status: 'absent' }),

  evolve: (state, event) => {
    switch (event.type) {
      case 'QuestionnaireVersionPublished': {
        const version: VersionSummary = {
          version: event.data.version,
          validFrom: event.data.validFrom,
          title: event.data.title,
          questionIds: questionIdsOf(event.data.sections),
          fingerprint: JSON.stringify(event.data.sections),
        };
        if (state.status === 'absent')
          return {
            status: 'published',
            questionnaireId: event.data.questionnaireId,
            process: event.data.process,
            versions: [version],
            additions: [],
          };
        return { ...state, process: event.data.process, versions: [...state.versions, version] };
      }
      case 'RegionalQuestionsAdded':
        if (state.status !== 'published') return state;
        return {
          ...state,
          additions: [
            ...state.additions,
            {
              additionId: event.data.additionId,
              validFrom: event.data.validFrom,
              validTo: event.data.validTo,
              questionIds: event.data.questions.map((question) => question.id),
            },
          ],
        };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },

  decide: (command, state, context: DecisionContext) => {
    switch (command.type) {
      case 'PublishQuestionnaire': {
        if (state.status !== 'absent')
          throw new DomainError(
            'ALREADY_EXISTS',
            'Fragenkatalog existiert bereits; neue Fassungen als neue Version veröffentlichen / ' +
              'Questionnaire already exists; publish a new version instead',
            { questionnaireId: command.questionnaireId },
          );
        const { validFrom } = validateContent(command, context.today);
        return [published(command, 1, validFrom)];
      }
      case 'PublishQuestionnaireVersion': {
        if (state.status !== 'published') throw notFound(command.questionnaireId);
        const { validFrom } = validateContent(command, context.today);
        const latest = state.versions[state.versions.length - 1]!;
        if (command.process !== state.process)
          throw ruleViolation(
            'Eine neue Version gilt für denselben Kundenprozess; ein anderer Prozess braucht einen eigenen Fragenkatalog.',
            'A new version is for the same customer process; another process needs its own questionnaire.',
            { process: state.process },
          );
        // A version may not take effect in the past: that would change what was in force on days gone by.
        if (validFrom < context.today || validFrom < latest.validFrom)
          throw ruleViolation(
            `Eine neue Version gilt frühestens ab heute (${context.today}) und nicht vor Version ${latest.version} (${latest.validFrom}).`,
            `A new version takes effect today (${context.today}) at the earliest and not before version ${latest.version} (${latest.validFrom}).`,
            { validFrom },
          );
        if (latest.fingerprint === JSON.stringify(command.sections) && latest.title === command.title)
          throw ruleViolation('Die neue Version ändert nichts.', 'The new version changes nothing.');
        return [published(command, latest.version + 1, validFrom)];
      }
      case 'AddRegionalQuestions': {
        if (state.status !== 'published') throw notFound(command.questionnaireId);
        if (state.additions.some((addition) => addition.additionId === command.additionId))
          throw new DomainError('ALREADY_EXISTS', 'Ergänzung existiert bereits / Addition already exists', {
            additionId: command.additionId,
          });
        const problems: Problems = {};
        if (typeof command.region !== 'string' || command.region.trim() === '')
          problems.region = 'Region fehlt im Token / region claim missing';
        if (typeof command.reason !== 'string' || command.reason.trim() === '')
          problems.reason = 'Begründung angeben (regionale Schwerpunktsetzung) / state a reason';
        const datesOk =
          validateLocalDate(command.validFrom, 'validFrom', problems) &&
          validateLocalDate(command.validTo, 'validTo', problems);
        if (datesOk && command.validFrom > command.validTo)
          problems.validTo = 'nicht vor validFrom / not before validFrom';
        const publishedIds = new Set(state.versions.flatMap((version) => version.questionIds));
        const overlapping = new Set(
          state.additions
            .filter((addition) => addition.validFrom <= command.validTo && addition.validTo >= command.validFrom)
            .flatMap((addition) => addition.questionIds),
        );
        validateQuestions(command.questions, 'questions', problems, new Set([...publishedIds, ...overlapping]));
        throwIfProblems(problems, 'Ungültige regionale Ergänzung / Invalid regional addition');
        // Added questions for days gone by would change reviews already under way.
        if (command.validFrom < context.today)
          throw ruleViolation(
            `Regionale Fragen gelten frühestens ab heute (${context.today}).`,
            `Regional questions take effect today (${context.today}) at the earliest.`,
            { validFrom: command.validFrom },
          );
        return [
          {
            type: 'RegionalQuestionsAdded',
            data: {
              questionnaireId: command.questionnaireId,
              additionId: command.additionId,
              region: command.region,
              questions: command.questions,
              validFrom: command.validFrom,
              validTo: command.validTo,
              reason: command.reason,
            },
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

function published(
  command: VersionContent & { readonly questionnaireId: string },
  version: number,
  validFrom: string,
): QuestionnaireEvent {
  return {
    type: 'QuestionnaireVersionPublished',
    data: {
      questionnaireId: command.questionnaireId,
      version,
      title: command.title,
      process: command.process,
      source: command.source,
      sections: command.sections,
      validFrom,
      reason: command.reason,
    },
  };
}
