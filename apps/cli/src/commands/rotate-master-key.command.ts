import { parseArgs } from 'node:util';
import type { AppConfig } from '@pruefpfad/application';
import { embeddedFiles, type Infrastructure, openInfrastructure, sqliteFileInUse } from '@pruefpfad/composition';
import {
  DEFAULT_HANDOVER_GRACE_MS,
  DEFAULT_REWRAP_BATCH_SIZE,
  type KeyStore,
  loadNextMasterKey,
  loadOrCreateMasterKey,
  MASTER_KEY_NEXT_ENV,
  MASTER_KEY_NEXT_FILE_NAME,
  MasterKeyError,
  type MasterKeyRotationPort,
  masterKeyId,
  MongoKeyStore,
  promoteNextMasterKeyFile,
  rotateMasterKey,
  type RotationProgress,
  SqliteKeyStore,
  supportsMasterKeyRotation,
} from '@pruefpfad/privacy';
import { UsageError, type CliIo } from '../cli-io.js';

export const ROTATE_MASTER_KEY_USAGE =
  'rotate-master-key [--status] [--offline] [--batch-size <n>] [--grace-seconds <s>]\n' +
  '      online (Vorgabe / default): Dienste laufen weiter; bis zum Abschluss liegt der neue Schlüssel unter dem alten verpackt im Schlüsselspeicher ' +
  '(eingebettet: danach mit secure_delete gelöscht, WAL gekürzt; MongoDB: bleibt im Oplog für dessen Zeitfenster) / services keep running; until the finish ' +
  'the new key lies wrapped under the old one in the key store (embedded: then deleted with secure_delete, WAL truncated; MongoDB: stays in the oplog for its window)\n' +
  '      --offline: bei Verdacht auf Kompromittierung des alten Schlüssels; alle Dienste vorher beenden, der neue Schlüssel wird nie gespeichert / ' +
  'when the old key may be compromised; stop every service first, the new key is never stored';

/** Test seams: a crash after a batch, and the wait of the handover grace. */
export interface RotateMasterKeyHooks {
  readonly afterBatch?: (batch: number) => void | Promise<void>;
  readonly wait?: (ms: number) => Promise<void>;
}

const KEY_STORE_IN_USE = (file: string) =>
  `Der Schlüsselspeicher ${file} ist geöffnet (Dienst, Projektor oder CLI): für --offline zuerst alle Prozesse beenden, die ihn benutzen. / ` +
  `The key store ${file} is open (service, projector or CLI): for --offline first stop every process that uses it.`;

const NO_NEXT_KEY =
  `Kein neuer Master-Schlüssel: ${MASTER_KEY_NEXT_ENV} setzen oder <PRUEFPFAD_KEY_DIR>/${MASTER_KEY_NEXT_FILE_NAME} anlegen ` +
  `(Rechte 0600), z. B. mit: openssl rand -base64 32 > ${MASTER_KEY_NEXT_FILE_NAME}; chmod 600 ${MASTER_KEY_NEXT_FILE_NAME}. ` +
  'Den neuen Schlüssel VOR dem Wechsel sichern. / ' +
  `No new master key: set ${MASTER_KEY_NEXT_ENV} or create <PRUEFPFAD_KEY_DIR>/${MASTER_KEY_NEXT_FILE_NAME} (mode 0600), ` +
  `e.g. with: openssl rand -base64 32 > ${MASTER_KEY_NEXT_FILE_NAME}; chmod 600 ${MASTER_KEY_NEXT_FILE_NAME}. ` +
  'Back the new key up BEFORE the rotation.';

function positiveInteger(value: string | undefined, fallback: number, name: string, min: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+$/u.test(value) || parsed < min) {
    throw new UsageError(`${name}: ganze Zahl ab ${min} erwartet / an integer from ${min} expected`);
  }
  return parsed;
}

function rotatable(infrastructure: Infrastructure): KeyStore & MasterKeyRotationPort {
  const store = infrastructure.keyStore;
  if (!supportsMasterKeyRotation(store)) throw new Error('Der Schlüsselspeicher kann keinen Schlüsselwechsel');
  return store;
}

function describeProgress(progress: RotationProgress): string {
  switch (progress.phase) {
    case 'begun':
    case 'resumed':
      return (
        `${progress.phase === 'begun' ? 'Schlüsselwechsel begonnen / rotation begun' : 'Schlüsselwechsel fortgesetzt / rotation resumed'}: ` +
        `${progress.from} → ${progress.to}, ${progress.total} Schlüssel / keys`
      );
    case 'batch':
      return `Umschlüsseln / re-wrapping: ${progress.done}/${progress.total} (Stapel / batch ${progress.batch}: ${progress.rewrapped})`;
    case 'waiting':
      return `Warte ${Math.ceil(progress.waitMs / 1000)} s, bis laufende Dienste den neuen Schlüssel kennen / waiting ${Math.ceil(progress.waitMs / 1000)} s for running services to learn the new key`;
    case 'finished':
      return `Schlüsselwechsel abgeschlossen / rotation finished: ${progress.from} → ${progress.to}, ${progress.total} Schlüssel / keys`;
  }
}

