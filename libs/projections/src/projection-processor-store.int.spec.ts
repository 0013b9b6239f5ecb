import type { DocumentStore, IndexSpec } from '@pruefpfad/read-store';
import type { ProjectionDefinition } from './projection.js';
import { ProjectionProcessor } from './projection-processor.js';
import { ACCESS_LOG_READ_MODELS } from './read-models/access-log/index.js';
import { CROSS_LEVEL_READ_MODELS } from './read-models/cross-level/index.js';
import { DASHBOARDS_READ_MODELS } from './read-models/dashboards/index.js';
import { INDICATOR_READ_MODELS } from './read-models/indicators/index.js';
import { LEGAL_QUOTA_READ_MODELS } from './read-models/legal-quota/index.js';
import { MEASURES_READ_MODELS } from './read-models/measures/index.js';
import { ORGANISATION_READ_MODELS } from './read-models/organisation/index.js';
import { programmesProjection } from './read-models/programmes.projection.js';
import { QUESTIONNAIRES_READ_MODELS } from './read-models/questionnaires/index.js';
import { REPORTS_READ_MODELS } from './read-models/reports/index.js';
import { RETENTION_READ_MODELS } from './read-models/retention/index.js';
import { REVIEWS_READ_MODELS } from './read-models/reviews/index.js';
import { RISKS_READ_MODELS } from './read-models/risks/index.js';
import { SAMPLING_READ_MODELS } from './read-models/sampling/index.js';
import { TRENDS_READ_MODELS } from './read-models/trends/index.js';
import {
  allDocs,
  openTestStores,
  reviewsProjection,
  seedReviews,
  type TestStores,
} from './testing/projection-fixtures.js';

const COLLECTION = 'reviews_v1';
const INDEXES: readonly IndexSpec[] = [{ fields: { status: 1, _position: -1 } }];

