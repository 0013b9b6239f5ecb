import type { RecordedEvent } from '@pruefpfad/event-store';
import type { Doc, DocumentWrite } from '@pruefpfad/read-store';
import { foldBatch } from './fold-batch.js';
import { reviewsProjection, unitsProjection } from './testing/projection-fixtures.js';

let position = 0;
function recorded(type: string, data: Record<string, unknown>): RecordedEvent {
  position += 1;
  return {
    id: `e-${position}`,
    type,
    schemaVersion: 1,
    data,
    metadata: {
      occurredAt: '2025-03-01T09:00:00.000Z',
      actor: { userId: 'u-1', role: 'reviewer' },
      tenant: 't',
      correlationId: 'c',
      causationId: null,
      rulesVersion: '1',
    },
    streamId: `review-${String(data['reviewId'])}`,
    revision: 0,
    position,
    recordedAt: '2025-03-01T09:00:00.000Z',
    chain: '',
  };
}

/** A map standing in for the collection: this test is about the fold, not about storage. */
function memoryCollection() {
  const docs = new Map<string, Doc>();
  let loads = 0;
  return {
    docs,
    get loads() {
      return loads;
    },
    load: (ids: readonly string[]) => {
      loads += 1;
      return Promise.resolve(new Map(ids.map((id) => [id, docs.get(id) ?? null])));
    },
    apply(writes: readonly DocumentWrite[]) {
      for (const write of writes) {
        if (write.op === 'put') docs.set(write.doc._id, structuredClone(write.doc));
        else docs.delete(write.id);
      }
    },
  };
}

