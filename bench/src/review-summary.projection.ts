import type { Sealed } from '../../libs/domain/src/shared/sealed.js';
import type { RecordedEvent } from '../../libs/event-store/src/event-store.port.js';
import type { ProjectionDefinition } from '../../libs/projections/src/projection.js';
import type { ReviewEvent, Severity } from './review.decider.js';

/**
 * A dashboard-like read model for the rebuild figure: one summary per review with answer and defect
 * counts, its status, and the sealed case reference (read models keep ciphertext, never plaintext).
 */
export interface ReviewSummaryDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly tenant: string;
  readonly unitId: string;
  readonly sampleMonth: string;
  readonly reviewerId: string;
  readonly caseReference: Sealed;
  readonly status: 'open' | 'completed';
  readonly outcome: 'compliant' | 'defects_found' | null;
  readonly answers: number;
  readonly answersNo: number;
  readonly defects: Readonly<Record<Severity, number>>;
  readonly defectsTotal: number;
  readonly streamRevision: number;
  readonly updatedAt: string;
}

type ReviewRecorded = RecordedEvent & Pick<ReviewEvent, 'type'>;

export const REVIEW_EVENT_TYPES: readonly ReviewEvent['type'][] = [
  'CaseSampled',
  'AnswerRecorded',
  'DefectRecorded',
  'ReviewCompleted',
];

export const reviewSummaryProjection: ProjectionDefinition<ReviewSummaryDoc> = {
  name: 'bench_review_summaries',
  version: 1,
  eventTypes: REVIEW_EVENT_TYPES,
  documentIds: (event) => [(event.data as ReviewEvent['data']).reviewId],
  evolve: (doc, recorded, documentId) => {
    const event = { type: recorded.type, data: recorded.data } as ReviewEvent;
    const at = (recorded as ReviewRecorded).metadata.occurredAt;
    if (event.type === 'CaseSampled') {
      return {
        _id: documentId,
        tenant: recorded.metadata.tenant,
        unitId: event.data.unitId,
        sampleMonth: event.data.sampleMonth,
        reviewerId: event.data.reviewerId,
        caseReference: event.data.caseReference,
        status: 'open',
        outcome: null,
        answers: 0,
        answersNo: 0,
        defects: { minor: 0, major: 0, critical: 0 },
        defectsTotal: 0,
        streamRevision: recorded.revision,
        updatedAt: at,
      };
    }
    if (doc === null) return null;
    const touched = { ...doc, streamRevision: recorded.revision, updatedAt: at };
    switch (event.type) {
      case 'AnswerRecorded':
        return {
          ...touched,
          answers: doc.answers + 1,
          answersNo: doc.answersNo + (event.data.answer === 'no' ? 1 : 0),
        };
      case 'DefectRecorded':
        return {
          ...touched,
          defects: { ...doc.defects, [event.data.severity]: doc.defects[event.data.severity] + 1 },
          defectsTotal: doc.defectsTotal + 1,
        };
      case 'ReviewCompleted':
        return { ...touched, status: 'completed', outcome: event.data.outcome };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
};
