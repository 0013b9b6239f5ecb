import fs from 'node:fs';
import path from 'node:path';
import type { AppConfig, Clock, IdGenerator, ReadModelRules } from '@pruefpfad/application';
import { reviewKeyId } from '@pruefpfad/domain';
import { CHAIN_KEY_ID, loadOrCreateMasterKey, SqliteKeyStore } from '@pruefpfad/privacy';
import { createPrivateFile } from '@pruefpfad/runtime';
import type { ChainCheckReport } from '../chain-sealing/chain-verification.js';
import { verifyChains } from '../chain-sealing/chain-verification.js';
import { embeddedFiles, openInfrastructure } from '../infrastructure.js';
import type { Infrastructure } from '../infrastructure.types.js';
import { ProjectionOperations, type RebuildRunView } from '../projection-operations.js';
import { projectionsUnderRules, RULE_DRIVEN_NAMES } from '../projections.js';
import { reapplyPurge, type ReapplyOutcome } from '../retention/reapply-purges.js';
import { type BackupManifest, readVerifiedManifest } from './backup-manifest.js';
import { openPurgeLedger, purgeLedgerFile } from './open-purge-ledger.js';
import { type PurgeLedgerEntry, unionOfLedgers } from './purge-ledger.port.js';
import { fsyncFile, sqliteFileInUse } from './sqlite-file-backup.js';
import { SqlitePurgeLedger } from './sqlite-purge-ledger.js';

export interface RestoreOptions {
  /** The event backup (`pruefpfad-events-…`) to put in place; omitted with `reapplyOnly`. */
  readonly from?: string;
  /** A key backup (`pruefpfad-keys-…`) to put in place as well; without it the live key store stays. */
  readonly keysFrom?: string;
  /**
   * Server mode (the operator restored KurrentDB and MongoDB with their own tools) or a second run: put
   * nothing in place, only re-apply the ledger, rebuild and verify.
   */
  readonly reapplyOnly?: boolean;
  readonly rules: ReadModelRules;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** One line per step, for the operator. */
  readonly onStep?: (message: string) => void;
  /** Progress within a step (re-application, rebuild). */
  readonly onProgress?: (message: string) => void;
}

export interface RestoreReport {
  readonly manifest: BackupManifest | null;
  readonly keysManifest: BackupManifest | null;
  /** Entries of the union of the live ledger and the copies in the backups. */
  readonly ledgerEntries: number;
  /** Entries only a backup's copy had (the live ledger was older or lost): added back to the live one. */
  readonly ledgerEntriesRecovered: number;
  readonly reapplied: readonly ReapplyOutcome[];
  readonly rebuilt: readonly { readonly projection: string; readonly run: RebuildRunView | null }[];
  /** Reactor checkpoints that were beyond the restored store's head and were reset (the reactors redo them). */
  readonly checkpointsReset: readonly string[];
  /** Reviews whose data key is neither there nor destroyed: the key backup is older than the events. */
  readonly reviewsWithoutKey: readonly string[];
  readonly chains: ChainCheckReport;
  /** Chains clean, every rebuild done, every review's key there (or destroyed). */
  readonly ok: boolean;
}

export class RestoreRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreRefusedError';
  }
}

/**
 * Restore (the service stopped):
 * 1. the backups are checked against their manifests (a half-written one has none and is refused), and a
 *    key backup must open under the configured master key;
 * 2. embedded: refused while any of the stores' files is open in another process;
 * 3. the purge ledger is read (the live one, united with the copies kept with the backups, and the union
 *    written back to the live one): the ledger is never restored from a backup, only added to;
 * 4. embedded: the backup files are put in place (copied beside the target 0600, fsynced, renamed);
 * 5. EVERY ledger entry is re-applied (idempotent): a backup taken while a purge was in flight has the
 *    ledger entry but still the review, so entries "before the backup" are re-applied too;
 * 6. reactor checkpoints beyond the restored head are reset (they would skip new events);
 * 7. every projection is rebuilt from the restored events (fresh, old collections dropped);
 * 8. the HMAC chains and seals are verified, and reviews whose key is missing (key backup older than the
 *    event backup) are listed.
 */
