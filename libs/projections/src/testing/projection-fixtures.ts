import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type EventMetadata,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
  SqliteEventStore,
} from '@pruefpfad/event-store';
import {
  type CheckpointStore,
  type Doc,
  type DocumentStore,
  type DocumentWrite,
  EmbeddedReadStore,
} from '@pruefpfad/read-store';
import type { ProjectionDefinition } from '../projection.js';

/**
 * Shared by the projection tests: a small read model over review events, and the real embedded stores
 * (no stand-ins: the runner is tested against the adapters it runs on).
 */
export const CHAIN_KEY = new Uint8Array(32).fill(7);

const metadata: EventMetadata = {
  occurredAt: '2025-03-01T09:00:00.000Z',
  actor: { userId: 'u-1', role: 'reviewer' },
  tenant: 'jc-berlin',
  correlationId: 'c-1',
  causationId: null,
  rulesVersion: '2025.1',
};

export function newEvent(type: string, data: Record<string, unknown>): NewEvent {
  return { id: randomUUID(), type, schemaVersion: 1, data, metadata };
}

export interface ReviewDoc extends Doc {
  readonly unit: string;
  readonly status: 'open' | 'closed';
  readonly findings: number;
  readonly severities: readonly string[];
}

export const REVIEW_EVENTS = ['ReviewOpened.v1', 'FindingRecorded.v1', 'ReviewClosed.v1', 'ReviewPurged.v1'] as const;

interface ReviewData {
  readonly reviewId: string;
  readonly unit?: string;
  readonly severity?: string;
}

/** One document per review; `ReviewPurged` deletes it. `version`/`extra` make a changed rule set. */
export function reviewsProjection(
  options: { version?: number; extra?: boolean; poisonOn?: string } = {},
): ProjectionDefinition<ReviewDoc> {
  return {
    name: 'reviews',
    version: options.version ?? 1,
    eventTypes: REVIEW_EVENTS,
    documentIds: (event) => [(event.data as ReviewData).reviewId],
    evolve(doc, event, id) {
      const data = event.data as ReviewData;
      if (options.poisonOn !== undefined && data.severity === options.poisonOn) {
        throw new Error(`cannot grade severity ${options.poisonOn}`);
      }
      switch (event.type) {
        case 'ReviewOpened.v1':
          return {
            _id: id,
            unit: data.unit ?? '?',
            status: 'open',
            findings: 0,
            severities: [],
            ...(options.extra === true ? { openedBy: event.metadata.actor.userId } : {}),
          };
        case 'FindingRecorded.v1':
          return doc === null
            ? null
            : { ...doc, findings: doc.findings + 1, severities: [...doc.severities, data.severity ?? '?'] };
        case 'ReviewClosed.v1':
          return doc === null ? null : { ...doc, status: 'closed' };
        case 'ReviewPurged.v1':
          return null;
        default:
          return doc;
      }
    },
  };
}

/** Counts open reviews per unit; a transfer touches two documents with one event. */
export function unitsProjection(): ProjectionDefinition {
  return {
    name: 'units',
    version: 1,
    eventTypes: ['ReviewOpened.v1', 'ReviewTransferred.v1'],
    documentIds: (event) => {
      const data = event.data as { unit?: string; from?: string; to?: string };
      return event.type === 'ReviewTransferred.v1' ? [data.from!, data.to!] : [data.unit!];
    },
    evolve(doc, event, id) {
      const reviews = typeof doc?.['reviews'] === 'number' ? doc['reviews'] : 0;
      if (event.type === 'ReviewOpened.v1') return { _id: id, reviews: reviews + 1 };
      const data = event.data as { from: string };
      return { _id: id, reviews: reviews + (id === data.from ? -1 : 1) };
    },
  };
}

/**
 * Appends `count` reviews, each opened, with two findings and closed; every 5th is purged. Streams are
 * interleaved (every review's first event, then every review's second, …) as in a real system, so a
 * replay from any middle position meets documents whose creation lies before it.
 */
export async function seedReviews(eventStore: EventStore, count: number, offset = 0): Promise<number> {
  const reviews: { streamId: string; events: NewEvent[] }[] = [];
  for (let i = offset; i < offset + count; i += 1) {
    const reviewId = `r-${String(i).padStart(5, '0')}`;
    reviews.push({
      streamId: `review-${reviewId}`,
      events: [
        newEvent('ReviewOpened.v1', { reviewId, unit: `unit-${i % 3}` }),
        newEvent('FindingRecorded.v1', { reviewId, severity: i % 2 === 0 ? 'minor' : 'major' }),
        newEvent('NoteAdded.v1', { reviewId }),
        newEvent('FindingRecorded.v1', { reviewId, severity: 'minor' }),
        newEvent('ReviewClosed.v1', { reviewId }),
        ...(i % 5 === 0 ? [newEvent('ReviewPurged.v1', { reviewId })] : []),
      ],
    });
  }
  let position = 0;
  for (let step = 0; step < 6; step += 1) {
    const results = await Promise.all(
      reviews
        .filter((review) => review.events.length > step)
        .map((review) =>
          eventStore.append(review.streamId, [review.events[step]!], {
            expectedRevision: step === 0 ? 'no_stream' : step - 1,
          }),
        ),
    );
    for (const result of results) position = Math.max(position, result.position);
  }
  return position;
}