/** How the processor uses the read store's port: indexes at start, one `getMany` per batch, no regression. */
describe('ProjectionProcessor and the read store port', () => {
  let stores: TestStores;

  beforeEach(async () => {
    stores = await openTestStores();
  });

  afterEach(async () => {
    await stores.close();
  });

  /** The embedded store, with its calls recorded. */
  function observed(inner: DocumentStore, calls: string[], beforeCommit?: () => Promise<void>): DocumentStore {
    return new Proxy(inner, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => Promise<unknown>;
        return async (...args: unknown[]) => {
          calls.push(String(property));
          if (property === 'commit' && beforeCommit !== undefined) await beforeCommit();
          return method.apply(target, args);
        };
      },
    });
  }

  function processor(
    documentStore: DocumentStore,
    definition: ProjectionDefinition = reviewsProjection(),
    errors: string[] = [],
    onCheckpointRegression?: () => Promise<boolean>,
  ) {
    return new ProjectionProcessor({
      ...(onCheckpointRegression === undefined ? {} : { onCheckpointRegression }),
      onProgress: (progress) => {
        if (progress.lastError !== null) errors.push(progress.lastError.message);
      },
      definition,
      collection: COLLECTION,
      eventStore: stores.eventStore,
      documentStore,
      checkpointStore: stores.checkpointStore,
      batchSize: 4,
      retry: { initialMs: 1, maxMs: 5, maxAttempts: 20 },
      untilCaughtUp: true,
    });
  }

  it('ensures the definition’s indexes on the physical collection before it writes', async () => {
    const head = await seedReviews(stores.eventStore, 6);
    const ensured: [string, readonly IndexSpec[]][] = [];
    const calls: string[] = [];
    const store = observed(stores.documentStore, calls);
    const ensureIndexes = store.ensureIndexes.bind(store);
    store.ensureIndexes = (physical, specs) => {
      ensured.push([physical, specs]);
      return ensureIndexes(physical, specs);
    };
    const outcome = await processor(store, { ...reviewsProjection(), indexes: INDEXES }).run();
    expect(outcome).toEqual({ kind: 'caught-up', position: head });
    expect(ensured).toEqual([[COLLECTION, INDEXES]]);
    expect(calls.indexOf('ensureIndexes')).toBeLessThan(calls.indexOf('commit'));
  });

  it('loads each batch’s documents with getMany, never one get per document', async () => {
    const head = await seedReviews(stores.eventStore, 12);
    const calls: string[] = [];
    const outcome = await processor(observed(stores.documentStore, calls)).run();
    expect(outcome).toEqual({ kind: 'caught-up', position: head });
    expect(calls).not.toContain('get');
    expect(calls.filter((call) => call === 'getMany').length).toBeGreaterThan(1);
  });

  it('resumes from the stored checkpoint when another writer moved it on, instead of retrying its stale batch', async () => {
    const head = await seedReviews(stores.eventStore, 12);
    // Another projector (that took the lease over) writes the whole collection first.
    expect(await processor(stores.documentStore).run()).toEqual({ kind: 'caught-up', position: head });
    const theirs = await allDocs(stores.documentStore, COLLECTION);

    // This one starts from an older checkpoint it read before the other moved on.
    await stores.checkpointStore.delete(COLLECTION);
    await stores.checkpointStore.save(COLLECTION, 0);
    let moved = false;
    const errors: string[] = [];
    const stale = processor(
      observed(stores.documentStore, [], async () => {
        if (moved) return;
        moved = true;
        await stores.checkpointStore.save(COLLECTION, head);
      }),
      reviewsProjection(),
      errors,
    );
    expect(await stale.run()).toEqual({ kind: 'caught-up', position: head });
    // Refused once, then resumed from the other's checkpoint (without the resume: refused until it gives up).
    expect(errors).toEqual([expect.stringMatching(/refusing to move it back/)]);
    expect((await stores.checkpointStore.load(COLLECTION))?.position).toBe(head);
    expect(await allDocs(stores.documentStore, COLLECTION)).toEqual(theirs);
  });

  it('ends without writing again when, asked after a refused commit, its owner may no longer write', async () => {
    const head = await seedReviews(stores.eventStore, 12);
    await stores.checkpointStore.save(COLLECTION, 0);
    let moved = false;
    let asked = 0;
    const calls: string[] = [];
    const stale = processor(
      observed(stores.documentStore, calls, async () => {
        if (moved) return;
        moved = true;
        await stores.checkpointStore.save(COLLECTION, head);
      }),
      reviewsProjection(),
      [],
      () => {
        asked += 1;
        return Promise.resolve(false);
      },
    );
    expect(await stale.run()).toEqual({ kind: 'yielded', position: 0 });
    expect(asked).toBe(1);
    // The refused commit was its only one: it did not resume and write beside the new holder.
    expect(calls.filter((call) => call === 'commit')).toHaveLength(1);
    expect(await allDocs(stores.documentStore, COLLECTION)).toEqual([]);
  });
});

const READ_MODELS: readonly ProjectionDefinition[] = [
  programmesProjection,
  ...ACCESS_LOG_READ_MODELS,
  ...CROSS_LEVEL_READ_MODELS,
  ...DASHBOARDS_READ_MODELS,
  ...INDICATOR_READ_MODELS,
  ...LEGAL_QUOTA_READ_MODELS,
  ...MEASURES_READ_MODELS,
  ...ORGANISATION_READ_MODELS,
  ...QUESTIONNAIRES_READ_MODELS,
  ...REPORTS_READ_MODELS,
  ...RETENTION_READ_MODELS,
  ...REVIEWS_READ_MODELS,
  ...RISKS_READ_MODELS,
  ...SAMPLING_READ_MODELS,
  ...TRENDS_READ_MODELS,
];

/**
 * Read models that are only read by id (`get`) or whole (cross-level approvals, a handful): no index.
 * Populations: its owner declares its index (tenant, programmeId, month and the latest-first sort).
 */
const READ_BY_ID_OR_WHOLE = new Set(['reports', 'cross-level-reviews', 'populations']);

describe('indexes declared by the read models', () => {
  it.each(READ_MODELS.map((definition) => [definition.name, definition] as const))(
    '%s declares the indexes its queries filter on, well-formed',
    (name, definition) => {
      const indexes = definition.indexes ?? [];
      if (!READ_BY_ID_OR_WHOLE.has(name)) expect(indexes.length).toBeGreaterThan(0);
      for (const spec of indexes) {
        expect(Object.keys(spec.fields).length).toBeGreaterThan(0);
        for (const order of Object.values(spec.fields)) expect([1, -1]).toContain(order);
      }
    },
  );
});
