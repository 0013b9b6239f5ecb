import { Aggregator } from 'mingo';
import type { Doc } from '../read-store.port.js';
import { deepFreeze } from './collection-cache.js';
import { READ_ONLY_STAGES, aggregateDocuments, countDocuments, findDocuments } from './mingo-evaluation.js';

const sample = (): Doc[] =>
  [1, 2, 3].map((i) => ({ _id: `d${i}`, t: `t${i % 2}`, n: i, a: { b: i, c: [i, i + 1] }, tags: ['x', 'y'] }));

/** One or more representative uses of every stage `READ_ONLY_STAGES` names. */
const readOnlyExamples: Record<string, Record<string, unknown>[][]> = {
  $match: [[{ $match: { n: { $gte: 2 }, 'a.b': { $in: [2, 3] } } }]],
  $group: [
    [
      {
        $group: {
          _id: '$t',
          s: { $sum: '$n' },
          avg: { $avg: '$a.b' },
          mn: { $min: '$n' },
          mx: { $max: '$n' },
          all: { $push: '$$ROOT' },
          first: { $first: '$a' },
          last: { $last: '$a' },
          set: { $addToSet: '$t' },
          c: { $count: {} },
        },
      },
    ],
  ],
  $sort: [[{ $sort: { 'a.b': -1 } }]],
  $skip: [[{ $skip: 1 }]],
  $limit: [[{ $limit: 2 }]],
  $count: [[{ $count: 'c' }]],
  $sortByCount: [[{ $sortByCount: '$t' }]],
  $project: [[{ $project: { a: 1, x: '$a.b', t: 1 } }], [{ $project: { a: 0 } }]],
  $unwind: [[{ $unwind: '$tags' }], [{ $unwind: '$a.c' }]],
  $bucket: [[{ $bucket: { groupBy: '$n', boundaries: [0, 2, 10], output: { s: { $sum: 1 } } } }]],
  $facet: [[{ $facet: { one: [{ $match: { n: 1 } }], all: [{ $group: { _id: null, s: { $sum: '$n' } } }] } }]],
};

describe('mingo evaluation over the frozen cache', () => {
  it('has an example for every stage it treats as read-only', () => {
    expect(Object.keys(readOnlyExamples).sort()).toEqual([...READ_ONLY_STAGES].sort());
  });

  it.each(Object.entries(readOnlyExamples).flatMap(([name, pipelines]) => pipelines.map((p) => [name, p] as const)))(
    'mingo really leaves unfrozen input untouched in %s (stage %#)',
    (_name, pipeline) => {
      const docs = sample();
      const before = structuredClone(docs);
      new Aggregator(pipeline, {}).run(docs);
      expect(docs).toEqual(before);
    },
  );

  it.each<[string, Record<string, unknown>[], (d: Doc) => Doc]>([
    ['$set on a nested path', [{ $set: { 'a.z': 1 } }], (d: Doc) => ({ ...d, a: { ...(d.a as object), z: 1 } })],
    [
      '$addFields on a nested path',
      [{ $addFields: { 'a.z': 1 } }],
      (d: Doc) => ({ ...d, a: { ...(d.a as object), z: 1 } }),
    ],
    ['$unset on a nested path', [{ $unset: 'a.b' }], (d: Doc) => ({ ...d, a: { c: (d.a as { c: number[] }).c } })],
  ])(
    'evaluates writing stages (%s) correctly on frozen documents without changing them',
    (_label, pipeline, expected) => {
      const docs = sample().map((d) => deepFreeze(d));
      const before = structuredClone(docs);
      expect(aggregateDocuments(docs, [{ $match: { n: { $gte: 2 } } }, ...pipeline])).toEqual(
        before.filter((d) => (d.n as number) >= 2).map(expected),
      );
      expect(docs).toEqual(before);
    },
  );

  it('treats a $facet with a writing sub-pipeline as writing', () => {
    const docs = sample().map((d) => deepFreeze(d));
    const [out] = aggregateDocuments(docs, [{ $facet: { x: [{ $match: { n: 1 } }, { $set: { 'a.z': 1 } }] } }]);
    expect(out).toEqual({ x: [{ _id: 'd1', t: 't1', n: 1, a: { b: 1, c: [1, 2], z: 1 }, tags: ['x', 'y'] }] });
  });

  it('writes after a $group into pushed documents without touching the originals', () => {
    const docs = sample().map((d) => deepFreeze(d));
    const out = aggregateDocuments(docs, [
      { $group: { _id: '$t', first: { $first: '$a' } } },
      { $set: { 'first.z': 1 } },
      { $sort: { _id: 1 } },
    ]);
    expect(out).toEqual([
      { _id: 't0', first: { b: 2, c: [2, 3], z: 1 } },
      { _id: 't1', first: { b: 1, c: [1, 2], z: 1 } },
    ]);
    expect(docs[1]!.a).toEqual({ b: 2, c: [2, 3] });
  });

  it('finds, sorts, skips and limits; limit 0 is no limit; counts with and without a filter', () => {
    const docs = sample().map((d) => deepFreeze(d));
    expect(findDocuments(docs, { t: 't1' }, { sort: { n: -1 } }).map((d) => d._id)).toEqual(['d3', 'd1']);
    expect(findDocuments(docs, {}, { sort: { n: 1 }, skip: 1, limit: 1 }).map((d) => d._id)).toEqual(['d2']);
    expect(findDocuments(docs, {}, { limit: 0 })).toHaveLength(3);
    expect(findDocuments(docs, {}, { sort: {} })).toHaveLength(3);
    expect(countDocuments(docs, {})).toBe(3);
    expect(countDocuments(docs, { 'a.c': 3 })).toBe(2);
  });
});
