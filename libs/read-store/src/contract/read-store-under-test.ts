import { randomBytes } from 'node:crypto';
import type { CheckpointStore, DocumentStore } from '../read-store.port.js';

/**
 * What a contract suite needs from an adapter: both ports over one backing store (so `commit` can be
 * checked against `CheckpointStore.load`), and a way to release it.
 */
export interface ReadStoreUnderTest {
  readonly documents: DocumentStore;
  readonly checkpoints: CheckpointStore;
  close(): Promise<void>;
}

/** Opens a fresh connection to the store under test; called once per suite (in `beforeAll`). */
export type ReadStoreFactory = () => Promise<ReadStoreUnderTest>;

/**
 * Server stores are shared between tests and runs, so every test works in its own collections and
 * checkpoint names. Lower-case letters, digits and `_` only: valid MongoDB collection names.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}
