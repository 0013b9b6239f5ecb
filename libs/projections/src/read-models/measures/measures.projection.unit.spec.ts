import type { MeasureEvent, Sealed } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import { expectReplaysChangeNothing, foldInMemory, interleavedHistory } from '../../testing/fold-in-memory.js';
import type { MeasureDoc } from './measure.doc.js';
import { measuresProjection } from './measures.projection.js';

const sealed = (ct: string): Sealed => ({ $sealed: 1, kid: 'measure:x', iv: 'iv', ct, tag: 'tag' });

function agreed(measureId: string, teamId: string, dueDate: string): MeasureEvent {
  return {
    type: 'MeasureAgreed',
    data: {
      measureId,
      tenant: 'jc-a',
      areaId: 'area-mi',
      teamId,
      reviewId: null,
      kind: 'feedback',
      scope: 'individual',
      owner: sealed(`owner-${measureId}`),
      description: sealed(`description-${measureId}`),
      dueDate,
      agreedOn: '2026-03-02',
      decidedByRole: 'team_lead',
    },
  };
}

/** Interleaved streams with foreign events in between, as the store delivers them. */
function history(): RecordedEvent[] {
  const streams: Record<string, MeasureEvent[]> = {
    m1: [
      agreed('m1', 'team-1', '2026-03-31'),
      { type: 'MeasureFollowedUp', data: { measureId: 'm1', date: '2026-03-10', note: sealed('n1') } },
      { type: 'MeasureFollowedUp', data: { measureId: 'm1', date: '2026-03-20', note: sealed('n2') } },
      { type: 'MeasureCompleted', data: { measureId: 'm1', date: '2026-03-25', note: sealed('done') } },
    ],
    m2: [
      agreed('m2', 'team-2', '2026-03-05'),
      { type: 'MeasureCancelled', data: { measureId: 'm2', date: '2026-03-06', reason: sealed('obsolete') } },
    ],
    m3: [agreed('m3', 'team-1', '2026-04-15')],
  };
  return interleavedHistory(
    Object.entries(streams).map(([measureId, events]) => ({ streamId: `measure-${measureId}`, events })),
    'ReviewCompleted',
  );
}

describe('measures projection', () => {
  it('keeps one document per measure with follow-ups, status, closing day and note', async () => {
    const collection = foldInMemory(measuresProjection);
    await collection.feed(history(), 1000);
    const [m1, m2, m3] = collection.sortedDocs() as MeasureDoc[];
    expect(m1).toMatchObject({
      _id: 'm1',
      tenant: 'jc-a',
      teamId: 'team-1',
      status: 'completed',
      closedOn: '2026-03-25',
      closingNote: sealed('done'),
      owner: sealed('owner-m1'),
      followUps: [
        { date: '2026-03-10', note: sealed('n1') },
        { date: '2026-03-20', note: sealed('n2') },
      ],
      streamRevision: 3,
    });
    expect(m2).toMatchObject({ status: 'cancelled', closedOn: '2026-03-06', closingNote: sealed('obsolete') });
    expect(m3).toMatchObject({
      status: 'open',
      dueDate: '2026-04-15',
      agreedOn: '2026-03-02',
      closedOn: null,
      followUps: [],
      streamRevision: 0,
    });
  });

  it('changes nothing when every event is replayed twice, and rebuilds the same documents from position 0', async () => {
    const documents = await expectReplaysChangeNothing(measuresProjection, history());
    expect(documents.length).toBeGreaterThan(0);
  });
});
