import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { loadConfig } from '@pruefpfad/application';
import { openInfrastructure, openPurgeLedger, type StorageReport } from '@pruefpfad/composition';
import type { CliIo } from '../cli-io.js';
import { runCli } from '../run-cli.js';

/**
 * `storage` tells what of the destroyed data is still physically present, judged against the purge
 * ledger; `scavenge` has nothing to do on the embedded store and reaches KurrentDB's Operations service in
 * server mode.
 */
describe('storage and scavenge (CLI)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-storage-'));
  const env = {
    PRUEFPFAD_ENV: 'test',
    PRUEFPFAD_DATA_DIR: path.join(root, 'data'),
    PRUEFPFAD_KEY_DIR: path.join(root, 'keys'),
  };
  const config = loadConfig(env);

  const run = async (args: string[], environment: Record<string, string> = env) => {
    const io = { out: [] as string[], err: [] as string[] };
    const cliIo: CliIo = { out: (line) => io.out.push(line), err: (line) => io.err.push(line), progress: () => {} };
    return { code: await runCli(args, cliIo, environment), ...io };
  };

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('lists a purge the ledger names whose stream and key are still there, and nothing once re-applied', async () => {
    const reviewId = uuidv7();
    const infrastructure = await openInfrastructure(config);
    const ledger = (await openPurgeLedger(config))!;
    try {
      const caseRef = await infrastructure.envelope.seal(`review:${reviewId}`, '123D000042');
      await infrastructure.eventStore.append(
        `review-${reviewId}`,
        [
          {
            id: uuidv7(),
            type: 'CaseSampled',
            schemaVersion: 1,
            data: { reviewId, caseRef },
            metadata: {
              occurredAt: '2026-03-02T08:00:00.000Z',
              actor: { userId: 'tl-1', role: 'team_lead' },
              tenant: 'jc-a',
              correlationId: 'c',
              causationId: null,
              rulesVersion: 'test',
            },
          },
        ],
        { expectedRevision: 'no_stream' },
      );
      // A purge that was recorded and then interrupted before its first destroy.
      await ledger.record({
        id: `review-purge:${reviewId}`,
        kind: 'review-purge',
        tenant: 'jc-a',
        subjectId: reviewId,
        keys: [`review:${reviewId}`],
        streams: [`review-${reviewId}`],
        record: {
          reviewId,
          tenant: 'jc-a',
          retentionEndedOn: '2027-03-20',
          retentionMonths: 12,
          measureIds: [],
          trigger: 'cli',
        },
        recordedAt: '2027-06-01T03:00:00.000Z',
      });
    } finally {
      await ledger.close();
      await infrastructure.close();
    }

    const before = await run(['storage']);
    expect(before.code).toBe(1);
    expect(before.out).toContain(`stream-exists\treview-${reviewId}`);
    expect(before.out).toContain(`key-present\treview:${reviewId}`);
    expect(before.out.some((line) => line.startsWith('Datei / file events'))).toBe(true);

    expect((await run(['restore', '--reapply-only'])).code).toBe(0);
    const after = await run(['speicher', '--json']);
    expect(after.code).toBe(0);
    const report = JSON.parse(after.out[0]!) as StorageReport;
    expect(report.purgedStreams).toMatchObject({ total: 1, stillExisting: [], stillReadable: [] });
    expect(report.keys).toMatchObject({ total: 1, destroyed: 1, stillPresent: [], withoutTombstone: [] });
    // The purge's deletion truncated the event store's WAL: no old page image is left there.
    expect(report.files.find((file) => file.role === 'events')?.walBytes).toBe(0);
  });

  it('scavenge: nothing to do on the embedded store', async () => {
    const result = await run(['scavenge']);
    expect(result.code).toBe(0);
    expect(result.err.join('\n')).toMatch(/Embedded mode needs no scavenge/);
  });

  it('scavenge in server mode calls KurrentDB’s Operations service (here: no server answers)', async () => {
    const result = await run(['scavenge', '--threads', '2'], {
      ...env,
      KURRENTDB_CONNECTION_STRING: 'kurrentdb://127.0.0.1:1?tls=false',
      MONGODB_URI: 'mongodb://127.0.0.1:1/?directConnection=true',
    });
    expect(result.code).toBe(1);
    expect(result.err.join('\n')).toMatch(/No connection established|ECONNREFUSED|UNAVAILABLE/);
  });
});
