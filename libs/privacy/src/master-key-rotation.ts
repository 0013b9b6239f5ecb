import { MasterKeyError } from './errors.js';
import type { MasterKeyRotationPort } from './key-store.port.js';
import { masterKeyId } from './key-wrap.js';

export const DEFAULT_REWRAP_BATCH_SIZE = 500;
/**
 * How long a rotation keeps the handover record after it began before it finishes: every store open
 * elsewhere polls its state at least this often (embedded 1 s, MongoDB 2 s by default) and so learns the
 * new key before the old one stops opening anything. Generous, because a stalled process that misses the
 * whole window can only be restarted with the new key.
 */
export const DEFAULT_HANDOVER_GRACE_MS = 30_000;

export type RotationProgress =
  | { readonly phase: 'begun' | 'resumed'; readonly from: string; readonly to: string; readonly total: number }
  | {
      readonly phase: 'batch';
      readonly batch: number;
      readonly rewrapped: number;
      readonly done: number;
      readonly total: number;
    }
  | { readonly phase: 'waiting'; readonly waitMs: number }
  | { readonly phase: 'finished'; readonly from: string; readonly to: string; readonly total: number };

export interface RotateMasterKeyOptions {
  /**
   * Offline rotation (see `MasterKeyRotationPort`): no handover is written and there is no grace wait.
   * The caller guarantees that no other process uses the store (embedded: a store opened `exclusive`),
   * and must have opened `store` with both keys to continue one that was interrupted.
   */
  readonly offline?: boolean;
  readonly batchSize?: number;
  readonly handoverGraceMs?: number;
  readonly onProgress?: (progress: RotationProgress) => void;
  /** Called after each committed batch (tests inject a crash here). */
  readonly afterBatch?: (batch: number) => void | Promise<void>;
  readonly now?: () => Date;
  readonly wait?: (ms: number) => Promise<void>;
}

export interface RotationResult {
  readonly from: string;
  readonly to: string;
  /** False when the store was already under `next` (nothing to do). */
  readonly rotated: boolean;
  readonly resumed: boolean;
  readonly batches: number;
  readonly rewrapped: number;
}

/**
 * Re-wraps every data key of `store` under `next`, resumably: begin (or continue) the rotation, re-wrap
 * in bounded batches with progress, then, online, wait out the handover grace and sweep rows written
 * under the old key meanwhile; finish. Safe to run again after a crash at any point (in the same mode),
 * and a no-op once the store is under `next`.
 */
export async function rotateMasterKey(
  store: MasterKeyRotationPort,
  next: Uint8Array,
  options: RotateMasterKeyOptions = {},
): Promise<RotationResult> {
  const batchSize = options.batchSize ?? DEFAULT_REWRAP_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  const now = options.now ?? (() => new Date());
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const progress = options.onProgress ?? (() => undefined);
  const nextId = masterKeyId(next);

  const before = await store.masterKeyStatus();
  if (before.rotation === null && before.currentMasterKeyId === nextId) {
    return { from: nextId, to: nextId, rotated: false, resumed: false, batches: 0, rewrapped: 0 };
  }
  const resumed = before.rotation !== null;
  const offline = options.offline === true;
  await store.beginMasterKeyRotation(next, now(), { offline });
  const begun = await store.masterKeyStatus();
  const rotation = begun.rotation;
  if (rotation === null) throw new Error('rotateMasterKey: the rotation record is missing after begin');
  const total = Object.values(begun.keysByMasterKey).reduce((sum, n) => sum + n, 0);
  progress({ phase: resumed ? 'resumed' : 'begun', from: rotation.from, to: rotation.to, total });

  let batches = 0;
  let rewrapped = 0;
  const drain = async (): Promise<void> => {
    for (;;) {
      const step = await store.rewrapBatch(batchSize);
      if (step.rewrapped === 0) return;
      batches += 1;
      rewrapped += step.rewrapped;
      progress({
        phase: 'batch',
        batch: batches,
        rewrapped: step.rewrapped,
        done: Math.max(0, total - step.remaining),
        total,
      });
      await options.afterBatch?.(batches);
      if (step.remaining === 0) return;
    }
  };

  await drain();
  // Offline nobody else is running: there is nobody to wait for.
  const graceEnds = Date.parse(rotation.startedAt) + (options.handoverGraceMs ?? DEFAULT_HANDOVER_GRACE_MS);
  const waitMs = offline ? 0 : graceEnds - now().getTime();
  if (waitMs > 0) {
    progress({ phase: 'waiting', waitMs });
    await wait(waitMs);
  }
  // Stores that had not yet seen the rotation may have wrapped new keys under the old key meanwhile.
  for (let attempt = 0; ; attempt++) {
    await drain();
    try {
      await store.finishMasterKeyRotation(now());
      break;
    } catch (error) {
      // Only a row written under the old key between the last batch and the finish: drain once more.
      if (!(error instanceof MasterKeyError && error.code === 'MASTER_KEY_ROTATION_CONFLICT') || attempt >= 5) {
        throw error;
      }
    }
  }
  progress({ phase: 'finished', from: rotation.from, to: rotation.to, total });
  return { from: rotation.from, to: rotation.to, rotated: true, resumed, batches, rewrapped };
}