describe('foldBatch', () => {
  const definition = reviewsProjection();

  it('loads every document once per batch, folds all its events and stamps the last position', async () => {
    const events = [
      recorded('ReviewOpened.v1', { reviewId: 'a', unit: 'u1' }),
      recorded('ReviewOpened.v1', { reviewId: 'b', unit: 'u2' }),
      recorded('FindingRecorded.v1', { reviewId: 'a', severity: 'minor' }),
      recorded('FindingRecorded.v1', { reviewId: 'a', severity: 'major' }),
      recorded('ReviewClosed.v1', { reviewId: 'a' }),
    ];
    const collection = memoryCollection();
    const folded = await foldBatch(definition, 'reviews_v1', events, 99, collection.load);
    expect(collection.loads).toBe(1);
    expect(folded.checkpoint).toBe(99);
    expect(folded.events).toBe(5);
    expect(folded.writes).toHaveLength(2);
    const a = folded.writes.find((write) => write.op === 'put' && write.doc._id === 'a');
    expect(a).toEqual({
      op: 'put',
      collection: 'reviews_v1',
      doc: {
        _id: 'a',
        unit: 'u1',
        status: 'closed',
        findings: 2,
        severities: ['minor', 'major'],
        _position: events[4]!.position,
      },
    });
  });

  it('changes nothing when the same batch is fed twice', async () => {
    const events = [
      recorded('ReviewOpened.v1', { reviewId: 'c', unit: 'u1' }),
      recorded('FindingRecorded.v1', { reviewId: 'c', severity: 'minor' }),
    ];
    const collection = memoryCollection();
    collection.apply((await foldBatch(definition, 'reviews_v1', events, 10, collection.load)).writes);
    const once = structuredClone([...collection.docs.entries()]);
    const again = await foldBatch(definition, 'reviews_v1', events, 10, collection.load);
    expect(again.writes).toEqual([]);
    expect(again.applied).toBe(0);
    collection.apply(again.writes);
    expect([...collection.docs.entries()]).toEqual(once);
  });

  it('turns evolve returning null into a delete, and writes nothing for a document that never existed', async () => {
    const collection = memoryCollection();
    const opened = recorded('ReviewOpened.v1', { reviewId: 'd', unit: 'u1' });
    collection.apply((await foldBatch(definition, 'reviews_v1', [opened], opened.position, collection.load)).writes);
    expect(collection.docs.has('d')).toBe(true);
    const purged = recorded('ReviewPurged.v1', { reviewId: 'd' });
    const ghost = recorded('ReviewPurged.v1', { reviewId: 'never-opened' });
    const folded = await foldBatch(definition, 'reviews_v1', [purged, ghost], ghost.position, collection.load);
    expect(folded.writes).toEqual([{ op: 'delete', collection: 'reviews_v1', id: 'd' }]);
  });

  it('hides _position from evolve', async () => {
    const collection = memoryCollection();
    const seen: (Doc | null)[] = [];
    const spy = {
      ...definition,
      evolve: (doc: Doc | null, event: RecordedEvent, id: string) => {
        seen.push(doc);
        return definition.evolve(doc as never, event, id);
      },
    };
    const opened = recorded('ReviewOpened.v1', { reviewId: 'e', unit: 'u1' });
    collection.apply((await foldBatch(spy, 'reviews_v1', [opened], opened.position, collection.load)).writes);
    const closed = recorded('ReviewClosed.v1', { reviewId: 'e' });
    await foldBatch(spy, 'reviews_v1', [closed], closed.position, collection.load);
    expect(seen[1]).not.toHaveProperty('_position');
  });

  it('stops at a poison event: folds what came before and checkpoints just before it', async () => {
    const poisoned = reviewsProjection({ poisonOn: 'fatal' });
    const events = [
      recorded('ReviewOpened.v1', { reviewId: 'f', unit: 'u1' }),
      recorded('FindingRecorded.v1', { reviewId: 'f', severity: 'fatal' }),
      recorded('ReviewClosed.v1', { reviewId: 'f' }),
    ];
    const folded = await foldBatch(poisoned, 'reviews_v1', events, events[2]!.position, memoryCollection().load);
    expect(folded.poison).toMatchObject({
      projection: 'reviews',
      eventId: events[1]!.id,
      eventType: 'FindingRecorded.v1',
      position: events[1]!.position,
      documentId: 'f',
      error: 'cannot grade severity fatal',
    });
    expect(folded.checkpoint).toBe(events[1]!.position - 1);
    expect(folded.events).toBe(1);
    expect(folded.writes).toEqual([
      {
        op: 'put',
        collection: 'reviews_v1',
        doc: expect.objectContaining({ _id: 'f', status: 'open', findings: 0, _position: events[0]!.position }),
      },
    ]);
  });

  it('treats a throwing documentIds as poison too', async () => {
    const broken = {
      ...definition,
      documentIds: () => {
        throw new Error('no id');
      },
    };
    const event = recorded('ReviewOpened.v1', { reviewId: 'g' });
    const folded = await foldBatch(broken, 'reviews_v1', [event], event.position, memoryCollection().load);
    expect(folded.poison?.error).toBe('no id');
    expect(folded.writes).toEqual([]);
  });

  it('applies one event to several documents', async () => {
    const collection = memoryCollection();
    const events = [
      recorded('ReviewOpened.v1', { reviewId: 'h', unit: 'north' }),
      recorded('ReviewTransferred.v1', { reviewId: 'h', from: 'north', to: 'south' }),
    ];
    collection.apply((await foldBatch(unitsProjection(), 'units_v1', events, 5, collection.load)).writes);
    expect(collection.docs.get('north')).toMatchObject({ reviews: 0 });
    expect(collection.docs.get('south')).toMatchObject({ reviews: 1 });
  });

  it('rejects a document whose _id differs from the id it was folded for', async () => {
    const wrong = { ...definition, evolve: () => ({ _id: 'other' }) };
    const event = recorded('ReviewOpened.v1', { reviewId: 'i' });
    const folded = await foldBatch(wrong, 'reviews_v1', [event], event.position, memoryCollection().load);
    expect(folded.poison?.error).toMatch(/_id other for document i/);
  });
});
