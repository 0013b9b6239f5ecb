import type { BenchProjectionName } from './bench-projections.js';

/**
 * The messages between the bench and a rebuild's child process: apart from both, so that the rebuild
 * code the child runs does not import the child (no import circle).
 */
export interface RebuildRequest {
  readonly projection: BenchProjectionName;
  /** `rebuildProjection` directly, or through `ProjectionOperations` (the operator path). */
  readonly via: 'rebuildProjection' | 'ProjectionOperations';
  readonly eventsFile: string;
  readonly readModelsFile: string;
  readonly chainKey: string;
  /** Absent: the rebuild's own default. */
  readonly batchSize?: number;
  readonly total: number;
}

export type RebuildReply =
  | {
      readonly type: 'done';
      readonly eventsDone: number;
      /** Store position reached: every event up to it was examined (delivered or filtered out). */
      readonly position: number;
      readonly ms: number;
      readonly target: string;
      readonly rssBeforeBytes: number;
      readonly peakRssBytes: number;
      readonly maxRssBytes: number;
      readonly rssSamples: number;
    }
  | { readonly type: 'failed'; readonly message: string };
