import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_RULES, NotFoundError, type StreamFold, type StreamStates } from '@pruefpfad/application';
import {
  type CaseSampled,
  type Principal,
  type QuestionnaireEvent,
  type QuestionnaireSource,
  questionnaireStreamId,
  requireQuestionsForReview,
  type ReviewQuestionDetail,
  reviewStreamId,
} from '@pruefpfad/domain';
import type { EventStore } from '@pruefpfad/event-store';
import { ActingRights } from '../organisation/acting-rights.js';
import { programmeAggregate } from '../programmes/programme.aggregate.js';
import { RetentionRecords } from '../retention/retention-records.js';
import { EVENT_STORE, STREAM_STATES } from '../runtime/tokens.js';

/** Where a review belongs, as its first event (`CaseSampled`, never changed afterwards) has it. */
export interface ReviewOrigin extends Omit<CaseSampled['data'], 'caseRef' | 'casePseudonym'> {
  readonly tenant: string;
}

/**
 * The review's origin from its stream, or null when it does not exist (or was purged). One read of one
 * event: a review opened by the draw a moment ago is found, whatever the `reviews` read model shows yet.
 */
export async function reviewOrigin(eventStore: EventStore, reviewId: string): Promise<ReviewOrigin | null> {
  const [opened] = await eventStore.readStream(reviewStreamId(reviewId), { maxCount: 1 });
  if (opened?.type !== 'CaseSampled') return null;
  const { caseRef: _caseRef, casePseudonym: _casePseudonym, ...origin } = opened.data as CaseSampled['data'];
  return { ...origin, tenant: opened.metadata.tenant };
}

/** A questionnaire's published versions and regional additions, folded from its stream. */
const questionnaireContent: StreamFold<QuestionnaireSource, QuestionnaireEvent> = {
  name: 'questionnaire-content',
  streamId: questionnaireStreamId,
  decider: {
    initialState: () => ({ versions: [], regionalAdditions: [] }),
    evolve: (state, event) => {
      switch (event.type) {
        case 'QuestionnaireVersionPublished':
          return {
            ...state,
            versions: [...state.versions, { version: event.data.version, sections: event.data.sections }],
          };
        case 'RegionalQuestionsAdded': {
          const { validFrom, validTo, questions } = event.data;
          return { ...state, regionalAdditions: [...state.regionalAdditions, { validFrom, validTo, questions }] };
        }
        default: {
          const unreachable: never = event;
          return unreachable;
        }
      }
    },
  },
};

/**
 * What a command on a review decides on, all from streams (a decision that writes never reads an
 * eventually consistent read model): the review's team and pinned
 * questionnaire version from its first event, the programme's deputy rule from the programme's stream,
 * acting rights from the organisation's stream, the questions from the questionnaire's stream. An
 * answer right after the review was opened, or a deputy's work right after the absence was recorded,
 * is decided on what was written, not on what the read models have caught up with.
 */
@Injectable()
export class ReviewFacts {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(STREAM_STATES) private readonly streams: StreamStates,
    private readonly acting: ActingRights,
    private readonly retention: RetentionRecords,
  ) {}

  /** The review of the caller's tenant, or 410 with its purge record once retention destroyed it, or 404. */
  async origin(principal: Principal, reviewId: string): Promise<ReviewOrigin> {
    const origin = await reviewOrigin(this.eventStore, reviewId);
    if (origin === null || origin.tenant !== principal.tenant) {
      await this.retention.assertNotPurged(principal.tenant, reviewId);
      throw new NotFoundError(`review ${reviewId}`);
    }
    return origin;
  }

  /** Acting on a review: the team's lead, or its deputy during a recorded absence if the programme allows. */
  async forAct(
    principal: Principal,
    reviewId: string,
  ): Promise<{ readonly asDeputy: boolean; readonly questions: readonly ReviewQuestionDetail[] }> {
    const origin = await this.origin(principal, reviewId);
    const programme = await this.streams.read(programmeAggregate, origin.programmeId);
    const deputiesAllowed =
      programme?.tenant === origin.tenant && programme.state.status === 'defined'
        ? programme.state.settings.deputiesReview
        : DEFAULT_RULES.programme.deputiesReview;
    const team = await this.acting.assertMayAct(principal, 'review.act', origin.tenant, origin.teamId, {
      deputiesAllowed,
    });
    return { asDeputy: team.asDeputy, questions: await this.questions(origin) };
  }

  /** The review's questions: its pinned questionnaire version plus the regional additions of its month. */
  private async questions(origin: ReviewOrigin): Promise<readonly ReviewQuestionDetail[]> {
    const questionnaire = await this.streams.read(questionnaireContent, origin.questionnaireId);
    return requireQuestionsForReview(
      questionnaire?.tenant === origin.tenant ? questionnaire.state : null,
      origin.questionnaireId,
      origin.questionnaireVersion,
      origin.month,
    );
  }
}
