import type {
  MeasureAgreed,
  MeasureCancelled,
  MeasureCompleted,
  MeasureEvent,
  MeasureFollowedUp,
  ReviewPurged,
} from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import type { ProjectionDefinition } from '../../projection.js';
import { MEASURES, type MeasureDoc } from './measure.doc.js';

type MeasureRecorded = RecordedEvent<MeasureEvent['data']> & { readonly type: MeasureEvent['type'] };

/** One document per measure; overdue is not stored (it depends on the day of the query). */
export const measuresProjection: ProjectionDefinition<MeasureDoc> = {
  name: MEASURES,
  version: 1,
  // A team's measures by status and due date; open ones per tenant (inbox, area counts); a review's measures
  // (history, retention across tenants).
  indexes: [
    { fields: { tenant: 1, teamId: 1, status: 1, dueDate: 1 } },
    { fields: { tenant: 1, status: 1 } },
    { fields: { reviewId: 1 } },
  ],
  eventTypes: ['MeasureAgreed', 'MeasureFollowedUp', 'MeasureCompleted', 'MeasureCancelled', 'ReviewPurged'] satisfies (
    MeasureEvent | ReviewPurged
  )['type'][],
  documentIds: (event) =>
    event.type === 'ReviewPurged'
      ? (event.data as ReviewPurged['data']).measureIds
      : [(event.data as MeasureEvent['data']).measureId],
  evolve: (doc, recorded) => {
    // Retention (000:92): the measures of a purged review go with it; their figures live on in its summary.
    if (recorded.type === 'ReviewPurged') return null;
    const event = recorded as MeasureRecorded;
    switch (event.type) {
      case 'MeasureAgreed': {
        const data = event.data as MeasureAgreed['data'];
        return {
          _id: data.measureId,
          tenant: data.tenant,
          areaId: data.areaId,
          teamId: data.teamId,
          reviewId: data.reviewId,
          kind: data.kind,
          scope: data.scope,
          status: 'open',
          owner: data.owner,
          description: data.description,
          dueDate: data.dueDate,
          agreedOn: data.agreedOn,
          closedOn: null,
          followUps: [],
          closingNote: null,
          streamRevision: event.revision,
        };
      }
      case 'MeasureFollowedUp': {
        if (doc === null) return null;
        const data = event.data as MeasureFollowedUp['data'];
        return {
          ...doc,
          followUps: [...doc.followUps, { date: data.date, note: data.note }],
          streamRevision: event.revision,
        };
      }
      case 'MeasureCompleted': {
        if (doc === null) return null;
        const data = event.data as MeasureCompleted['data'];
        return {
          ...doc,
          status: 'completed',
          closedOn: data.date,
          closingNote: data.note,
          streamRevision: event.revision,
        };
      }
      case 'MeasureCancelled': {
        if (doc === null) return null;
        const data = event.data as MeasureCancelled['data'];
        return {
          ...doc,
          status: 'cancelled',
          closedOn: data.date,
          closingNote: data.reason,
          streamRevision: event.revision,
        };
      }
      default: {
        const unreachable: never = event.type;
        return unreachable;
      }
    }
  },
};