/**
 * `rotate-master-key`: re-wraps every data key under a new master key while the service keeps running
 * (online), or with every process stopped (`--offline`, for a suspected compromise of the old key: the
 * online mode keeps the new key wrapped under the old one in the key store until the finish, and MongoDB's
 * oplog keeps that write for its whole window; offline, the new key is never written anywhere).
 * The new key comes from `PRUEFPFAD_MASTER_KEY_NEXT` or `<keyDir>/master.key.next`; the current one from
 * the configuration as for the service. Prints progress per batch; interrupted, it continues where it
 * stopped when run again. At the end the old key opens nothing any more: with file-held keys
 * `master.key.next` replaces `master.key`; with the environment the operator replaces
 * `PRUEFPFAD_MASTER_KEY` (printed). `--status` only shows where the store stands.
 * Exit 0 when done (or nothing to do), 1 on failure, 2 on a usage error.
 */
export async function rotateMasterKeyCommand(
  args: string[],
  config: AppConfig,
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
  hooks: RotateMasterKeyHooks = {},
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      status: { type: 'boolean' },
      'batch-size': { type: 'string' },
      'grace-seconds': { type: 'string' },
      offline: { type: 'boolean' },
    },
    strict: true,
  });
  const offline = values.offline === true;
  if (offline && values.status === true)
    throw new UsageError('--status und --offline schließen sich aus / exclude each other');
  const batchSize = positiveInteger(values['batch-size'], DEFAULT_REWRAP_BATCH_SIZE, '--batch-size', 1);
  const graceMs =
    positiveInteger(values['grace-seconds'], DEFAULT_HANDOVER_GRACE_MS / 1000, '--grace-seconds', 0) * 1000;

  if (values.status === true) {
    const infrastructure = await openInfrastructure(config, { readOnlyEvents: true });
    try {
      const status = await rotatable(infrastructure).masterKeyStatus();
      io.out(`current\t${status.currentMasterKeyId}`);
      if (status.rotation !== null) {
        io.out(
          `rotation\t${status.rotation.from}\t${status.rotation.to}\t${status.rotation.startedAt}\t${status.rotation.mode}`,
        );
      }
      // The current key first, then the others by id: stable for scripts.
      const rank = (id: string) => (id === status.currentMasterKeyId ? '' : id);
      const groups = Object.entries(status.keysByMasterKey).sort(([a], [b]) => rank(a).localeCompare(rank(b)));
      for (const [id, count] of groups) io.out(`keys\t${id}\t${count}`);
      return 0;
    } finally {
      await infrastructure.close();
    }
  }

  const next = loadNextMasterKey({ keyDir: config.keyDir, envValue: env[MASTER_KEY_NEXT_ENV] });
  if (next === null) throw new UsageError(NO_NEXT_KEY);
  const nextId = masterKeyId(next.key);

  if (offline) {
    await rotateOffline(config, next.key, { batchSize, io, hooks });
    return afterRotation(config, next.source, nextId, io, true);
  }

  let infrastructure: Infrastructure;
  let alreadyFinished = false;
  try {
    infrastructure = await openInfrastructure(config, { readOnlyEvents: true });
  } catch (error) {
    // The configured key was retired: a finished rotation whose key swap did not happen yet (a crash
    // right after the finish). Opening with the new key tells.
    if (!(error instanceof MasterKeyError && error.code === 'MASTER_KEY_ROTATED')) throw error;
    infrastructure = await openInfrastructure(
      { ...config, masterKey: Buffer.from(next.key).toString('base64') },
      { readOnlyEvents: true },
    );
    alreadyFinished = true;
  }
  try {
    const store = rotatable(infrastructure);
    if (alreadyFinished) {
      const status = await store.masterKeyStatus();
      if (status.currentMasterKeyId !== nextId || status.rotation !== null) {
        throw new Error(`Schlüsselspeicher in unerwartetem Zustand / key store in an unexpected state`);
      }
      io.err(`Der Schlüsselspeicher ist schon unter / the key store already is under ${nextId}`);
    } else {
      const result = await rotateMasterKey(store, next.key, {
        batchSize,
        handoverGraceMs: graceMs,
        onProgress: progressPrinter(io),
        ...(hooks.afterBatch === undefined ? {} : { afterBatch: hooks.afterBatch }),
        ...(hooks.wait === undefined ? {} : { wait: hooks.wait }),
      });
      if (!result.rotated)
        io.err(`Nichts zu tun / nothing to do: der Schlüsselspeicher ist schon unter / already under ${nextId}`);
    }
  } finally {
    await infrastructure.close();
  }
  return afterRotation(config, next.source, nextId, io, false);
}

function progressPrinter(io: CliIo): (progress: RotationProgress) => void {
  let batchShown = false;
  return (progress) => {
    if (progress.phase === 'batch') {
      batchShown = true;
      io.progress(describeProgress(progress));
      return;
    }
    if (batchShown) io.err('');
    batchShown = false;
    io.err(describeProgress(progress));
  };
}

