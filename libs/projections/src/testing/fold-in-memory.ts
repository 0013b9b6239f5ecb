import type { EventMetadata, RecordedEvent } from '@pruefpfad/event-store';
import type { Doc } from '@pruefpfad/read-store';
import { foldBatch } from '../fold-batch.js';
import { physicalCollection, type ProjectionDefinition } from '../projection.js';

/**
 * Shared by the read models' unit tests: `foldBatch` (the runner's fold) into a collection held in a map.
 * These tests are about `evolve`; the runner's storage is tested against the real stores
 * (`projection-fixtures.ts`).
 */

/** Metadata of every test event unless a test says otherwise. */
export const TEST_METADATA: EventMetadata = {
  occurredAt: '2026-03-02T09:00:00.000Z',
  actor: { userId: 'tl-1', role: 'team_lead' },
  tenant: 'jc-a',
  correlationId: 'c',
  causationId: null,
  rulesVersion: '1',
};

export interface RecordedEventInit {
  readonly type: string;
  readonly data: unknown;
  readonly streamId: string;
  readonly position: number;
  /** Default 0. */
  readonly revision?: number;
  /** Default `e-<position>`. */
  readonly id?: string;
  /** Overrides of `TEST_METADATA`. */
  readonly metadata?: Partial<EventMetadata>;
  /** Default: the event's `occurredAt`. */
  readonly recordedAt?: string;
}

/** An event as the store hands it to a projection. */
export function recordedEvent(init: RecordedEventInit): RecordedEvent {
  const metadata: EventMetadata = { ...TEST_METADATA, ...init.metadata };
  return {
    id: init.id ?? `e-${init.position}`,
    type: init.type,
    schemaVersion: 1,
    data: init.data,
    metadata,
    streamId: init.streamId,
    revision: init.revision ?? 0,
    position: init.position,
    recordedAt: init.recordedAt ?? metadata.occurredAt,
    chain: '',
  };
}

export interface StreamHistory {
  readonly streamId: string;
  readonly events: readonly { readonly type: string; readonly data: unknown }[];
  /** Overrides of `TEST_METADATA` for the stream's events, or a function of the event's revision. */
  readonly metadata?: Partial<EventMetadata> | ((revision: number) => Partial<EventMetadata>);
}

/**
 * The streams as the store delivers them: interleaved (every stream's first event, then every stream's
 * second, …), each event followed by one of `foreignType` that the projection must pass over. Positions
 * count from 1; the foreign event is a copy at the next position.
 */
export function interleavedHistory(streams: readonly StreamHistory[], foreignType: string): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  const steps = Math.max(0, ...streams.map((stream) => stream.events.length));
  for (let revision = 0; revision < steps; revision += 1) {
    for (const stream of streams) {
      const event = stream.events[revision];
      if (event === undefined) continue;
      const recorded = recordedEvent({
        type: event.type,
        data: event.data,
        streamId: stream.streamId,
        revision,
        position: events.length + 1,
        metadata: typeof stream.metadata === 'function' ? stream.metadata(revision) : stream.metadata,
      });
      const foreign = events.length + 2;
      events.push(recorded, { ...recorded, id: `x-${foreign}`, type: foreignType, position: foreign });
    }
  }
  return events;
}

export interface InMemoryReadModel {
  readonly docs: Map<string, Doc>;
  /**
   * Folds `events` in batches of `batchSize` (default: all in one batch), each batch committed before the
   * next is loaded, as the runner does. Returns the number of document writes; a poison event fails.
   */
  feed(events: readonly RecordedEvent[], batchSize?: number): Promise<number>;
  /** The documents sorted by id, for comparisons. */
  sortedDocs(): Doc[];
}

/** A fresh, empty collection of `projection`. */
export function foldInMemory(
  projection: ProjectionDefinition,
  physicalName: string = physicalCollection(projection),
): InMemoryReadModel {
  const docs = new Map<string, Doc>();
  const load = (ids: readonly string[]) => Promise.resolve(new Map(ids.map((id) => [id, docs.get(id) ?? null])));
  return {
    docs,
    async feed(events, batchSize = events.length) {
      let writes = 0;
      for (let start = 0; start < events.length; start += batchSize) {
        const batch = events.slice(start, start + batchSize);
        const folded = await foldBatch(projection, physicalName, batch, batch.at(-1)!.position, load);
        if (folded.poison !== null) throw new Error(`poison event: ${JSON.stringify(folded.poison)}`);
        for (const write of folded.writes) {
          if (write.op === 'put') docs.set(write.doc._id, structuredClone(write.doc));
          else docs.delete(write.id);
        }
        writes += folded.writes.length;
      }
      return writes;
    },
    sortedDocs: () => [...docs.values()].sort((a, b) => a._id.localeCompare(b._id)),
  };
}

/**
 * Replays change nothing: `events` fed once, then every event again in odd batch sizes (a redelivery after
 * a crash before the checkpoint), and a rebuild from checkpoint 0 in yet another batch size, all give the
 * same documents. Resolves with them.
 */
export async function expectReplaysChangeNothing(
  projection: ProjectionDefinition,
  events: readonly RecordedEvent[],
): Promise<Doc[]> {
  const once = foldInMemory(projection);
  await once.feed(events);
  const expected = once.sortedDocs();

  await once.feed(events, 3);
  await once.feed(events, 1);
  expect(once.sortedDocs()).toEqual(expected);

  const rebuilt = foldInMemory(projection);
  await rebuilt.feed(events, 2);
  expect(rebuilt.sortedDocs()).toEqual(expected);
  return expected;
}
