import { reactorCheckpointName } from '@pruefpfad/projections';
import type { CheckpointStore } from '@pruefpfad/read-store';

/** How often a wait looks at the reactor's checkpoint (it moves after every handled event). */
const POLL_MS = 10;

/**
 * Resolves true once the reactor `name` has handled every one of its events up to `position` (its
 * checkpoint is saved after each handled event), false after `timeoutMs`. `position` must be the position
 * of an event the reactor handles: its checkpoint does not move over events it does not subscribe to.
 * Works the same in embedded mode (reactors in the API) and server mode (reactors in the projector): both
 * save the checkpoint in the read store.
 */
export async function reactorReached(
  checkpoints: CheckpointStore,
  name: string,
  position: number,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (((await checkpoints.load(reactorCheckpointName(name)))?.position ?? 0) >= position) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
