import { Aggregator, ProcessingMode, Query } from 'mingo';
import type { Doc, Filter, FindOptions, Pipeline } from '../read-store.port.js';

/**
 * MongoDB semantics over in-memory documents, evaluated by mingo (its default entry point preloads every
 * query, pipeline, accumulator and expression operator). The documents handed in are the cache's frozen
 * objects: queries only read them, and aggregation clones its input unless every stage is known to
 * only read (see `READ_ONLY_STAGES`), so no stage can change the cache.
 */

export function findDocuments(docs: readonly Doc[], filter: Filter, options: FindOptions): Doc[] {
  const cursor = new Query(filter, {}).find<Doc>(docs);
  if (options.sort && Object.keys(options.sort).length > 0) cursor.sort(options.sort);
  if (options.skip !== undefined && options.skip > 0) cursor.skip(options.skip);
  // As in MongoDB, a limit of 0 means no limit.
  if (options.limit !== undefined && options.limit > 0) cursor.limit(options.limit);
  return cursor.all();
}

export function countDocuments(docs: readonly Doc[], filter: Filter): number {
  if (Object.keys(filter).length === 0) return docs.length;
  const query = new Query(filter, {});
  let count = 0;
  for (const doc of docs) if (query.test(doc)) count += 1;
  return count;
}

/**
 * Pipeline stages that, in mingo 7, never write into the documents they receive (checked by
 * `mingo-evaluation.unit.spec.ts` against unfrozen input, so an upgrade that changes this fails there).
 * A pipeline made only of these runs on the frozen cache directly; its results may share frozen parts
 * with the cache (e.g. `$push: '$$ROOT'`).
 */
export const READ_ONLY_STAGES: ReadonlySet<string> = new Set([
  '$match',
  '$group',
  '$sort',
  '$skip',
  '$limit',
  '$count',
  '$sortByCount',
  '$project',
  '$unwind',
  '$bucket',
  '$facet',
]);

export function aggregateDocuments(docs: readonly Doc[], pipeline: Pipeline): Record<string, unknown>[] {
  if (pipeline.every(isReadOnlyStage)) return new Aggregator([...pipeline], {}).run(docs as Doc[]);
  // Other stages ($set on a nested path, $unset, …) would change cached objects in place: clone their
  // input. Leading $match stages only filter, so they still run on the cache and only what they let
  // through is cloned.
  let leadingMatches = 0;
  while (leadingMatches < pipeline.length && stageName(pipeline[leadingMatches]) === '$match') leadingMatches += 1;
  const matched =
    leadingMatches > 0 ? new Aggregator([...pipeline.slice(0, leadingMatches)], {}).run(docs as Doc[]) : docs;
  return new Aggregator([...pipeline.slice(leadingMatches)], { processingMode: ProcessingMode.CLONE_INPUT }).run(
    matched as Doc[],
  );
}

function isReadOnlyStage(stage: Record<string, unknown>): boolean {
  const name = stageName(stage);
  if (name === undefined || !READ_ONLY_STAGES.has(name)) return false;
  if (name !== '$facet') return true;
  const facets = stage['$facet'];
  return (
    typeof facets === 'object' &&
    facets !== null &&
    Object.values(facets).every(
      (sub) => Array.isArray(sub) && (sub as Record<string, unknown>[]).every((inner) => isReadOnlyStage(inner)),
    )
  );
}

function stageName(stage: Record<string, unknown> | undefined): string | undefined {
  if (stage === undefined || stage === null || typeof stage !== 'object') return undefined;
  const keys = Object.keys(stage);
  return keys.length === 1 ? keys[0] : undefined;
}
