import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { v7 as uuidv7 } from 'uuid';
import { type AppConfig, uuidV7Ids } from '@pruefpfad/application';
import {
  ChainSealer,
  embeddedFiles,
  type Infrastructure,
  MANIFEST_FILE,
  openInfrastructure,
  openPurgeLedger,
  purgeReactor,
  startProjections,
} from '@pruefpfad/composition';
import type { EventMetadata, NewEvent, RecordedEvent } from '@pruefpfad/event-store';
import { REVIEWS } from '@pruefpfad/projections';
import type { CliIo } from '../apps/cli/src/cli-io.js';
import { runCli } from '../apps/cli/src/run-cli.js';
import { temporaryDirectories, testConfig } from './support/test-app.js';

/**
 * Backup and restore on the embedded default (issue 13, item 9): an online backup (SQLite's backup API)
 * of events and read models, keys to their own target; a purge after the backup; a restore of the
 * pre-purge backup (keys too) must not bring the purged review back: the purge ledger, kept apart from
 * the events, is re-applied, projections rebuilt, chains verified.
 */

const metadata: EventMetadata = {
  occurredAt: '2026-03-02T08:00:00.000Z',
  actor: { userId: 'tl-1', role: 'team_lead' },
  tenant: 'jc-a',
  correlationId: 'corr-1',
  causationId: null,
  rulesVersion: 'test',
};
const event = (type: string, data: unknown): NewEvent => ({ id: uuidv7(), type, schemaVersion: 1, data, metadata });
const clock = { now: () => new Date('2027-06-01T03:00:00.000Z') };

interface Captured {
  code: number;
  out: string[];
  err: string[];
  progress: string[];
}

async function cli(config: AppConfig, args: string[]): Promise<Captured> {
  const captured = { out: [] as string[], err: [] as string[], progress: [] as string[] };
  const io: CliIo = {
    out: (line) => captured.out.push(line),
    err: (line) => captured.err.push(line),
    progress: (line) => captured.progress.push(line),
  };
  const env = {
    PRUEFPFAD_ENV: 'test',
    PRUEFPFAD_DATA_DIR: config.dataDir,
    PRUEFPFAD_KEY_DIR: config.keyDir,
  };
  return { code: await runCli(args, io, env), ...captured };
}

/** A completed review with a defect, a talk and a measure, personal fields sealed under its keys. */
async function completedReview(
  infrastructure: Infrastructure,
  caseRef: string,
): Promise<{ reviewId: string; measureId: string }> {
  const { eventStore, envelope } = infrastructure;
  const reviewId = uuidv7();
  const measureId = uuidv7();
  const key = `review:${reviewId}`;
  await eventStore.append(
    `review-${reviewId}`,
    [
      event('CaseSampled', {
        reviewId,
        sampleId: 's-1',
        programmeId: 'p-1',
        areaId: 'leistung',
        teamId: 'team-1',
        month: '2026-03',
        casePseudonym: `ps-${reviewId}`,
        caseRef: await envelope.seal(key, caseRef),
        customerGroup: 'u25',
        questionnaireId: 'q-1',
        questionnaireVersion: 1,
        deadline: '2026-03-31',
        origin: { kind: 'draw', replaces: null },
      }),
      event('DefectRecorded', {
        reviewId,
        defectId: 'd-1',
        questionId: 'q1',
        category: 'Leistungsberechnung',
        severity: 'serious',
        legalNorm: '§ 11 SGB II',
        description: await envelope.seal(key, 'Einkommen nicht angerechnet'),
        financialLoss: true,
        asDeputy: false,
      }),
      event('ReviewCompleted', {
        reviewId,
        outcome: 'not-goal-directed',
        summary: await envelope.seal(key, 'Zusammenfassung'),
        completedAt: '2026-03-20T10:00:00.000Z',
        completedOn: '2026-03-20',
        asDeputy: false,
      }),
    ],
    { expectedRevision: 'no_stream' },
  );
  await eventStore.append(
    `measure-${measureId}`,
    [
      event('MeasureAgreed', {
        measureId,
        tenant: 'jc-a',
        areaId: 'leistung',
        teamId: 'team-1',
        reviewId,
        kind: 'feedback',
        scope: 'individual',
        owner: await envelope.seal(`measure:${measureId}`, 'Erika Beispiel'),
        description: await envelope.seal(`measure:${measureId}`, 'Rückmeldung'),
        dueDate: '2026-04-30',
        agreedOn: '2026-03-22',
        decidedByRole: 'team_lead',
      }),
    ],
    { expectedRevision: 'no_stream' },
  );
  return { reviewId, measureId };
}