export interface TestStores {
  readonly dir: string;
  readonly eventStore: SqliteEventStore;
  readonly readStore: EmbeddedReadStore;
  readonly documentStore: DocumentStore;
  readonly checkpointStore: CheckpointStore;
  /** Opens a second, independent read store connection on the same file (another process's view). */
  openReadStore(): EmbeddedReadStore;
  /** A fresh read store in its own file. */
  openOtherReadStore(name: string): EmbeddedReadStore;
  close(): Promise<void>;
}

export async function openTestStores(): Promise<TestStores> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-'));
  const eventStore = await SqliteEventStore.open({
    file: path.join(dir, 'events.db'),
    chainKey: CHAIN_KEY,
    pollIntervalMs: 20,
  });
  const readStore = EmbeddedReadStore.open({ file: path.join(dir, 'read.db') });
  const extra: EmbeddedReadStore[] = [];
  return {
    dir,
    eventStore,
    readStore,
    documentStore: readStore.documents,
    checkpointStore: readStore.checkpoints,
    openReadStore() {
      const store = EmbeddedReadStore.open({ file: path.join(dir, 'read.db') });
      extra.push(store);
      return store;
    },
    openOtherReadStore(name) {
      const store = EmbeddedReadStore.open({ file: path.join(dir, `${name}.db`) });
      extra.push(store);
      return store;
    },
    async close() {
      for (const store of extra) await store.close();
      await readStore.close();
      await eventStore.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** All documents of a physical collection, sorted by id, for comparisons. */
export async function allDocs(store: DocumentStore, collection: string): Promise<Doc[]> {
  return store.find(collection, {}, { sort: { _id: 1 } });
}

/** A document store that fails chosen calls: stands in for a database that is briefly unavailable. */
export class FlakyDocumentStore implements DocumentStore {
  commits: { writes: readonly DocumentWrite[]; checkpoint: { name: string; position: number } }[] = [];
  failedCommits = 0;
  /** Fail this many upcoming commits. */
  failNextCommits = 0;
  /** After this many successful commits, every call fails (a process that died mid-run). */
  dieAfterCommits = Number.POSITIVE_INFINITY;
  dead = false;

  constructor(private readonly inner: DocumentStore) {}

  private check(): void {
    if (this.dead) throw new Error('store unavailable (simulated crash)');
  }

  get(collection: string, id: string): Promise<Doc | null> {
    this.check();
    return this.inner.get(collection, id);
  }
  getMany(collection: string, ids: readonly string[]): Promise<readonly Doc[]> {
    this.check();
    return this.inner.getMany(collection, ids);
  }
  putIf(...args: Parameters<DocumentStore['putIf']>): Promise<boolean> {
    this.check();
    return this.inner.putIf(...args);
  }
  deleteIf(...args: Parameters<DocumentStore['deleteIf']>): Promise<boolean> {
    this.check();
    return this.inner.deleteIf(...args);
  }
  ensureIndexes(...args: Parameters<DocumentStore['ensureIndexes']>): Promise<void> {
    this.check();
    return this.inner.ensureIndexes(...args);
  }
  find(...args: Parameters<DocumentStore['find']>): Promise<Doc[]> {
    this.check();
    return this.inner.find(...args);
  }
  count(...args: Parameters<DocumentStore['count']>): Promise<number> {
    this.check();
    return this.inner.count(...args);
  }
  aggregate(...args: Parameters<DocumentStore['aggregate']>): Promise<Record<string, unknown>[]> {
    this.check();
    return this.inner.aggregate(...args);
  }
  put(collection: string, doc: Doc): Promise<void> {
    this.check();
    return this.inner.put(collection, doc);
  }
  delete(collection: string, id: string): Promise<void> {
    this.check();
    return this.inner.delete(collection, id);
  }
  async commit(
    writes: readonly DocumentWrite[],
    checkpoint: { readonly name: string; readonly position: number },
  ): Promise<void> {
    this.check();
    if (this.failNextCommits > 0) {
      this.failNextCommits -= 1;
      this.failedCommits += 1;
      throw new Error('commit failed (simulated outage)');
    }
    await this.inner.commit(writes, checkpoint);
    this.commits.push({ writes, checkpoint: { ...checkpoint } });
    if (this.commits.length >= this.dieAfterCommits) this.dead = true;
  }
  resolve(collection: string): Promise<string> {
    this.check();
    return this.inner.resolve(collection);
  }
  switchAlias(alias: string, physical: string): Promise<void> {
    this.check();
    return this.inner.switchAlias(alias, physical);
  }
  dropCollection(physical: string): Promise<void> {
    this.check();
    return this.inner.dropCollection(physical);
  }
  listCollections(): Promise<string[]> {
    this.check();
    return this.inner.listCollections();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Resolves when `condition` holds, polling briefly; fails after `timeoutMs` (a bound, not a sleep). */
export async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export type { RecordedEvent };
