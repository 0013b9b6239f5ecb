import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { loadConfig } from '@pruefpfad/application';
import type { EventMetadata, NewEvent } from '@pruefpfad/event-store';
import { openInfrastructure, type Infrastructure } from '../infrastructure.js';

/**
 * For the composition's integration tests: the embedded stores in a temporary directory pair, as the
 * service opens them, and events with fixed metadata to append to them.
 */
export interface TemporaryInfrastructure {
  readonly infrastructure: Infrastructure;
  /** Closes the stores and removes the directories. */
  remove(): Promise<void>;
}

export async function openTemporaryInfrastructure(): Promise<TemporaryInfrastructure> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-'));
  const infrastructure = await openInfrastructure(
    loadConfig({
      PRUEFPFAD_ENV: 'test',
      PRUEFPFAD_DATA_DIR: path.join(root, 'data'),
      PRUEFPFAD_KEY_DIR: path.join(root, 'keys'),
    }),
  );
  return {
    infrastructure,
    remove: async () => {
      await infrastructure.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Metadata of a command in tenant `jc-a` on 2 March 2026; `actor` as given. */
export const testMetadata = (actor: EventMetadata['actor']): EventMetadata => ({
  occurredAt: '2026-03-02T08:00:00.000Z',
  actor,
  tenant: 'jc-a',
  correlationId: 'corr-1',
  causationId: null,
  rulesVersion: '2026.1',
});

/** An event to append, schema version 1, with a fresh id. */
export const testEvent = (type: string, data: unknown, metadata: EventMetadata): NewEvent => ({
  id: uuidv7(),
  type,
  schemaVersion: 1,
  data,
  metadata,
});