/** Lets the projections catch up with the store, as the running service would. */
async function catchUp(config: AppConfig, infrastructure: Infrastructure): Promise<void> {
  const projections = await startProjections(config, infrastructure, undefined, { inProcess: true });
  try {
    expect(await projections.waitForAll(await infrastructure.eventStore.headPosition(), 30_000)).toEqual([]);
  } finally {
    await projections.stop();
  }
}

/** Collections of the read store whose live documents mention `text`. */
function collectionsMentioning(config: AppConfig, text: string): string[] {
  const db = new DatabaseSync(embeddedFiles(config).readModels, { readOnly: true });
  try {
    const rows = db
      .prepare(
        `SELECT DISTINCT coalesce(a.alias, d.collection) AS name FROM rs_documents d
         LEFT JOIN rs_aliases a ON a.physical = d.collection
         WHERE d.doc IS NOT NULL AND instr(d.doc, ?) > 0 ORDER BY name`,
      )
      .all(text) as { name: string }[];
    return rows.map((row) => row.name);
  } finally {
    db.close();
  }
}

function onlyDir(parent: string): string {
  const [name, ...more] = fs.readdirSync(parent);
  expect(more).toEqual([]);
  return path.join(parent, name!);
}

describe('backup and restore (embedded): a restored backup never brings back what retention destroyed', () => {
  const dirs = temporaryDirectories();
  const config = testConfig(dirs);
  const eventBackups = path.join(dirs.root, 'backups');
  const keyBackups = path.join(dirs.root, 'key-backups');
  let purged: { reviewId: string; measureId: string };
  let kept: { reviewId: string; measureId: string };

  afterAll(() => dirs.remove());

  beforeAll(async () => {
    const infrastructure = await openInfrastructure(config);
    try {
      purged = await completedReview(infrastructure, '123D000001');
      kept = await completedReview(infrastructure, '123D000002');
      // Seal the chain heads: the purged review's stream is then a sealed stream that disappears, which the
      // verification after the restore must account for from the re-applied purge record.
      const sealer = new ChainSealer({
        eventStore: infrastructure.eventStore,
        clock,
        ids: uuidV7Ids,
        rulesVersion: 'test',
      });
      expect((await sealer.sealNow()).length).toBeGreaterThan(0);
      await sealer.stop();
      await catchUp(config, infrastructure);
    } finally {
      await infrastructure.close();
    }
    expect(collectionsMentioning(config, purged.reviewId)).toContain(REVIEWS);
  });

  it('backs up events and read models online, keys apart, private files, manifest last', async () => {
    const result = await cli(config, ['backup', '--to', eventBackups, '--keys-to', keyBackups]);
    expect(result.err.join('\n')).toMatch(/backup complete/);
    expect(result.code).toBe(0);
    expect(result.progress.some((line) => /events\.sqlite: \d+\/\d+ Seiten \/ pages/.test(line))).toBe(true);

    const events = onlyDir(eventBackups);
    const keys = onlyDir(keyBackups);
    // A copy of the purge ledger goes with each (restore unites it with the live ledger), once it exists.
    const listed = (dir: string) =>
      fs
        .readdirSync(dir)
        .filter((name) => name !== 'purge-ledger.sqlite')
        .sort();
    expect(listed(events)).toEqual(['events.sqlite', MANIFEST_FILE, 'read-models.sqlite']);
    expect(listed(keys)).toEqual(['keys.sqlite', MANIFEST_FILE]);
    for (const dir of [events, keys]) {
      expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
      for (const name of fs.readdirSync(dir)) expect(fs.statSync(path.join(dir, name)).mode & 0o777).toBe(0o600);
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(events, MANIFEST_FILE), 'utf8'));
    expect(manifest.positions.eventsHead).toBeGreaterThan(0);
    const keyManifest = JSON.parse(fs.readFileSync(path.join(keys, MANIFEST_FILE), 'utf8'));
    // Keys live shorter than events in the backups.
    expect(keyManifest.keepUntil < manifest.keepUntil).toBe(true);
    // The master key is not in the key backup.
    expect(fs.readdirSync(keys).some((name) => /master/i.test(name))).toBe(false);
  });

  it('purges a review after the backup; the purge is recorded in the ledger before its keys go', async () => {
    const infrastructure = await openInfrastructure(config);
    const ledger = (await openPurgeLedger(config))!;
    try {
      await infrastructure.eventStore.append(
        `purge-${purged.reviewId}`,
        [
          event('ReviewPurgeStarted', {
            reviewId: purged.reviewId,
            tenant: 'jc-a',
            retentionEndedOn: '2027-03-20',
            retentionMonths: 12,
            measureIds: [purged.measureId],
            trigger: 'cli',
          }),
        ],
        { expectedRevision: 'no_stream' },
      );
      const [started] = await infrastructure.eventStore.readStream(`purge-${purged.reviewId}`);
      const reactor = purgeReactor({
        eventStore: infrastructure.eventStore,
        keyStore: infrastructure.keyStore,
        clock,
        ids: uuidV7Ids,
        rulesVersion: 'test',
        purgeLedger: ledger,
      });
      await reactor.handle(started as RecordedEvent, {
        reactor: reactor.name,
        attempt: 1,
        signal: new AbortController().signal,
      });
      expect((await infrastructure.eventStore.readStream(`purge-${purged.reviewId}`)).at(-1)?.type).toBe(
        'ReviewPurged',
      );
      expect(await ledger.list()).toEqual([
        expect.objectContaining({
          id: `review-purge:${purged.reviewId}`,
          keys: [`review:${purged.reviewId}`, `measure:${purged.measureId}`],
          streams: [`review-${purged.reviewId}`, `measure-${purged.measureId}`, `legal-hold-${purged.reviewId}`],
        }),
      ]);
      await catchUp(config, infrastructure);
    } finally {
      await ledger.close();
      await infrastructure.close();
    }
    expect(collectionsMentioning(config, purged.reviewId)).not.toContain(REVIEWS);
  });

  it('refuses to restore while the stores are open, and a backup without its manifest', async () => {
    const infrastructure = await openInfrastructure(config);
    try {
      const busy = await cli(config, ['restore', '--from', onlyDir(eventBackups)]);
      expect(busy.code).toBe(1);
      expect(busy.err.join('\n')).toMatch(/in use – stop the service/);
    } finally {
      await infrastructure.close();
    }
    const half = path.join(dirs.root, 'half');
    fs.cpSync(onlyDir(eventBackups), half, { recursive: true });
    fs.rmSync(path.join(half, MANIFEST_FILE));
    const refused = await cli(config, ['restore', '--from', half]);
    expect(refused.code).toBe(1);
    expect(refused.err.join('\n')).toMatch(/no manifest\.json – the backup did not finish/);
  });

  it('restores the pre-purge backup, keys included: the purged review stays gone, everything else is back', async () => {
    const result = await cli(config, ['restore', '--from', onlyDir(eventBackups), '--keys-from', onlyDir(keyBackups)]);
    expect(result.err.join('\n')).toMatch(/restore complete/);
    expect(result.code).toBe(0);
    // The backup held the review and the key backup its keys: the ledger's re-application destroyed both.
    expect(result.out).toContainEqual(`reapplied\treview-purge:${purged.reviewId}\tjc-a\tkeys 2\tstreams 2\trecorded`);

    const infrastructure = await openInfrastructure(config);
    try {
      const { eventStore, keyStore, envelope } = infrastructure;
      for (const streamId of [`review-${purged.reviewId}`, `measure-${purged.measureId}`]) {
        expect(await eventStore.streamInfo(streamId)).toMatchObject({ revision: null });
        expect(await eventStore.readStream(streamId)).toEqual([]);
      }
      for (const keyId of [`review:${purged.reviewId}`, `measure:${purged.measureId}`]) {
        expect(await keyStore.get(keyId)).toBeNull();
        expect(await keyStore.isDestroyed(keyId)).toBe(true);
      }
      // The purge record is back, so audits and the chain verification account for the deleted streams.
      expect((await eventStore.readStream(`purge-${purged.reviewId}`)).map((recorded) => recorded.type)).toEqual([
        'ReviewPurgeStarted',
        'ReviewSummarised',
        'ReviewPurged',
      ]);
      // Everything else is intact: the kept review's events and keys are back and open.
      const keptEvents = await eventStore.readStream(`review-${kept.reviewId}`);
      expect(keptEvents.map((recorded) => recorded.type)).toEqual(['CaseSampled', 'DefectRecorded', 'ReviewCompleted']);
      const caseRef = (keptEvents[0]!.data as { caseRef: never }).caseRef;
      expect(await envelope.openOrNull(caseRef)).toBe('123D000002');
      expect(await eventStore.streamInfo(`measure-${kept.measureId}`)).toMatchObject({ revision: 0 });
    } finally {
      await infrastructure.close();
    }
    // Read models rebuilt: the purged review is in none of the review documents, the kept one is.
    expect(collectionsMentioning(config, purged.reviewId)).not.toContain(REVIEWS);
    expect(collectionsMentioning(config, kept.reviewId)).toContain(REVIEWS);
    // The HMAC chains and seals verify (the sealed, deleted review and measure streams counted as purged,
    // not missing).
    const verified = await cli(config, ['verify-chain']);
    expect(verified.out).toEqual([]);
    expect(verified.err.join('\n')).toMatch(
      /2 nach Aufbewahrungsfrist gelöscht \/ purged after retention: keine Befunde \/ clean/,
    );
    expect(verified.code).toBe(0);
    // Physically: nothing destroyed is readable.
    const storage = await cli(config, ['storage']);
    expect(storage.err.join('\n')).toMatch(/nothing destroyed is readable any more/);
    expect(storage.code).toBe(0);
  });

  it('a second restore run is a no-op on what is done (idempotent)', async () => {
    const again = await cli(config, ['restore', '--reapply-only']);
    expect(again.code).toBe(0);
    expect(again.out.filter((line) => line.startsWith('reapplied'))).toEqual([]);
  });
});

