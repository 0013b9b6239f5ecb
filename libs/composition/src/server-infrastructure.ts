import type { AppConfig } from '@pruefpfad/application';
import { KurrentDbEventStore } from '@pruefpfad/event-store';
import { CHAIN_KEY_ID, Envelope, type LoadedMasterKey, MongoKeyStore } from '@pruefpfad/privacy';
import { MongoReadStore } from '@pruefpfad/read-store';
import { applicationUpcasters, type Infrastructure, type OpenOptions } from './infrastructure.types.js';
import { MongoPurgeLedger } from './operations/mongo-purge-ledger.js';
import { purgeLedgerDatabase } from './operations/open-purge-ledger.js';

/**
 * Server mode: KurrentDB for events, MongoDB for read models, and the key store in its own MongoDB
 * database (backed up apart from the read models, with a shorter life). Loaded only when configured, so
 * the embedded default never touches the drivers.
 */
export async function openServerInfrastructure(
  config: AppConfig,
  masterKey: LoadedMasterKey,
  _options: OpenOptions,
): Promise<Infrastructure> {
  if (config.stores.kind !== 'server') throw new Error('openServerInfrastructure needs server mode');
  const { kurrentdbConnectionString, mongodbUri, mongodbDatabase, mongodbKeyDatabase } = config.stores;
  const opened: { close(): Promise<void> }[] = [];
  try {
    const keyStore = await MongoKeyStore.open({
      uri: mongodbUri,
      database: mongodbKeyDatabase,
      masterKey: masterKey.key,
    });
    opened.push(keyStore);
    const purgeLedger = await MongoPurgeLedger.open({ uri: mongodbUri, database: purgeLedgerDatabase(config.stores) });
    opened.push(purgeLedger);
    const chainKey = (await keyStore.getOrCreate(CHAIN_KEY_ID)).key;
    const readStore = await MongoReadStore.open({ uri: mongodbUri, database: mongodbDatabase });
    opened.push(readStore);
    const eventStore = await KurrentDbEventStore.open({
      connectionString: kurrentdbConnectionString,
      chainKey,
      upcasters: applicationUpcasters(),
    });
    opened.push(eventStore);
    return {
      mode: 'server',
      eventStore,
      documents: readStore.documents,
      checkpoints: readStore.checkpoints,
      keyStore,
      purgeLedger,
      envelope: new Envelope(keyStore),
      masterKey: { source: masterKey.source, file: masterKey.file },
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