export async function restore(config: AppConfig, options: RestoreOptions): Promise<RestoreReport> {
  const step = options.onStep ?? (() => undefined);
  const embedded = config.stores.kind === 'embedded';
  if (options.reapplyOnly !== true && !embedded)
    throw new RestoreRefusedError(
      'Im Servermodus stellt der Betrieb KurrentDB und MongoDB mit ihren Werkzeugen wieder her, danach "restore --reapply-only" / ' +
        'in server mode restore KurrentDB and MongoDB with their own tools, then run "restore --reapply-only"',
    );
  if (options.reapplyOnly !== true && options.from === undefined)
    throw new RestoreRefusedError('--from fehlt / --from missing');

  const manifest = options.from === undefined ? null : readVerifiedManifest(options.from, 'events');
  const keysManifest = options.keysFrom === undefined ? null : readVerifiedManifest(options.keysFrom, 'keys');
  if (manifest !== null) step(`Sicherung geprüft / backup verified: ${options.from} (${manifest.startedAt})`);
  if (keysManifest !== null)
    step(`Schlüsselsicherung geprüft / key backup verified: ${options.keysFrom} (${keysManifest.startedAt})`);

  const files = embeddedFiles(config);
  if (embedded) {
    const busy = [files.events, files.readModels, files.keys, purgeLedgerFile(config)].filter(sqliteFileInUse);
    if (busy.length > 0)
      throw new RestoreRefusedError(
        `In Benutzung – Dienst und Projektor erst beenden / in use – stop the service and the projector first: ${busy.join(', ')}`,
      );
  }

  if (keysManifest !== null) await checkMasterKey(config, options.keysFrom!, keysManifest);

  // The ledger before anything is replaced: the live one plus the copies that came with the backups.
  const ledger = await openPurgeLedger(config);
  if (ledger === null) throw new Error('purge ledger missing');
  let entries: PurgeLedgerEntry[];
  let recovered = 0;
  try {
    const live = await ledger.list();
    const copies = [
      ...(manifest === null ? [] : await ledgerCopy(options.from!, manifest)),
      ...(keysManifest === null ? [] : await ledgerCopy(options.keysFrom!, keysManifest)),
    ];
    entries = unionOfLedgers(live, copies);
    const liveIds = new Set(live.map((entry) => entry.id));
    for (const entry of entries) {
      if (!liveIds.has(entry.id)) recovered += 1;
      await ledger.record(entry);
    }
  } finally {
    await ledger.close();
  }
  step(
    `Löschprotokoll / purge ledger: ${entries.length} Einträge / entries` +
      (recovered > 0 ? `, ${recovered} aus den Sicherungen ergänzt / recovered from the backups' copies` : ''),
  );

  if (manifest !== null) {
    for (const file of manifest.files) {
      if (file.role === 'events') placeFile(path.join(options.from!, file.name), files.events);
      if (file.role === 'read-models') placeFile(path.join(options.from!, file.name), files.readModels);
    }
    step(
      `Ereignis- und Lesespeicher eingesetzt / event and read store put in place (Position ${manifest.positions.eventsHead ?? '-'})`,
    );
  }
  if (keysManifest !== null) {
    const keys = keysManifest.files.find((file) => file.role === 'keys');
    if (keys !== undefined) placeFile(path.join(options.keysFrom!, keys.name), files.keys);
    step('Schlüsselspeicher eingesetzt / key store put in place');
  }

  const infrastructure = await openInfrastructure(config);
  try {
    const reapplied: ReapplyOutcome[] = [];
    for (const [index, entry] of entries.entries()) {
      reapplied.push(
        await reapplyPurge(
          {
            eventStore: infrastructure.eventStore,
            keyStore: infrastructure.keyStore,
            clock: options.clock,
            ids: options.ids,
            rulesVersion: config.rulesVersion,
          },
          entry,
        ),
      );
      options.onProgress?.(`Löschungen erneut anwenden / re-applying purges: ${index + 1}/${entries.length}`);
    }
    const changed = reapplied.filter(
      (outcome) => outcome.keysDestroyed + outcome.streamsDeleted > 0 || outcome.recorded,
    );
    step(
      `${changed.length} von ${entries.length} Löschungen erneut angewandt / of the purges re-applied ` +
        `(${sum(changed, 'keysDestroyed')} Schlüssel / keys, ${sum(changed, 'streamsDeleted')} Streams)`,
    );

    const checkpointsReset = await resetCheckpointsAhead(infrastructure);
    if (checkpointsReset.length > 0)
      step(
        `Checkpoints hinter den Kopf zurückgesetzt / checkpoints beyond the head reset: ${checkpointsReset.join(', ')}`,
      );

    const rebuilt = await rebuildAll(infrastructure, options);
    const failed = rebuilt.filter((entry) => entry.run?.ok !== true);
    step(
      `${rebuilt.length - failed.length}/${rebuilt.length} Projektionen neu aufgebaut / projections rebuilt` +
        (failed.length > 0 ? `; fehlgeschlagen / failed: ${failed.map((entry) => entry.projection).join(', ')}` : ''),
    );

    const chains = (await verifyChains(infrastructure.eventStore))!;
    step(
      `Ketten / chains: ${chains.streamsChecked} Streams, ${chains.eventsChecked} Ereignisse / events, ` +
        `${chains.streamsPurged} gelöscht / purged: ${chains.clean ? 'keine Befunde / clean' : `${chains.findings.length} Befunde / findings`}`,
    );
    const reviewsWithoutKey = await reviewsMissingKeys(infrastructure);
    if (reviewsWithoutKey.length > 0)
      step(
        `${reviewsWithoutKey.length} Prüfungen ohne Schlüssel – Schlüsselsicherung älter als die Ereignisse / ` +
          'reviews without a key – the key backup is older than the events',
      );
    return {
      manifest,
      keysManifest,
      ledgerEntries: entries.length,
      ledgerEntriesRecovered: recovered,
      reapplied,
      rebuilt,
      checkpointsReset,
      reviewsWithoutKey,
      chains,
      ok: chains.clean && failed.length === 0 && reviewsWithoutKey.length === 0,
    };
  } finally {
    await infrastructure.close();
  }
}