describe('backup while writes run (embedded): the copy is one consistent snapshot', () => {
  const dirs = temporaryDirectories();
  const config = testConfig(dirs);
  const backups = path.join(dirs.root, 'backups');
  afterAll(() => dirs.remove());

  it('restores and verifies a backup taken during a stream of appends', async () => {
    const infrastructure = await openInfrastructure(config);
    const { eventStore } = infrastructure;
    const revisions = new Map<string, number>();
    const appendOne = async (index: number): Promise<void> => {
      const streamId = `risk-${index % 50}`;
      const revision = revisions.get(streamId);
      await eventStore.append(
        streamId,
        [event('RiskNoted', { index, padding: 'x'.repeat(400) }), event('RiskNoted', { index, second: true })],
        { expectedRevision: revision ?? 'no_stream' },
      );
      revisions.set(streamId, (revision ?? -1) + 2);
    };
    // Enough history (about 8 MB) that the copy takes several backup steps, between which the appends run.
    for (let stream = 0; stream < 50; stream += 1) {
      const events = Array.from({ length: 300 }, (_, index) => event('RiskNoted', { index, padding: 'x'.repeat(400) }));
      await eventStore.append(`risk-${stream}`, events, { expectedRevision: 'no_stream' });
      revisions.set(`risk-${stream}`, events.length - 1);
    }

    let writing = true;
    let writtenDuringBackup = 0;
    const writer = (async () => {
      for (let index = 8000; writing; index += 1) {
        await appendOne(index);
        writtenDuringBackup += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    let backup: Captured;
    try {
      backup = await cli(config, ['backup', '--to', backups]);
    } finally {
      writing = false;
      await writer;
    }
    expect(backup.code).toBe(0);
    expect(writtenDuringBackup).toBeGreaterThan(0);
    expect(backup.progress.filter((line) => line.includes('events.sqlite')).length).toBeGreaterThan(1);
    const finalHead = await eventStore.headPosition();
    await infrastructure.close();

    const dir = onlyDir(backups);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8'));
    expect(manifest.positions.eventsHead).toBeLessThan(finalHead);
    const restored = await cli(config, ['restore', '--from', dir]);
    expect(restored.code).toBe(0);
    const reopened = await openInfrastructure(config, { readOnlyEvents: true });
    try {
      // Every stream ends where its last event is, and every chain verifies: no half-copied append.
      expect(await reopened.eventStore.headPosition()).toBe(manifest.positions.eventsHead);
      for (let stream = 0; stream < 50; stream += 1) {
        const events = await reopened.eventStore.readStream(`risk-${stream}`);
        expect(events.map((recorded) => recorded.revision)).toEqual(events.map((_, index) => index));
        expect((await reopened.eventStore.streamInfo(`risk-${stream}`)).revision).toBe(events.length - 1);
      }
    } finally {
      await reopened.close();
    }
    const verified = await cli(config, ['verify-chain']);
    expect(verified.out).toEqual([]);
    expect(verified.code).toBe(0);
  }, 120_000);
});

describe('restore with a key backup older than the event backup', () => {
  const dirs = temporaryDirectories();
  const config = testConfig(dirs);
  afterAll(() => dirs.remove());

  it('names the reviews whose key the key backup lacks and exits 1', async () => {
    let early: { reviewId: string };
    let late: { reviewId: string };
    let infrastructure = await openInfrastructure(config);
    try {
      early = await completedReview(infrastructure, '123D000011');
    } finally {
      await infrastructure.close();
    }
    expect((await cli(config, ['backup-keys', '--to', path.join(dirs.root, 'key-backups')])).code).toBe(0);
    infrastructure = await openInfrastructure(config);
    try {
      late = await completedReview(infrastructure, '123D000012');
    } finally {
      await infrastructure.close();
    }
    expect((await cli(config, ['backup', '--to', path.join(dirs.root, 'backups')])).code).toBe(0);

    const result = await cli(config, [
      'restore',
      '--from',
      onlyDir(path.join(dirs.root, 'backups')),
      '--keys-from',
      onlyDir(path.join(dirs.root, 'key-backups')),
    ]);
    expect(result.out).toEqual([`no-key\treview-${late.reviewId}`]);
    expect(result.out.join('\n')).not.toContain(early.reviewId);
    expect(result.err.join('\n')).toMatch(/the key backup is older than the events/);
    expect(result.code).toBe(1);
  });
});

describe('restore with a key backup of another master key', () => {
  const dirs = temporaryDirectories();
  const other = temporaryDirectories();
  const config = testConfig(dirs);
  const otherConfig = testConfig(other);
  afterAll(() => {
    dirs.remove();
    other.remove();
  });

  it('is refused before anything is replaced', async () => {
    for (const each of [config, otherConfig]) {
      const infrastructure = await openInfrastructure(each);
      try {
        await completedReview(infrastructure, '123D000021');
      } finally {
        await infrastructure.close();
      }
    }
    expect((await cli(config, ['backup', '--to', path.join(dirs.root, 'backups')])).code).toBe(0);
    expect((await cli(otherConfig, ['backup-keys', '--to', path.join(other.root, 'key-backups')])).code).toBe(0);
    const keysBefore = fs.readFileSync(embeddedFiles(config).keys);

    const result = await cli(config, [
      'restore',
      '--from',
      onlyDir(path.join(dirs.root, 'backups')),
      '--keys-from',
      onlyDir(path.join(other.root, 'key-backups')),
    ]);
    expect(result.err.join('\n')).toMatch(/the key backup does not match the master key/);
    expect(result.code).toBe(1);
    expect(fs.readFileSync(embeddedFiles(config).keys).equals(keysBefore)).toBe(true);
    expect(fs.readdirSync(config.keyDir).filter((name) => name.startsWith('.restore-check'))).toEqual([]);
  });
});
