import fs from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '@pruefpfad/application';
import type { PurgeLedger } from './purge-ledger.port.js';
import { SqlitePurgeLedger } from './sqlite-purge-ledger.js';

/** The embedded purge ledger's file: in the key directory, beside the keys, never in a backup of events. */
export const purgeLedgerFile = (config: Pick<AppConfig, 'keyDir'>): string =>
  path.join(config.keyDir, 'purge-ledger.sqlite');

/** The server-mode purge ledger's own MongoDB database (neither the read models' nor the keys'). */
export const purgeLedgerDatabase = (stores: { readonly mongodbDatabase: string }): string =>
  `${stores.mongodbDatabase}_purge_ledger`;

/**
 * Opens the purge ledger the configuration names: embedded, `purge-ledger.sqlite` in the key directory;
 * server mode, the collection `purge_ledger` in `<MONGODB_DATABASE>_purge_ledger` (the driver is loaded
 * only then). `readOnly` (embedded) answers null when the file does not exist yet: nothing was purged.
 */
export async function openPurgeLedger(
  config: Pick<AppConfig, 'keyDir' | 'stores'>,
  options: { readonly readOnly?: boolean } = {},
): Promise<PurgeLedger | null> {
  if (config.stores.kind === 'server') {
    const { MongoPurgeLedger } = await import('./mongo-purge-ledger.js');
    return MongoPurgeLedger.open({ uri: config.stores.mongodbUri, database: purgeLedgerDatabase(config.stores) });
  }
  const file = purgeLedgerFile(config);
  if (options.readOnly === true && !fs.existsSync(file)) return null;
  return SqlitePurgeLedger.open({ file, readOnly: options.readOnly ?? false });
}
