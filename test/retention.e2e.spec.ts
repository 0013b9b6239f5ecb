import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { ChainSealingService } from '../apps/api/src/audit/chain-sealing.service.js';
import { createApp } from '../apps/api/src/bootstrap.js';
import { runCli } from '../apps/cli/src/run-cli.js';
import type { Runtime } from '../apps/api/src/runtime/runtime.js';
import { RUNTIME } from '../apps/api/src/runtime/tokens.js';
import { embeddedFiles } from '@pruefpfad/composition';
import { SqliteEventStore } from '@pruefpfad/event-store';
import { CHAIN_KEY_ID, pseudonymise, tenantPseudonymKey } from '@pruefpfad/privacy';
import {
  runQuarterScenario,
  scenarioClock,
  type PurgedFacts,
  type QuarterHarness,
} from './support/quarter-scenario.js';
import { temporaryDirectories, testConfig } from './support/test-app.js';

/**
 * Retention (issue 5) after the quarter of the core issue, on the embedded stores: a year on, the daily
 * purge's operator run destroys every closed review except one under legal hold (the scenario checks the
 * figures, the 410s and a full rebuild); this spec checks the bytes: no clear personal value in any store,
 * WAL or log file, none of the purged reviews' ciphertext left in the event store, and a copy of the event
 * store taken before the purge that cannot be decrypted with the live key store afterwards.
 */

/** Every log line the app writes goes to a file, to scan it like the stores. */
class FileLogger implements LoggerService {
  constructor(private readonly file: string) {}
  private write(level: string, message: unknown, context: unknown[]): void {
    fs.appendFileSync(this.file, `${JSON.stringify({ level, message, context })}\n`);
  }
  log(message: unknown, ...context: unknown[]): void {
    this.write('log', message, context);
  }
  error(message: unknown, ...context: unknown[]): void {
    this.write('error', message, context);
  }
  warn(message: unknown, ...context: unknown[]): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, ...context: unknown[]): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, ...context: unknown[]): void {
    this.write('verbose', message, context);
  }
}

interface SealedValue {
  readonly $sealed: 1;
  readonly kid: string;
  readonly ct: string;
}

function sealedValues(value: unknown, found: SealedValue[] = []): SealedValue[] {
  if (value === null || typeof value !== 'object') return found;
  if ((value as { $sealed?: unknown }).$sealed === 1) {
    found.push(value as SealedValue);
    return found;
  }
  for (const child of Object.values(value)) sealedValues(child, found);
  return found;
}

function storeFiles(config: ReturnType<typeof testConfig>): string[] {
  const files = embeddedFiles(config);
  const keyDir = config.keyDir;
  const candidates = [files.events, files.readModels, ...fs.readdirSync(keyDir).map((name) => path.join(keyDir, name))];
  return candidates.flatMap((file) => [file, `${file}-wal`]).filter((file) => fs.existsSync(file));
}

