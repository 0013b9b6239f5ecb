import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '@pruefpfad/application';
import {
  type AsOfCut,
  type Decider,
  type DomainEvent,
  foldAsOf,
  numberSealedValues,
  type Principal,
  programmeDecider,
  programmeStreamId,
  questionnaireDecider,
  questionnaireStreamId,
  reviewDecider,
  type StreamEntry,
} from '@pruefpfad/domain';
import type { EventStore, RecordedEvent } from '@pruefpfad/event-store';
import { RequestValidationError } from '../errors/validation.js';
import { EVENT_STORE } from '../runtime/tokens.js';
import { AuditPrivacy, type AuditDisclosure } from './audit-privacy.js';
import { readTenantStream, ReviewHistoryService } from './review-history.service.js';

export interface AsOfView {
  readonly aggregate: 'review' | 'programme' | 'questionnaire';
  readonly id: string;
  readonly asOf: { readonly revision: number } | { readonly at: string };
  /** Revision of the last event folded (null: the stream did not exist yet at that point). */
  readonly revision: number | null;
  readonly currentRevision: number | null;
  readonly eventsApplied: number;
  readonly lastOccurredAt: string | null;
  readonly disclosure: AuditDisclosure;
  /** The aggregate's own state as its decider folds it (not a read model). */
  readonly state: unknown;
}

const entriesOf = <E extends DomainEvent>(events: readonly RecordedEvent[]): StreamEntry<E>[] =>
  events.map((event) => ({
    revision: event.revision,
    occurredAt: event.metadata.occurredAt,
    event: { type: event.type, data: event.data } as E,
  }));

/**
 * Time travel: a stream's state as of a revision or an instant, folded with the aggregate's decider from
 * the events on purpose (an auditor checks the record, not a projection of it).
 */
@Injectable()
export class TimeTravelService {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly reviews: ReviewHistoryService,
    private readonly privacy: AuditPrivacy,
  ) {}

  async review(principal: Principal, reviewId: string, cut: AsOfCut): Promise<AsOfView> {
    const { events, sampled } = await this.reviews.reviewStream(principal, reviewId, 'audit.history.read');
    const disclosure = await this.privacy.disclosure(principal, principal.tenant, sampled.teamId);
    if (disclosure === 'full') this.privacy.logRead(principal, { reviewId, view: 'as-of' });
    return this.fold('review', reviewId, reviewDecider, events, cut, disclosure);
  }

  /**
   * Programmes and questionnaires carry no personal data in their folded state; should one ever appear,
   * it is shown as a placeholder to everyone (these views are open to every employee).
   */
  async programme(principal: Principal, programmeId: string, cut: AsOfCut): Promise<AsOfView> {
    const events = await readTenantStream(this.eventStore, programmeStreamId(programmeId), principal.tenant);
    if (events.length === 0) throw new NotFoundError(`programme ${programmeId}`);
    return this.fold('programme', programmeId, programmeDecider, events, cut, 'pseudonymised');
  }

  async questionnaire(principal: Principal, questionnaireId: string, cut: AsOfCut): Promise<AsOfView> {
    const events = await readTenantStream(this.eventStore, questionnaireStreamId(questionnaireId), principal.tenant);
    if (events.length === 0) throw new NotFoundError(`questionnaire ${questionnaireId}`);
    return this.fold('questionnaire', questionnaireId, questionnaireDecider, events, cut, 'pseudonymised');
  }

  private async fold<S, E extends DomainEvent>(
    aggregate: AsOfView['aggregate'],
    id: string,
    decider: Pick<Decider<unknown, S, E>, 'initialState' | 'evolve'>,
    events: readonly RecordedEvent[],
    cut: AsOfCut,
    disclosure: AuditDisclosure,
  ): Promise<AsOfView> {
    const current = events[events.length - 1]?.revision ?? -1;
    if (cut.kind === 'revision' && cut.revision > current)
      throw new RequestValidationError([
        {
          field: 'revision',
          message: `höchstens die aktuelle Revision ${current} / at most the current revision ${current}`,
        },
      ]);
    const result = foldAsOf(decider, entriesOf<E>(events), cut);
    const numbers = numberSealedValues(events.map((event) => event.data));
    return {
      aggregate,
      id,
      asOf: cut.kind === 'revision' ? { revision: cut.revision } : { at: cut.at },
      revision: result.revision,
      currentRevision: result.currentRevision,
      eventsApplied: result.eventsApplied,
      lastOccurredAt: result.lastOccurredAt,
      disclosure,
      state: await this.privacy.present(result.state, numbers, disclosure),
    };
  }
}