/**
 * Opens a scratch copy of the key backup under the configured master key before anything is replaced: a
 * key backup from another installation, or from before a master-key rotation, is refused while the live
 * stores are still intact.
 */
async function checkMasterKey(config: AppConfig, dir: string, manifest: BackupManifest): Promise<void> {
  const keys = manifest.files.find((file) => file.role === 'keys');
  if (keys === undefined) throw new RestoreRefusedError(`${dir}: keine keys.sqlite / no keys.sqlite`);
  const scratch = path.join(config.keyDir, `.restore-check-${process.pid}.sqlite`);
  try {
    createPrivateFile(scratch);
    fs.copyFileSync(path.join(dir, keys.name), scratch);
    const masterKey = loadOrCreateMasterKey({
      keyDir: config.keyDir,
      environment: config.environment,
      envValue: config.masterKey,
    });
    let store: SqliteKeyStore;
    try {
      store = SqliteKeyStore.open({ file: scratch, masterKey: masterKey.key });
    } catch (error) {
      throw new RestoreRefusedError(
        `Die Schlüsselsicherung passt nicht zum Hauptschlüssel / the key backup does not match the master key: ${(error as Error).message}`,
      );
    }
    try {
      if ((await store.get(CHAIN_KEY_ID)) === null)
        throw new RestoreRefusedError(`${dir}: ohne Kettenschlüssel / without the chain key`);
    } finally {
      await store.close();
    }
  } finally {
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${scratch}${suffix}`, { force: true });
  }
}

async function ledgerCopy(dir: string, manifest: BackupManifest): Promise<readonly PurgeLedgerEntry[]> {
  const file = manifest.files.find((candidate) => candidate.role === 'purge-ledger');
  if (file === undefined) return [];
  const copy = SqlitePurgeLedger.open({ file: path.join(dir, file.name), readOnly: true });
  try {
    return await copy.list();
  } finally {
    await copy.close();
  }
}

/**
 * Puts a backup file in place of a store's file: copied beside it under a temporary name (0600), fsynced,
 * the old WAL and shared-memory files removed (they belong to the old file), renamed over it, directory
 * fsynced. A crash leaves either the old or the new file; restore is simply run again.
 */
function placeFile(copy: string, target: string): void {
  const temporary = `${target}.restoring`;
  fs.rmSync(temporary, { force: true });
  createPrivateFile(temporary);
  fs.copyFileSync(copy, temporary);
  fsyncFile(temporary);
  for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(`${target}${suffix}`, { force: true });
  fs.renameSync(temporary, target);
  fsyncFile(path.dirname(target));
}

const sum = (outcomes: readonly ReapplyOutcome[], field: 'keysDestroyed' | 'streamsDeleted'): number =>
  outcomes.reduce((total, outcome) => total + outcome[field], 0);

/**
 * A checkpoint beyond the restored head would skip as many new events (positions continue from the head).
 * Projections are rebuilt anyway; reactors' checkpoints are removed, so they go through the store again,
 * which is safe because every reactor step is idempotent.
 */
async function resetCheckpointsAhead(infrastructure: Infrastructure): Promise<string[]> {
  const head = await infrastructure.eventStore.headPosition();
  const reset: string[] = [];
  for (const checkpoint of await infrastructure.checkpoints.list())
    if (checkpoint.position > head) {
      await infrastructure.checkpoints.delete(checkpoint.name);
      reset.push(checkpoint.name);
    }
  return reset;
}

async function rebuildAll(
  infrastructure: Infrastructure,
  options: RestoreOptions,
): Promise<{ projection: string; run: RebuildRunView | null }[]> {
  const definitions = projectionsUnderRules(options.rules);
  const operations = new ProjectionOperations({
    definitions,
    rules: options.rules,
    eventStore: infrastructure.eventStore,
    documentStore: infrastructure.documents,
    checkpointStore: infrastructure.checkpoints,
    host: null,
    ruleDriven: RULE_DRIVEN_NAMES,
    onProgress: (progress) =>
      options.onProgress?.(`Neuaufbau / rebuild ${progress.projection}: ${Math.round(progress.percent)} %`),
  });
  const rebuilt: { projection: string; run: RebuildRunView | null }[] = [];
  try {
    for (const definition of definitions) {
      await operations.startRebuild(definition.name, { fresh: true, dropOld: true });
      rebuilt.push({ projection: definition.name, run: await operations.settled(definition.name) });
    }
  } finally {
    await operations.stop();
  }
  return rebuilt;
}

/** Review streams in the store whose data key is neither present nor destroyed. */
async function reviewsMissingKeys(infrastructure: Infrastructure): Promise<string[]> {
  const reviews = new Set<string>();
  for (let after = 0; ;) {
    const page = await infrastructure.eventStore.readAll({
      after,
      maxCount: 1000,
      filter: { streamPrefixes: ['review-'] },
    });
    for (const event of page.events) reviews.add(event.streamId.slice('review-'.length));
    after = page.lastPosition;
    if (page.isEnd) break;
  }
  const missing: string[] = [];
  for (const reviewId of reviews) {
    const keyId = reviewKeyId(reviewId);
    if ((await infrastructure.keyStore.get(keyId)) === null && !(await infrastructure.keyStore.isDestroyed(keyId)))
      missing.push(reviewId);
  }
  return missing;
}
