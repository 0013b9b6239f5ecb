import type { AppConfig } from '@pruefpfad/application';
import {
  ACCESS_LOG_READ_MODELS,
  CROSS_LEVEL_READ_MODELS,
  DASHBOARDS_READ_MODELS,
  INDICATOR_READ_MODELS,
  MEASURES_READ_MODELS,
  ORGANISATION_READ_MODELS,
  programmesProjection,
  type ProjectionDefinition,
  type ProjectionStores,
  type ProjectionWorkerContext,
  QUESTIONNAIRES_READ_MODELS,
  LEGAL_QUOTA_READ_MODELS,
  REPORTS_READ_MODELS,
  RETENTION_READ_MODELS,
  REVIEWS_READ_MODELS,
  RISKS_READ_MODELS,
  SAMPLING_READ_MODELS,
  TRENDS_READ_MODELS,
} from '@pruefpfad/projections';
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
  ...INDICATOR_READ_MODELS,
  ...REPORTS_READ_MODELS,
  ...DASHBOARDS_READ_MODELS,
  ...TRENDS_READ_MODELS,
  ...ACCESS_LOG_READ_MODELS,
  ...CROSS_LEVEL_READ_MODELS,
  ...RETENTION_READ_MODELS,
  ...LEGAL_QUOTA_READ_MODELS,
  ...RISKS_READ_MODELS,
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
