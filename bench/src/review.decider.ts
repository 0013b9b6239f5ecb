import type { Decider, DomainEvent } from '../../libs/domain/src/shared/decider.js';
import { DomainError, ruleViolation } from '../../libs/domain/src/shared/domain-error.js';
import type { Sealed } from '../../libs/domain/src/shared/sealed.js';

/**
 * A bench-only review aggregate, shaped like the real one will be (pure decider, sealed personal fields,
 * time from the context), so the benchmark measures production-shaped events rather than toy payloads.
 * It is not the domain's review aggregate and carries none of its rules beyond the life cycle.
 */
export type Answer = 'yes' | 'no' | 'partly' | 'not_applicable';
export type Severity = 'minor' | 'major' | 'critical';

export type ReviewEvent =
  | DomainEvent<
      'CaseSampled',
      {
        readonly reviewId: string;
        readonly programmeId: string;
        readonly unitId: string;
        readonly sampleMonth: string;
        readonly reviewerId: string;
        readonly caseReference: Sealed;
        readonly sampledAt: string;
      }
    >
  | DomainEvent<
      'AnswerRecorded',
      {
        readonly reviewId: string;
        readonly questionId: string;
        readonly answer: Answer;
        readonly comment: Sealed;
        readonly recordedAt: string;
      }
    >
  | DomainEvent<
      'DefectRecorded',
      {
        readonly reviewId: string;
        readonly defectId: string;
        readonly questionId: string;
        readonly severity: Severity;
        readonly description: Sealed;
        readonly recordedAt: string;
      }
    >
  | DomainEvent<
      'ReviewCompleted',
      {
        readonly reviewId: string;
        readonly outcome: 'compliant' | 'defects_found';
        readonly answers: number;
        readonly defects: number;
        readonly summary: Sealed;
        readonly completedAt: string;
      }
    >;

export type ReviewEventType = ReviewEvent['type'];

export const REVIEW_SCHEMAS: Readonly<Record<ReviewEventType, number>> = {
  CaseSampled: 1,
  AnswerRecorded: 1,
  DefectRecorded: 1,
  ReviewCompleted: 1,
};

export type ReviewCommand =
  | {
      readonly type: 'SampleCase';
      readonly reviewId: string;
      readonly programmeId: string;
      readonly unitId: string;
      readonly sampleMonth: string;
      readonly caseReference: Sealed;
    }
  | { readonly type: 'RecordAnswer'; readonly questionId: string; readonly answer: Answer; readonly comment: Sealed }
  | {
      readonly type: 'RecordDefect';
      readonly defectId: string;
      readonly questionId: string;
      readonly severity: Severity;
      readonly description: Sealed;
    }
  | { readonly type: 'CompleteReview'; readonly summary: Sealed };

export type ReviewState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'open' | 'completed';
      readonly reviewId: string;
      readonly answered: ReadonlySet<string>;
      readonly defects: number;
    };

export const reviewDecider: Decider<ReviewCommand, ReviewState, ReviewEvent> = {
  initialState: () => ({ status: 'absent' }),

  evolve: (state, event) => {
    switch (event.type) {
      case 'CaseSampled':
        return { status: 'open', reviewId: event.data.reviewId, answered: new Set(), defects: 0 };
      case 'AnswerRecorded':
        if (state.status === 'absent') return state;
        return { ...state, answered: new Set([...state.answered, event.data.questionId]) };
      case 'DefectRecorded':
        if (state.status === 'absent') return state;
        return { ...state, defects: state.defects + 1 };
      case 'ReviewCompleted':
        if (state.status === 'absent') return state;
        return { ...state, status: 'completed' };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },

  decide: (command, state, context) => {
    if (command.type === 'SampleCase') {
      if (state.status !== 'absent')
        throw new DomainError('ALREADY_EXISTS', 'Prüfung existiert bereits / Review already exists');
      return [
        {
          type: 'CaseSampled',
          data: {
            reviewId: command.reviewId,
            programmeId: command.programmeId,
            unitId: command.unitId,
            sampleMonth: command.sampleMonth,
            reviewerId: context.actor.userId,
            caseReference: command.caseReference,
            sampledAt: context.now,
          },
        },
      ];
    }
    if (state.status === 'absent') throw new DomainError('NOT_FOUND', 'Prüfung nicht gefunden / Review not found');
    if (state.status === 'completed') throw ruleViolation('Die Prüfung ist abgeschlossen.', 'The review is completed.');
    switch (command.type) {
      case 'RecordAnswer':
        return [
          {
            type: 'AnswerRecorded',
            data: {
              reviewId: state.reviewId,
              questionId: command.questionId,
              answer: command.answer,
              comment: command.comment,
              recordedAt: context.now,
            },
          },
        ];
      case 'RecordDefect':
        if (!state.answered.has(command.questionId))
          throw ruleViolation('Mangel zu unbeantworteter Frage.', 'Defect for an unanswered question.');
        return [
          {
            type: 'DefectRecorded',
            data: {
              reviewId: state.reviewId,
              defectId: command.defectId,
              questionId: command.questionId,
              severity: command.severity,
              description: command.description,
              recordedAt: context.now,
            },
          },
        ];
      case 'CompleteReview':
        return [
          {
            type: 'ReviewCompleted',
            data: {
              reviewId: state.reviewId,
              outcome: state.defects > 0 ? 'defects_found' : 'compliant',
              answers: state.answered.size,
              defects: state.defects,
              summary: command.summary,
              completedAt: context.now,
            },
          },
        ];
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  },
};
