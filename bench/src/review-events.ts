import { berlinDate, type CommandContext, type IdGenerator } from '@pruefpfad/application';
import { reviewAggregate } from '@pruefpfad/domain';
import type { EventMetadata, NewEvent } from '@pruefpfad/event-store';
import type { Envelope } from '@pruefpfad/privacy';
import type { BenchQuestionnaire } from './review-questionnaire.js';
import {
  eventsPerReview,
  type PlainReviewCommand,
  reviewScript,
  type ReviewSetting,
  sealReviewCommand,
} from './review-script.js';

export { reviewAggregate };

export const BENCH_TENANT = 'jobcenter-musterstadt-nord';
export const BENCH_RULES_VERSION = 'rules-2025.03.1';
const BENCH_AREA = 'bereich-markt-und-integration';

/** One review to run: its setting, its commands and who issues them. */
export interface BenchReview {
  readonly setting: ReviewSetting;
  readonly commands: readonly PlainReviewCommand[];
  readonly teamLeadId: string;
  /** The draw that sampled the case: actor, correlation and causation of the opening, as the reactor sets them. */
  readonly draw: { readonly actorId: string; readonly eventId: string; readonly correlationId: string };
}

/**
 * Hands out reviews of one programme over 40 teams (each with its team lead and one sample per month),
 * so projections see a Jobcenter's spread of teams rather than one hot document.
 */
export class BenchReviews {
  private readonly programmeId: string;
  private readonly drawerId: string;
  private readonly teamLeads: readonly string[];
  private readonly draws = new Map<
    string,
    { readonly sampleId: string; readonly eventId: string; correlationId: string }
  >();
  private issued = 0;

  constructor(
    private readonly questionnaire: BenchQuestionnaire,
    private readonly pseudonymKey: Uint8Array,
    private readonly ids: IdGenerator,
    private readonly teams = 40,
  ) {
    this.programmeId = ids.next();
    this.drawerId = ids.next();
    this.teamLeads = Array.from({ length: teams }, () => ids.next());
  }

  /** Commands (= events) of one full review. */
  get eventsPerReview(): number {
    return eventsPerReview(this.questionnaire.questions);
  }

  /** A fresh review sampled in `month`; talk and team discussion dated `dialogueDate`. */
  next(options: {
    readonly seed: number;
    readonly month: string;
    readonly dialogueDate: string;
    readonly count?: number;
  }): BenchReview {
    const team = this.issued % this.teams;
    this.issued += 1;
    const teamId = `team-${String(team + 1).padStart(3, '0')}`;
    const drawKey = `${teamId}:${options.month}`;
    let draw = this.draws.get(drawKey);
    if (draw === undefined) {
      draw = { sampleId: this.ids.next(), eventId: this.ids.next(), correlationId: this.ids.next() };
      this.draws.set(drawKey, draw);
    }
    const setting: ReviewSetting = {
      reviewId: this.ids.next(),
      sampleId: draw.sampleId,
      programmeId: this.programmeId,
      areaId: BENCH_AREA,
      teamId,
      month: options.month,
      dialogueDate: options.dialogueDate,
      questionnaireId: this.questionnaire.questionnaireId,
      questionnaireVersion: this.questionnaire.version,
      questions: this.questionnaire.questions,
      pseudonymKey: this.pseudonymKey,
      seed: options.seed,
      newId: () => this.ids.next(),
    };
    return {
      setting,
      commands: reviewScript(setting, options.count),
      teamLeadId: this.teamLeads[team]!,
      draw: { actorId: this.drawerId, eventId: draw.eventId, correlationId: draw.correlationId },
    };
  }
}

/**
 * What the API derives from the caller's token and request (a new correlation id, no causation), or,
 * for the opening, what the sampling reactor takes from the draw event.
 */
export function commandContextFor(review: BenchReview, plain: PlainReviewCommand, ids: IdGenerator): CommandContext {
  if (plain.type === 'OpenReview')
    return {
      tenant: BENCH_TENANT,
      actor: { userId: review.draw.actorId, role: 'area_head' },
      correlationId: review.draw.correlationId,
      causationId: review.draw.eventId,
    };
  return {
    tenant: BENCH_TENANT,
    actor: { userId: review.teamLeadId, role: 'team_lead' },
    correlationId: ids.next(),
    causationId: null,
  };
}

/**
 * A whole review stream decided in memory with the real decider, exactly as the pipeline would store it
 * command by command (same sealing, same metadata shape), for bulk loading and the raw-SQL baselines.
 */
export async function decideReviewStream(options: {
  readonly envelope: Envelope;
  readonly review: BenchReview;
  readonly ids: IdGenerator;
  readonly now: () => string;
}): Promise<NewEvent[]> {
  const { envelope, review, ids } = options;
  const { decider, schemas } = reviewAggregate;
  const events: NewEvent[] = [];
  let state = decider.initialState();
  for (const plain of review.commands) {
    const command = await sealReviewCommand(envelope, review.setting, plain);
    const context = commandContextFor(review, plain, ids);
    const occurredAt = options.now();
    const metadata: EventMetadata = {
      occurredAt,
      actor: context.actor,
      tenant: context.tenant,
      correlationId: context.correlationId,
      causationId: context.causationId,
      rulesVersion: BENCH_RULES_VERSION,
    };
    const decided = decider.decide(command, state, {
      now: occurredAt,
      today: berlinDate(new Date(occurredAt)),
      actor: context.actor,
      tenant: context.tenant,
    });
    for (const event of decided) {
      state = decider.evolve(state, event);
      events.push({ id: ids.next(), type: event.type, schemaVersion: schemas[event.type], data: event.data, metadata });
    }
  }
  return events;
}
