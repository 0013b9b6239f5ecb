import { SqliteEventStore } from '@pruefpfad/event-store';
import { EmbeddedReadStore } from '@pruefpfad/read-store';
import { Progress } from './bench-report.js';
import { BENCH_PROJECTIONS } from './bench-projections.js';
import { runOperatorRebuild, runRebuild } from './projection-rebuild.bench.js';
import type { RebuildReply, RebuildRequest } from './rebuild-protocol.js';

/**
 * The rebuild runs in a process of its own so that its peak RSS is the rebuild's, not the leftovers of
 * generating a million events in the bench process (V8 and SQLite keep freed memory mapped). It opens the
 * stores as projection work does (the projection worker, the CLI's local rebuild): a read-only event-store
 * connection and the embedded read store with its writer thread.
 */
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
