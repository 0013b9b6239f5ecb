import { type ProjectionDefinition, reviewsProjection, teamFiguresProjection } from '@pruefpfad/projections';

/**
 * The real read models the bench rebuilds: `reviews` folds every review event into one document per
 * review; `team-figures` (anonymous dashboard facts) subscribes to the review events that change a
 * figure, so the answers it skips are filtered out by the store's read.
 */
export const BENCH_PROJECTIONS = {
  reviews: reviewsProjection,
  'team-figures': teamFiguresProjection,
} as const satisfies Record<string, ProjectionDefinition>;

export type BenchProjectionName = keyof typeof BENCH_PROJECTIONS;
