import type { AppConfig } from '../../application/src/config.js';
import type { ProjectionDefinition } from '../../projections/src/projection.js';
import type { ProjectionStores, ProjectionWorkerContext } from '../../projections/src/projection-worker-protocol.js';
import { programmesProjection } from '../../projections/src/read-models/programmes.projection.js';
import { ACCESS_LOG_READ_MODELS } from '../../projections/src/read-models/access-log/index.js';
import { CROSS_LEVEL_READ_MODELS } from '../../projections/src/read-models/cross-level/index.js';
import { DASHBOARDS_READ_MODELS } from '../../projections/src/read-models/dashboards/index.js';
import { MEASURES_READ_MODELS } from '../../projections/src/read-models/measures/index.js';
import { ORGANISATION_READ_MODELS } from '../../projections/src/read-models/organisation/index.js';
import { QUESTIONNAIRES_READ_MODELS } from '../../projections/src/read-models/questionnaires/index.js';
import { REPORTS_READ_MODELS } from '../../projections/src/read-models/reports/index.js';
import { RETENTION_READ_MODELS } from '../../projections/src/read-models/retention/index.js';
import { REVIEWS_READ_MODELS } from '../../projections/src/read-models/reviews/index.js';
import { SAMPLING_READ_MODELS } from '../../projections/src/read-models/sampling/index.js';
import { TRENDS_READ_MODELS } from '../../projections/src/read-models/trends/index.js';
import { openInfrastructure } from './infrastructure.js';

/**
 * The one list of read models, and how a projection process opens its stores. The embedded worker
 * thread imports this module by URL (see `projection-worker-protocol.ts`); the projector app and the
 * in-process host import it directly.
 */
export const projections: readonly ProjectionDefinition[] = [
  programmesProjection,
  ...ORGANISATION_READ_MODELS,
  ...QUESTIONNAIRES_READ_MODELS,
  ...SAMPLING_READ_MODELS,
  ...REVIEWS_READ_MODELS,
  ...MEASURES_READ_MODELS,
  ...REPORTS_READ_MODELS,
  ...DASHBOARDS_READ_MODELS,
  ...TRENDS_READ_MODELS,
  ...ACCESS_LOG_READ_MODELS,
  ...CROSS_LEVEL_READ_MODELS,
  ...RETENTION_READ_MODELS,
];

export async function openStores(config: unknown, _context: ProjectionWorkerContext): Promise<ProjectionStores> {
  // Projection processes only read events: the writer connection belongs to the command side. Their
  // read-store commits run on a writer thread, overlapping with folding the next batch.
  const infrastructure = await openInfrastructure(config as AppConfig, {
    readOnlyEvents: true,
    readStoreWriterThread: true,
  });
  return {
    eventStore: infrastructure.eventStore,
    documentStore: infrastructure.documents,
    checkpointStore: infrastructure.checkpoints,
    close: () => infrastructure.close(),
  };
}
