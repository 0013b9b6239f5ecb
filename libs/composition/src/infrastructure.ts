import path from 'node:path';
import type { AppConfig } from '@pruefpfad/application';
import { SqliteEventStore } from '@pruefpfad/event-store';
import { CHAIN_KEY_ID, Envelope, loadOrCreateMasterKey, SqliteKeyStore } from '@pruefpfad/privacy';
import { EmbeddedReadStore } from '@pruefpfad/read-store';
import { type PermissionWarning, securePrivateDirectory, tightenPermissions } from '@pruefpfad/runtime';
import { purgeLedgerFile } from './operations/open-purge-ledger.js';
import { SqlitePurgeLedger } from './operations/sqlite-purge-ledger.js';

export { applicationUpcasters, type Infrastructure, type OpenOptions } from './infrastructure.types.js';
import { applicationUpcasters, type Infrastructure, type OpenOptions } from './infrastructure.types.js';

export const embeddedFiles = (config: Pick<AppConfig, 'dataDir' | 'keyDir'>) => ({
  events: path.join(config.dataDir, 'events.sqlite'),
  readModels: path.join(config.dataDir, 'read-models.sqlite'),
  keys: path.join(config.keyDir, 'keys.sqlite'),
});

/**
 * The start-up check of the data and key directories (after the master key's own, which refuses a key
 * file others can read): each 0700, each of their databases 0600 with its WAL and shared-memory files,
 * whatever the umask was when something created them; looser ones are tightened with a warning. In server
 * mode they hold at most the master key and the signing secret, and are checked if they exist.
 */
function securePrivateDirectories(config: AppConfig, warn: PermissionWarning | undefined): void {
  if (config.stores.kind === 'server') {
    for (const dir of [config.dataDir, config.keyDir]) tightenPermissions(dir, warn);
    return;
  }
  const files = embeddedFiles(config);
  securePrivateDirectory(config.dataDir, [path.basename(files.events), path.basename(files.readModels)], warn);
  securePrivateDirectory(config.keyDir, [path.basename(files.keys), path.basename(purgeLedgerFile(config))], warn);
}

export async function openInfrastructure(config: AppConfig, options: OpenOptions = {}): Promise<Infrastructure> {
  const masterKey = loadOrCreateMasterKey({
    keyDir: config.keyDir,
    environment: config.environment,
    envValue: config.masterKey,
  });
  securePrivateDirectories(config, options.warn);
  if (config.stores.kind === 'server') {
    const { openServerInfrastructure } = await import('./server-infrastructure.js');
    return openServerInfrastructure(config, masterKey, options);
  }
  const files = embeddedFiles(config);
  const keyStore = SqliteKeyStore.open({ file: files.keys, masterKey: masterKey.key });
  const opened: { close(): Promise<void> }[] = [keyStore];
  try {
    opened.push(SqlitePurgeLedger.open({ file: purgeLedgerFile(config) }));
  } catch (error) {
    await keyStore.close();
    throw error;
  }
  const purgeLedger = opened[1] as SqlitePurgeLedger;
  try {
    const chainKey = (await keyStore.getOrCreate(CHAIN_KEY_ID)).key;
    const eventStore = await SqliteEventStore.open({
      file: files.events,
      chainKey,
      upcasters: applicationUpcasters(),
      readOnly: options.readOnlyEvents ?? false,
    });
    opened.push(eventStore);
    const readStore = EmbeddedReadStore.open({
      file: files.readModels,
      writerThread: options.readStoreWriterThread ?? false,
    });
    opened.push(readStore);
    return {
      mode: 'embedded',
      eventStore,
      documents: readStore.documents,
      checkpoints: readStore.checkpoints,
      keyStore,
      purgeLedger,
      envelope: new Envelope(keyStore),
      masterKey: { source: masterKey.source, file: masterKey.file },
      // Events first: pending group commits finish while the other stores are still open.
      close: async () => {
        await eventStore.close();
        await readStore.close();
        await keyStore.close();
        await purgeLedger.close();
      },
    };
  } catch (error) {
    for (const resource of opened.reverse()) await resource.close().catch(() => undefined);
    throw error;
  }
}
