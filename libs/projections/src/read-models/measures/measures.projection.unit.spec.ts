import type { MeasureEvent } from '../../../../domain/src/measure/measure.events.js';
import type { Sealed } from '../../../../domain/src/shared/sealed.js';
import type { RecordedEvent } from '../../../../event-store/src/event-store.port.js';
import type { Doc, DocumentWrite } from '../../../../read-store/src/read-store.port.js';
import { foldBatch } from '../../fold-batch.js';
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
  const events: RecordedEvent[] = [];
  let position = 0;
  for (let step = 0; step < 4; step += 1) {
    for (const [measureId, stream] of Object.entries(streams)) {
      const event = stream[step];
      if (event === undefined) continue;
      position += 1;
      events.push({
        id: `e-${position}`,
        type: event.type,
        schemaVersion: 1,
        data: event.data,
        metadata: {
          occurredAt: '2026-03-02T09:00:00.000Z',
          actor: { userId: 'tl-1', role: 'team_lead' },
          tenant: 'jc-a',
          correlationId: 'c',
          causationId: null,
          rulesVersion: '1',
        },
        streamId: `measure-${measureId}`,
        revision: step,
        position,
        recordedAt: '2026-03-02T09:00:00.000Z',
        chain: '',
      });
      position += 1;
      events.push({ ...events[events.length - 1]!, id: `x-${position}`, type: 'ReviewCompleted', position });
    }
  }
  return events;
}

/** The collection as a map: the runner's storage is tested elsewhere; this is about the fold. */
function memoryCollection() {
  const docs = new Map<string, Doc>();
  return {
    docs,
    load: (ids: readonly string[]) => Promise.resolve(new Map(ids.map((id) => [id, docs.get(id) ?? null]))),
    apply(writes: readonly DocumentWrite[]) {
      for (const write of writes) {
        if (write.op === 'put') docs.set(write.doc._id, structuredClone(write.doc));
        else docs.delete(write.id);
      }
    },
  };
}

async function feed(collection: ReturnType<typeof memoryCollection>, events: readonly RecordedEvent[], batch: number) {
  for (let start = 0; start < events.length; start += batch) {
    const slice = events.slice(start, start + batch);
    const folded = await foldBatch(measuresProjection, 'measures_v1', slice, slice.at(-1)!.position, collection.load);
    collection.apply(folded.writes);
  }
}

const sorted = (docs: Map<string, Doc>) => [...docs.values()].sort((a, b) => a._id.localeCompare(b._id));

describe('measures projection', () => {
  it('keeps one document per measure with follow-ups, status, closing day and note', async () => {
    const collection = memoryCollection();
    await feed(collection, history(), 1000);
    const [m1, m2, m3] = sorted(collection.docs) as MeasureDoc[];
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
    const events = history();
    const once = memoryCollection();
    await feed(once, events, 1000);
    const expected = sorted(once.docs);

    // The same events again (a redelivery after a crash before the checkpoint), in odd batch sizes.
    await feed(once, events, 3);
    await feed(once, events, 1);
    expect(sorted(once.docs)).toEqual(expected);

    // A rebuild from checkpoint 0 in another batch size meets the same result.
    const rebuilt = memoryCollection();
    await feed(rebuilt, events, 2);
    expect(sorted(rebuilt.docs)).toEqual(expected);
  });
});
