import { Backoff } from './backoff.js';
import { buildCollection, buildNumberOf, isCollectionOf, physicalCollection } from './projection.js';
import { ProjectionRegistry } from './projection-registry.js';
import { UnknownProjectionError } from './projection-status.js';
import { reviewsProjection, unitsProjection } from './testing/projection-fixtures.js';

describe('physical collection names', () => {
  const v2 = { name: 'reviews', version: 2 };

  it('names versions and builds', () => {
    expect(physicalCollection(v2)).toBe('reviews_v2');
    expect(buildCollection(v2, 0)).toBe('reviews_v2');
    expect(buildCollection(v2, 3)).toBe('reviews_v2_r3');
  });

  it('recognises the builds of one version only', () => {
    expect(buildNumberOf(v2, 'reviews_v2')).toBe(0);
    expect(buildNumberOf(v2, 'reviews_v2_r12')).toBe(12);
    expect(buildNumberOf(v2, 'reviews_v1')).toBeNull();
    expect(buildNumberOf(v2, 'reviews_v21')).toBeNull();
    expect(buildNumberOf(v2, 'reviews_v2_r0')).toBeNull();
    expect(buildNumberOf(v2, 'reviews')).toBeNull();
    expect(isCollectionOf(v2, 'reviews_v7_r1')).toBe(true);
    expect(isCollectionOf(v2, 'reviewsx_v7')).toBe(false);
  });
});

describe('ProjectionRegistry', () => {
  it('looks definitions up by name', () => {
    const registry = new ProjectionRegistry([reviewsProjection(), unitsProjection()]);
    expect(registry.names()).toEqual(['reviews', 'units']);
    expect(registry.get('units').version).toBe(1);
    expect(() => registry.get('nope')).toThrow(UnknownProjectionError);
  });

  it('refuses duplicates and names that collide with physical names', () => {
    expect(() => new ProjectionRegistry([reviewsProjection(), reviewsProjection()])).toThrow(/twice/);
    expect(() => new ProjectionRegistry([{ ...reviewsProjection(), name: 'reviews_v1' }])).toThrow(
      /Invalid projection name/,
    );
    expect(() => new ProjectionRegistry([{ ...reviewsProjection(), version: 0 }])).toThrow(/version/);
    expect(() => new ProjectionRegistry([{ ...reviewsProjection(), eventTypes: [] }])).toThrow(/eventTypes/);
  });
});

describe('Backoff', () => {
  it('doubles from the initial delay up to the bound and resets on success', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 10_000, jitter: 0 });
    const delays = Array.from({ length: 9 }, () => backoff.fail());
    expect(delays).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000]);
    backoff.reset();
    expect(backoff.fail()).toBe(100);
  });

  it('is exhausted after maxAttempts failures', () => {
    const backoff = new Backoff({ maxAttempts: 2 });
    backoff.fail();
    expect(backoff.exhausted).toBe(false);
    backoff.fail();
    expect(backoff.exhausted).toBe(true);
  });

  it('keeps jittered delays within the bound', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0.5 });
    for (let i = 0; i < 20; i += 1) {
      const delay = backoff.fail();
      expect(delay).toBeGreaterThanOrEqual(50);
      expect(delay).toBeLessThanOrEqual(1000);
    }
  });
});
