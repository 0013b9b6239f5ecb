import { berlinDate } from '@pruefpfad/application';
import type { AccessLogEvent } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import type { ProjectionDefinition } from '../../projection.js';
import { ACCESS_LOG, type AccessLogDoc } from './access-log.doc.js';

type AccessLogRecorded = RecordedEvent & AccessLogEvent;

/**
 * One document per access-log event; the events stay the record, the documents serve the queries.
 * `PersonalDataAccessed` is the log's only event type, so there is nothing to switch over.
 */
export const accessLogProjection: ProjectionDefinition<AccessLogDoc> = {
  name: ACCESS_LOG,
  version: 1,
  // The access log's pages: a tenant's entries newest first, optionally for one review.
  indexes: [{ fields: { tenant: 1, position: -1 } }, { fields: { tenant: 1, reviewIds: 1, position: -1 } }],
  eventTypes: ['PersonalDataAccessed'] satisfies AccessLogEvent['type'][],
  documentIds: (event) => [event.id],
  evolve: (_doc, recorded) => {
    const event = recorded as AccessLogRecorded;
    const reviewIds = new Set(
      event.data.resources.flatMap((resource) => (resource.reviewId === null ? [] : [resource.reviewId])),
    );
    return {
      _id: event.id,
      tenant: event.metadata.tenant,
      position: event.position,
      at: event.metadata.occurredAt,
      day: berlinDate(new Date(event.metadata.occurredAt)),
      actor: { subject: event.metadata.actor.userId, role: event.metadata.actor.role },
      purpose: event.data.purpose,
      endpoint: event.data.endpoint,
      resources: event.data.resources,
      reviewIds: [...reviewIds],
      fields: event.data.fields,
      correlationId: event.metadata.correlationId,
      streamId: event.streamId,
    };
  },
};
