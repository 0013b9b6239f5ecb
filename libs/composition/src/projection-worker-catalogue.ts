import { workerData } from 'node:worker_threads';
import type { ProjectionDefinition, ProjectionWorkerData } from '@pruefpfad/projections';
import { projectionsUnderRules, rulesCarriedBy } from './projections.js';

/**
 * The definitions module of the embedded projection worker (see `projection-worker-protocol.ts`).
 * Definitions are functions and cannot cross the thread boundary; the rules they apply can: the host
 * hands them over as `readModelRules` beside the app configuration, and this module builds the same
 * catalogue the HTTP side built from them, so both agree on every projection's version.
 */
export { openStores } from './projection-catalogue.js';

const data = workerData as ProjectionWorkerData | null;

export const projections: readonly ProjectionDefinition[] = projectionsUnderRules(rulesCarriedBy(data?.config));
