import type { AppConfig } from '../../application/src/config.js';
import type { ProjectionDefinition } from '../../projections/src/projection.js';
import type { ProjectionStores, ProjectionWorkerContext } from '../../projections/src/projection-worker-protocol.js';
import { programmesProjection } from '../../projections/src/read-models/programmes.projection.js';
import { openInfrastructure } from './infrastructure.js';

/**
 * The one list of read models, and how a projection process opens its stores. The embedded worker
 * thread imports this module by URL (see `projection-worker-protocol.ts`); the projector app and the
 * in-process host import it directly.
 */
export const projections: readonly ProjectionDefinition[] = [programmesProjection];

export async function openStores(config: unknown, _context: ProjectionWorkerContext): Promise<ProjectionStores> {
  // Projection processes only read events: the writer connection belongs to the command side.
  const infrastructure = await openInfrastructure(config as AppConfig, { readOnlyEvents: true });
  return {
    eventStore: infrastructure.eventStore,
    documentStore: infrastructure.documents,
    checkpointStore: infrastructure.checkpoints,
    close: () => infrastructure.close(),
  };
}
