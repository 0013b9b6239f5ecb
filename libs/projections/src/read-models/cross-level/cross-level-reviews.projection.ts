import type { CrossLevelReviewEvent } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import type { ProjectionDefinition } from '../../projection.js';
import { CROSS_LEVEL_REVIEWS, type CrossLevelReviewDoc } from './cross-level.docs.js';

const asEvent = (recorded: RecordedEvent): CrossLevelReviewEvent =>
  ({ type: recorded.type, data: recorded.data }) as CrossLevelReviewEvent;

/** Read model `cross-level-reviews`: approvals of cross-level reviews and whether they were closed. */
export const crossLevelReviewsProjection: ProjectionDefinition<CrossLevelReviewDoc> = {
  name: CROSS_LEVEL_REVIEWS,
  version: 1,
  eventTypes: ['CrossLevelReviewApproved', 'CrossLevelReviewClosed'],
  documentIds: (recorded) => [asEvent(recorded).data.id],
  evolve: (doc, recorded, id) => {
    const event = asEvent(recorded);
    switch (event.type) {
      case 'CrossLevelReviewApproved':
        return doc ?? { ...event.data, _id: id, closedOn: null, closeBasis: null };
      case 'CrossLevelReviewClosed':
        return doc === null ? null : { ...doc, closedOn: event.data.closedOn, closeBasis: event.data.basis };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
};