/**
 * `--offline`: only the key store is opened, by this process alone, with both keys; no handover is
 * written. Embedded: refused while any connection has the key file open, and the file stays locked
 * exclusively until the end, so no service can start in between. Server mode: nothing can tell whether
 * another process uses the MongoDB key database; `--offline` is the operator's word that none does (a
 * service started meanwhile is refused while the rotation is recorded).
 */
async function rotateOffline(
  config: AppConfig,
  next: Uint8Array,
  options: { batchSize: number; io: CliIo; hooks: RotateMasterKeyHooks },
): Promise<void> {
  const { io, hooks } = options;
  const current = loadOrCreateMasterKey({
    keyDir: config.keyDir,
    environment: config.environment,
    envValue: config.masterKey,
  });
  const open = async (masterKey: Uint8Array, otherMasterKey: Uint8Array): Promise<KeyStore & MasterKeyRotationPort> => {
    if (config.stores.kind === 'server') {
      io.err(
        'Server-Modus: ob noch Prozesse den Schlüsselspeicher benutzen, ist nicht prüfbar; --offline versichert, dass alle beendet sind. / ' +
          'Server mode: whether processes still use the key store cannot be checked; --offline asserts that all are stopped.',
      );
      return MongoKeyStore.open({
        uri: config.stores.mongodbUri,
        database: config.stores.mongodbKeyDatabase,
        masterKey,
        otherMasterKey,
        pollIntervalMs: 0,
      });
    }
    const file = embeddedFiles(config).keys;
    if (sqliteFileInUse(file)) throw new Error(KEY_STORE_IN_USE(file));
    try {
      return SqliteKeyStore.open({ file, masterKey, otherMasterKey, exclusive: true, pollIntervalMs: 0 });
    } catch (error) {
      // Opened by someone between the probe and here.
      if (/locked|busy/iu.test((error as Error).message)) throw new Error(KEY_STORE_IN_USE(file));
      throw error;
    }
  };
  let store: KeyStore & MasterKeyRotationPort;
  try {
    store = await open(current.key, next);
  } catch (error) {
    // Finished before, but the key swap did not happen (a crash right after the finish).
    if (!(error instanceof MasterKeyError && error.code === 'MASTER_KEY_ROTATED')) throw error;
    store = await open(next, current.key);
  }
  try {
    const result = await rotateMasterKey(store, next, {
      offline: true,
      batchSize: options.batchSize,
      onProgress: progressPrinter(io),
      ...(hooks.afterBatch === undefined ? {} : { afterBatch: hooks.afterBatch }),
    });
    if (!result.rotated)
      io.err(
        `Nichts zu tun / nothing to do: der Schlüsselspeicher ist schon unter / already under ${masterKeyId(next)}`,
      );
  } finally {
    await store.close();
  }
}

function afterRotation(
  config: AppConfig,
  nextSource: 'file' | 'environment',
  nextId: string,
  io: CliIo,
  offline: boolean,
): number {
  // The service reads master.key when PRUEFPFAD_MASTER_KEY is not set (as loadOrCreateMasterKey does).
  const currentFromFile = (config.masterKey?.trim() ?? '') === '';
  if (currentFromFile && nextSource === 'file') {
    const file = promoteNextMasterKeyFile(config.keyDir);
    io.err(
      `${file} enthält jetzt den neuen Master-Schlüssel; der alte ist aus dem Schlüsselverzeichnis entfernt. / ` +
        `${file} now holds the new master key; the old one is gone from the key directory.`,
    );
  } else {
    io.err(
      `Jetzt PRUEFPFAD_MASTER_KEY überall (Dienst, Projektor, CLI, Geheimnisspeicher) auf den neuen Schlüssel (Kennung ${nextId}) setzen ` +
        `und ${MASTER_KEY_NEXT_ENV} bzw. ${MASTER_KEY_NEXT_FILE_NAME} entfernen${offline ? '' : '; laufende Dienste arbeiten ohne Neustart weiter'}. / ` +
        `Now set PRUEFPFAD_MASTER_KEY everywhere (service, projector, CLI, secret store) to the new key (id ${nextId}) ` +
        `and remove ${MASTER_KEY_NEXT_ENV} or ${MASTER_KEY_NEXT_FILE_NAME}${offline ? '' : '; running services carry on without a restart'}.`,
    );
  }
  if (offline)
    io.err(
      'Die Dienste jetzt mit dem neuen Master-Schlüssel starten; der alte öffnet den Schlüsselspeicher nicht mehr. / ' +
        'Now start the services with the new master key; the old one no longer opens the key store.',
    );
  io.err(
    'Sicherungen des Schlüsselspeichers von vor dem Wechsel öffnet nur der alte Master-Schlüssel: jetzt eine neue Schlüsselsicherung machen. / ' +
      'Key-store backups from before the rotation open only with the old master key: take a new key backup now.',
  );
  io.out(`current\t${nextId}`);
  return 0;
}
