import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AppConfig, loadConfig } from '@pruefpfad/application';
import { openInfrastructure, startProjections } from '@pruefpfad/composition';
import type { CliIo } from '../cli-io.js';
import { purgeCommand, ReadModelsBehindError } from './purge.command.js';

/**
 * `purge` plans from the read models the service's projections keep; the CLI runs none. Planning on read
 * models behind the store could miss a measure or an extended retention, so it refuses until they are
 * current (they are judged on the checkpoints in the read store).
 */
describe('purge (CLI): only on read models that have caught up with the store', () => {
  let root: string;
  let config: AppConfig;

  const run = async (args: string[]) => {
    const io = { out: [] as string[], err: [] as string[] };
    const cliIo: CliIo = { out: (line) => io.out.push(line), err: (line) => io.err.push(line), progress: () => {} };
    return { code: await purgeCommand(args, config, cliIo), ...io };
  };

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-purge-cli-'));
    config = loadConfig({
      PRUEFPFAD_ENV: 'test',
      PRUEFPFAD_DATA_DIR: path.join(root, 'data'),
      PRUEFPFAD_KEY_DIR: path.join(root, 'keys'),
      PRUEFPFAD_MAX_WAIT_MS: '200',
    });
    const infrastructure = await openInfrastructure(config);
    await infrastructure.eventStore.append(
      'organisation-jc-a',
      [
        {
          id: '0196d000-0000-7000-8000-000000000001',
          type: 'UnitDefined',
          schemaVersion: 1,
          data: { unitId: 'mi', kind: 'area', parentId: null, name: 'Markt und Integration', process: null },
          metadata: {
            occurredAt: '2026-03-10T09:00:00.000Z',
            actor: { userId: 'setup', role: 'management' },
            tenant: 'jc-a',
            correlationId: 'c',
            causationId: null,
            rulesVersion: 'test',
          },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    await infrastructure.close();
  });

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('refuses while the read models have not projected what is stored, and plans once they have', async () => {
    // Refused before anything is planned (the CLI answers it with exit code 1 and the message).
    await expect(run(['--dry-run'])).rejects.toThrow(ReadModelsBehindError);
    await expect(run(['--dry-run'])).rejects.toThrow(/Lesemodelle sind nicht aktuell .*\/ The read models are behind/);

    // The service's projections catch up (here in process), then stop, as a service does when it stops.
    const infrastructure = await openInfrastructure(config);
    const projections = await startProjections(config, infrastructure, undefined, { inProcess: true });
    const head = await infrastructure.eventStore.headPosition();
    expect(await projections.waitForAll(head, 20_000)).toEqual([]);
    await projections.stop();
    await infrastructure.close();

    const planned = await run(['--dry-run']);
    expect(planned.code).toBe(0);
    expect(planned.err.join('\n')).toMatch(/Probelauf .* 0 Prüfungen/);
  });
});
