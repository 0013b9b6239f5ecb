import { SqliteEventStore } from '../../libs/event-store/src/sqlite/sqlite-event-store.js';
import { EmbeddedReadStore } from '../../libs/read-store/src/embedded/embedded-read-store.js';
import { Progress } from './bench-report.js';
import { BENCH_PROJECTIONS, type BenchProjectionName } from './bench-projections.js';
import { runOperatorRebuild, runRebuild } from './projection-rebuild.bench.js';

/**
 * The rebuild runs in a process of its own so that its peak RSS is the rebuild's, not the leftovers of
 * generating a million events in the bench process (V8 and SQLite keep freed memory mapped). It opens the
 * stores as projection work does (the projection worker, the CLI's local rebuild): a read-only event-store
 * connection and the embedded read store with its writer thread.
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

async function rebuild(request: RebuildRequest): Promise<RebuildReply> {
  const eventStore = await SqliteEventStore.open({
    file: request.eventsFile,
    chainKey: Buffer.from(request.chainKey, 'base64'),
    readOnly: true,
  });
  const readStore = EmbeddedReadStore.open({ file: request.readModelsFile, writerThread: true });
  try {
    const rssBeforeBytes = process.memoryUsage.rss();
    const rebuild = request.via === 'ProjectionOperations' ? runOperatorRebuild : runRebuild;
    const run = await rebuild({
      definition: BENCH_PROJECTIONS[request.projection],
      eventStore,
      documentStore: readStore.documents,
      checkpointStore: readStore.checkpoints,
      batchSize: request.batchSize,
      total: request.total,
      progress: new Progress(
        `rebuild ${request.projection} via ${request.via} (batch size ${request.batchSize ?? 'default'})`,
      ),
    });
    return {
      type: 'done',
      eventsDone: run.result.eventsDone,
      position: run.result.position,
      ms: run.ms,
      target: run.result.target,
      rssBeforeBytes,
      peakRssBytes: run.peakRssBytes,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      rssSamples: run.rssSamples,
    };
  } finally {
    await eventStore.close();
    await readStore.close();
  }
}

process.once('message', (message: RebuildRequest) => {
  rebuild(message)
    .catch((error: unknown): RebuildReply => ({
      type: 'failed',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    }))
    .then((reply) => process.send?.(reply, () => process.disconnect()))
    .catch((error: unknown) => {
      process.stderr.write(`rebuild child: ${String(error)}\n`);
      process.exitCode = 1;
    });
});
