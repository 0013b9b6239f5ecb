import { type EventStore, UpcasterRegistry } from '@pruefpfad/event-store';
import type { Envelope, KeyStore, LoadedMasterKey } from '@pruefpfad/privacy';
import type { CheckpointStore, DocumentStore } from '@pruefpfad/read-store';
import type { PurgeLedger } from './operations/purge-ledger.port.js';
import type { PermissionWarning } from '@pruefpfad/runtime';

/*
 * What both compositions (embedded in `infrastructure.ts`, server in `server-infrastructure.ts`) share:
 * kept apart so that the server composition does not import the module that loads it (no import circle).
 */

/**
 * The composition root's one place that picks adapters: embedded (`node:sqlite` files) when no servers
 * are configured, KurrentDB + MongoDB otherwise. Everything else sees only the ports.
 */
export interface Infrastructure {
  readonly mode: 'embedded' | 'server';
  readonly eventStore: EventStore;
  readonly documents: DocumentStore;
  readonly checkpoints: CheckpointStore;
  readonly keyStore: KeyStore;
  /** Every retention purge is recorded here before it destroys anything (apart from the events). */
  readonly purgeLedger: PurgeLedger;
  readonly envelope: Envelope;
  readonly masterKey: Pick<LoadedMasterKey, 'source' | 'file'>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Worker threads read events only: the writer connection belongs to the thread serving commands. */
  readonly readOnlyEvents?: boolean;
  /**
   * Embedded read store writes on a writer thread (`EmbeddedReadStore` `writerThread`): for projection
   * work (the projection worker, local rebuilds), where the SQLite write of a batch then overlaps with
   * folding the next. Ignored in server mode.
   */
  readonly readStoreWriterThread?: boolean;
  /** Where permissions tightened at start-up are reported (default: a process warning). */
  readonly warn?: PermissionWarning;
}

/** Upcasters of every event type whose schema changed; empty while every type is at version 1. */
export function applicationUpcasters(): UpcasterRegistry {
  return new UpcasterRegistry();
}