describe('retention purge after a quarter (embedded): bytes, backups and keys', () => {
  const dirs = temporaryDirectories();
  const config = testConfig(dirs);
  const clock = scenarioClock('2025-12-15');
  const logFile = path.join(dirs.root, 'app.log');
  const copyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-backup-'));
  let app: INestApplication | null = null;

  const harness: QuarterHarness = {
    clock,
    reactorsInApp: true,
    async start() {
      app = await createApp(config, { clock, logger: new FileLogger(logFile), projectionsInProcess: true });
      await app.init();
      return { app, config };
    },
    async stop() {
      const running = app;
      app = null;
      await running?.close();
    },
    dispose() {
      dirs.remove();
      fs.rmSync(copyDir, { recursive: true, force: true });
      return Promise.resolve();
    },
    retention: {
      beforePurge: async (system) => {
        // Seal the chain heads first: the purged streams are then sealed streams that disappear, which the
        // chain verification must account for from the purge records instead of reporting them missing.
        expect((await system.app.get(ChainSealingService, { strict: false }).sealNow()).length).toBeGreaterThan(0);
        // A backup of the event store as an operator would take it (the key directory is backed up apart).
        const events = embeddedFiles(config).events;
        for (const suffix of ['', '-wal'])
          if (fs.existsSync(events + suffix))
            fs.copyFileSync(events + suffix, path.join(copyDir, `events.sqlite${suffix}`));
      },
      afterPurge: async (system, purged: PurgedFacts) => {
        const runtime = system.app.get<Runtime>(RUNTIME, { strict: false });
        const { keyStore, envelope } = runtime.infrastructure;
        const chainKey = (await keyStore.getOrCreate(CHAIN_KEY_ID)).key;
        const backup = await SqliteEventStore.open({
          file: path.join(copyDir, 'events.sqlite'),
          chainKey,
          readOnly: true,
        });
        try {
          const ciphertexts: string[] = [];
          for (const reviewId of purged.purgedReviewIds) {
            const events = await backup.readStream(`review-${reviewId}`);
            expect(events.length).toBeGreaterThan(0);
            const sealed = sealedValues(events.map((event) => event.data));
            expect(sealed.length).toBeGreaterThan(0);
            for (const value of sealed) {
              // The backup holds the ciphertext, but its key is destroyed: nothing opens it any more.
              expect(await envelope.openOrNull(value as never)).toBeNull();
              ciphertexts.push(value.ct);
            }
          }
          // The review under legal hold still opens from the same backup: the check above can fail.
          const heldSealed = sealedValues(
            (await backup.readStream(`review-${purged.heldReviewId}`)).map((e) => e.data),
          );
          expect(heldSealed.length).toBeGreaterThan(0);
          expect(await envelope.openOrNull(heldSealed[0] as never)).not.toBeNull();

          // The purged streams' rows are gone for good (secure delete, WAL truncated): no ciphertext of them
          // is left in the event or read store files, except identical copies that streams the purge keeps carry
          // (a replacement's reason in the sampling stream), which the destroyed key blinds like the rest.
          const kept = new Set<string>();
          for (let after = 0; ;) {
            const page = await runtime.infrastructure.eventStore.readAll({ after, maxCount: 1000 });
            for (const value of sealedValues(page.events.map((event) => event.data))) kept.add(value.ct);
            after = page.lastPosition;
            if (page.isEnd) break;
          }
          const gone = ciphertexts.filter((ct) => !kept.has(ct));
          expect(gone.length).toBeGreaterThan(ciphertexts.length / 2);
          // The same for the read store: the purged reviews' documents are removed, their pages' old images
          // gone from its WAL as well.
          const eventFiles = storeFiles(config).filter(
            (file) => file.includes('events.sqlite') || file.includes('read-models.sqlite'),
          );
          expect(eventFiles.length).toBeGreaterThan(1);
          for (const file of eventFiles) {
            const bytes = fs.readFileSync(file);
            const left = gone.filter((ct) => bytes.includes(ct));
            expect({ file, left }).toEqual({ file, left: [] });
          }
          // The populations purged with their last review: rows and sealed case references gone from the live
          // store, and the backup's copies no longer open.
          expect(purged.purgedPopulationIds.length).toBeGreaterThan(0);
          const liveStore = runtime.infrastructure.eventStore;
          for (const populationId of purged.purgedPopulationIds) {
            expect(await liveStore.streamInfo(`population-${populationId}`)).toMatchObject({ revision: null });
            const rows = sealedValues((await backup.readStream(`population-${populationId}`)).map((e) => e.data));
            expect(rows.length).toBeGreaterThan(0);
            for (const value of rows.slice(0, 50)) expect(await envelope.openOrNull(value as never)).toBeNull();
          }
          // The month with a review under legal hold keeps its population's stream (the held review's draw
          // stays verifiable), but its clear references went at the end of their window, hold or not: no row
          // opens, neither in the live store nor in the backup taken before the purge, drawn or never drawn.
          const keptPopulations: string[] = [];
          for (let after = 0; ;) {
            const page = await liveStore.readAll({
              after,
              maxCount: 1000,
              filter: { streamPrefixes: ['population-'] },
            });
            for (const event of page.events)
              if (!keptPopulations.includes(event.streamId)) keptPopulations.push(event.streamId);
            after = page.lastPosition;
            if (page.isEnd) break;
          }
          expect(keptPopulations.length).toBeGreaterThan(0);
          for (const streamId of keptPopulations) {
            const live = await liveStore.readStream(streamId);
            expect(live.map((event) => event.type)).toContain('PopulationReferencesDestroyed');
            for (const events of [live, await backup.readStream(streamId)]) {
              const rows = sealedValues(events.map((e) => e.data));
              expect(rows.length).toBeGreaterThan(0);
              for (const value of rows) expect(await envelope.openOrNull(value as never)).toBeNull();
            }
          }
          // Every purge the service carried out is in the purge ledger (apart from the events), so a restore
          // of an older backup re-applies it: each purged review and population with its keys and streams.
          const ledger = await runtime.infrastructure.purgeLedger.list();
          for (const reviewId of purged.purgedReviewIds)
            expect(ledger).toContainEqual(
              expect.objectContaining({
                kind: 'review-purge',
                subjectId: reviewId,
                streams: expect.arrayContaining([`review-${reviewId}`]),
              }),
            );
          for (const populationId of purged.purgedPopulationIds)
            expect(ledger).toContainEqual(
              expect.objectContaining({ kind: 'population-purge', subjectId: populationId }),
            );
          // Each kept population's clear references went at the end of their window: recorded too.
          for (const streamId of keptPopulations)
            expect(ledger).toContainEqual(
              expect.objectContaining({
                kind: 'population-references',
                subjectId: streamId.slice('population-'.length),
              }),
            );
          expect(ledger.some((entry) => entry.subjectId === purged.heldReviewId)).toBe(false);
          // The held review itself still opens, from its own key (so the checks above can fail).
          expect(purged.heldPopulationReferences).toContain(purged.heldCaseRef);
          expect(purged.heldPopulationReferences.length).toBeGreaterThan(10);
          // Nothing of the held month's other cases, drawn and purged or never drawn, remains identifiable in
          // any store file, WAL or log: neither the clear reference nor the tenant-wide pseudonym (the blind
          // index anyone with the Jobcenter's key could match a customer number against). No pseudonym is in
          // clear anywhere: each review seals its own under its key, so the held one still opens (the lookup's
          // way), while the purged reviews' copies in the backup no longer do (checked with every sealed value
          // of their streams above).
          const tenantKey = await tenantPseudonymKey(keyStore, purged.tenant);
          const pseudonymOf = (reference: string) => pseudonymise(tenantKey, reference, 'case-ref');
          const gonePseudonyms = [
            ...purged.heldPopulationReferences.filter((reference) => !purged.keptCaseRefs.includes(reference)),
            ...purged.clearValues.filter((value) => /\d/.test(value)),
          ].map(pseudonymOf);
          const heldOpened = (await liveStore.readStream(`review-${purged.heldReviewId}`))[0]!.data as {
            casePseudonym: never;
          };
          expect(await envelope.openOrNull(heldOpened.casePseudonym)).toBe(pseudonymOf(purged.heldCaseRef));
          const everyFile = [...storeFiles(config), logFile];
          for (const file of everyFile) {
            const bytes = fs.readFileSync(file);
            const left = gonePseudonyms.filter((value) => bytes.includes(Buffer.from(value)));
            expect({ file, left }).toEqual({ file, left: [] });
            const clear = purged.heldPopulationReferences.filter(
              (reference) => !purged.keptCaseRefs.includes(reference) && bytes.includes(Buffer.from(reference)),
            );
            expect({ file, clear }).toEqual({ file, clear: [] });
          }
          // The backup, scanned the same way: no purged review's pseudonym in clear in it either.
          const backupBytes = fs.readFileSync(path.join(copyDir, 'events.sqlite'));
          const walCopy = path.join(copyDir, 'events.sqlite-wal');
          const backupAll = fs.existsSync(walCopy)
            ? Buffer.concat([backupBytes, fs.readFileSync(walCopy)])
            : backupBytes;
          expect(gonePseudonyms.filter((value) => backupAll.includes(Buffer.from(value)))).toEqual([]);

          // The operator's tools: the chain check is clean and accounts for the purged streams; the CLI's dry
          // run (on today's real date, before any retention ends) lists the review under legal hold as kept.
          const cli = async (args: string[]) => {
            const out: string[] = [];
            const err: string[] = [];
            const code = await runCli(
              args,
              { out: (line) => out.push(line), err: (line) => err.push(line), progress: () => undefined },
              { PRUEFPFAD_ENV: 'test', PRUEFPFAD_DATA_DIR: dirs.dataDir, PRUEFPFAD_KEY_DIR: dirs.keyDir },
            );
            return { code, out, err };
          };
          const verified = await cli(['verify-chain']);
          expect(verified).toMatchObject({ code: 0, out: [] });
          expect(verified.err.join('\n')).toMatch(
            /\d+ nach Aufbewahrungsfrist gelöscht \/ purged after retention: keine Befunde/,
          );
          const dryRun = await cli(['purge', '--dry-run']);
          expect(dryRun.code).toBe(0);
          expect(dryRun.out).toEqual([
            expect.stringMatching(new RegExp(`^jc-quartal\t${purged.heldReviewId}\t.*\tkept: `)),
          ]);
          expect(dryRun.err.join('\n')).toMatch(/Probelauf .* 0 Prüfungen und 0 Grundgesamtheiten würden gelöscht/);

          const files = [...storeFiles(config), logFile];
          expect(fs.statSync(logFile).size).toBeGreaterThan(0);
          for (const file of files) {
            const bytes = fs.readFileSync(file);
            for (const value of purged.clearValues)
              expect({ file, value, found: bytes.includes(Buffer.from(value)) }).toEqual({ file, value, found: false });
          }
        } finally {
          await backup.close();
        }
      },
    },
  };

  runQuarterScenario(harness);
});
