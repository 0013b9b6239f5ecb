import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '@pruefpfad/application';
import {
  type Action,
  type CaseSampled,
  type HistoryLine,
  measureStreamId,
  numberSealedValues,
  type Principal,
  renderHistoryLine,
  reviewStreamId,
} from '@pruefpfad/domain';
import type { EventStore, RecordedEvent } from '@pruefpfad/event-store';
import { type MeasureDoc, MEASURES } from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { RetentionRecords } from '../retention/retention-records.js';
import { ReadModelFreshness } from '../commands/read-model-freshness.js';
import { ActingRights } from '../organisation/acting-rights.js';
import { DOCUMENT_STORE, EVENT_STORE } from '../runtime/tokens.js';
import { AuditPrivacy, type AuditDisclosure } from './audit-privacy.js';

export interface HistoryEventView {
  readonly position: number;
  readonly streamId: string;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  /** Clear subject, or `pseudonym:<keyed pseudonym>` for callers who see no personal data. */
  readonly actor: { readonly user: string; readonly role: string };
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly rulesVersion: string;
  /** The stream's HMAC chain value at this event: lets a filed export be checked against the store later. */
  readonly chain: string;
  readonly line: HistoryLine;
  readonly data: unknown;
}

export interface ReviewHistory {
  readonly reviewId: string;
  readonly tenant: string;
  readonly teamId: string;
  readonly areaId: string;
  readonly month: string;
  readonly disclosure: AuditDisclosure;
  readonly streams: readonly {
    readonly streamId: string;
    readonly kind: 'review' | 'measure';
    readonly revision: number;
  }[];
  readonly events: readonly HistoryEventView[];
}

/** A stream's events of the caller's tenant (another tenant's events are not there for the caller). */
export async function readTenantStream(
  eventStore: EventStore,
  streamId: string,
  tenant: string,
): Promise<RecordedEvent[]> {
  return (await eventStore.readStream(streamId)).filter((event) => event.metadata.tenant === tenant);
}

/**
 * The record of one review: its own stream and the streams of the measures that follow from it (found
 * through the `measures` read model), merged by global position, each event with its metadata, a German
 * and English line, and its data with personal fields as the caller may see them.
 */
@Injectable()
export class ReviewHistoryService {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    private readonly freshness: ReadModelFreshness,
    private readonly acting: ActingRights,
    private readonly privacy: AuditPrivacy,
    private readonly retention: RetentionRecords,
  ) {}

  /**
   * The review's own events and where it belongs, if the caller may reach it for `action`; a review the
   * retention purge destroyed answers 410 with its purge record; otherwise 404 (another tenant's or team's).
   */
  async reviewStream(
    principal: Principal,
    reviewId: string,
    action: Action,
  ): Promise<{ events: RecordedEvent[]; sampled: CaseSampled['data'] }> {
    const events = await readTenantStream(this.eventStore, reviewStreamId(reviewId), principal.tenant);
    const first = events[0];
    if (first?.type !== 'CaseSampled') {
      await this.retention.assertNotPurged(principal.tenant, reviewId);
      throw new NotFoundError(`review ${reviewId}`);
    }
    const sampled = first.data as CaseSampled['data'];
    await this.acting.assertMayRead(principal, action, principal.tenant, sampled.teamId);
    return { events, sampled };
  }

  async history(principal: Principal, reviewId: string, action: Action): Promise<ReviewHistory> {
    const { events: reviewEvents, sampled } = await this.reviewStream(principal, reviewId, action);
    const measures = (await this.documents.find(
      MEASURES,
      { tenant: principal.tenant, reviewId },
      { sort: { _id: 1 } },
    )) as MeasureDoc[];
    const measureStreams = await Promise.all(
      measures.map(async (measure) => ({
        measureId: measure._id,
        streamId: measureStreamId(measure._id),
        events: await readTenantStream(this.eventStore, measureStreamId(measure._id), principal.tenant),
      })),
    );
    const streams = [
      { streamId: reviewStreamId(reviewId), kind: 'review' as const, events: reviewEvents },
      ...measureStreams
        .filter((stream) => stream.events.length > 0)
        .map((s) => ({ streamId: s.streamId, events: s.events, kind: 'measure' as const })),
    ];
    const all = streams.flatMap((stream) => stream.events).sort((a, b) => a.position - b.position);
    const disclosure = await this.privacy.disclosure(principal, principal.tenant, sampled.teamId);
    if (disclosure === 'full')
      this.privacy.recordRead(
        action === 'audit.export.read' ? 'audit-export' : 'audit-history',
        reviewId,
        measureStreams.filter((stream) => stream.events.length > 0).map((stream) => stream.measureId),
      );
    const numbers = numberSealedValues(all.map((event) => event.data));
    const actorOf = await this.privacy.actorNamer(principal.tenant, disclosure);
    const views: HistoryEventView[] = [];
    for (const event of all)
      views.push({
        position: event.position,
        streamId: event.streamId,
        revision: event.revision,
        eventId: event.id,
        type: event.type,
        schemaVersion: event.schemaVersion,
        occurredAt: event.metadata.occurredAt,
        recordedAt: event.recordedAt,
        actor: { user: actorOf(event.metadata.actor.userId), role: event.metadata.actor.role },
        correlationId: event.metadata.correlationId,
        causationId: event.metadata.causationId,
        rulesVersion: event.metadata.rulesVersion,
        chain: event.chain,
        line: renderHistoryLine(event),
        data: await this.privacy.present(event.data, numbers, disclosure),
      });
    return {
      reviewId,
      tenant: principal.tenant,
      teamId: sampled.teamId,
      areaId: sampled.areaId,
      month: sampled.month,
      disclosure,
      streams: streams.map((stream) => ({
        streamId: stream.streamId,
        kind: stream.kind,
        revision: stream.events[stream.events.length - 1]?.revision ?? -1,
      })),
      events: views,
    };
  }
}
