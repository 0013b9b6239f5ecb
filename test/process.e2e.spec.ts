import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Role } from '@pruefpfad/domain';
import { temporaryDirectories, testConfig, tokenFor } from './support/test-app.js';

/**
 * The built service as `npm start` runs it: compiled output, projections in a worker thread, the CLI
 * minting a development token. An acknowledged command must survive `kill -9`, and SIGTERM must shut
 * down cleanly (stores closed).
 */
const root = path.resolve(import.meta.dirname, '..');
const node = process.execPath;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('the built service (npm start)', () => {
  const dirs = temporaryDirectories();
  let port: number;
  let env: NodeJS.ProcessEnv;
  let child: ChildProcess | null = null;
  let output = '';

  const base = () => `http://127.0.0.1:${port}`;

  async function start(): Promise<void> {
    output = '';
    child = spawn(node, ['dist/apps/api/src/main.js'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // Condition, not a sleep: poll /health until it answers, bounded by the test timeout.
    for (;;) {
      if (child.exitCode !== null) throw new Error(`service exited early:\n${output}`);
      try {
        const response = await fetch(`${base()}/health`);
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  function exited(process: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return process.exitCode !== null || process.signalCode !== null
      ? Promise.resolve({ code: process.exitCode, signal: process.signalCode })
      : new Promise((resolve) => process.once('exit', (code, signal) => resolve({ code, signal })));
  }

  beforeAll(async () => {
    // `npm run build`, step by step: compile, then link the workspace packages into the compiled tree.
    for (const step of [
      ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'],
      ['scripts/link-built-packages.mjs'],
    ]) {
      const build = spawnSync(node, step, { cwd: root, encoding: 'utf8' });
      if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
    }
    port = await freePort();
    env = {
      PATH: process.env.PATH,
      PRUEFPFAD_DATA_DIR: dirs.dataDir,
      PRUEFPFAD_KEY_DIR: dirs.keyDir,
      PORT: String(port),
      LOG_LEVEL: 'info',
    };
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await exited(child);
    }
    dirs.remove();
  });

  it('listens, keeps an acknowledged command across kill -9, and shuts down cleanly on SIGTERM', async () => {
    await start();
    const health = (await (await fetch(`${base()}/health`)).json()) as {
      status: string;
      projections: { state: string }[];
    };
    expect(health.status).toBe('up');

    const minted = spawnSync(
      node,
      [
        'dist/apps/cli/src/main.js',
        'token',
        '--role',
        'area_head',
        '--tenant',
        'jc-demo',
        '--unit',
        'markt-integration',
      ],
      { cwd: root, env, encoding: 'utf8' },
    );
    expect(minted.status).toBe(0);
    const token = minted.stdout.trim();
    expect(token.split('.')).toHaveLength(3);

    const created = await fetch(`${base()}/api/v1/programmes`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        settings: {
          title: 'Checkliste laufende Fälle',
          areaId: 'markt-integration',
          customerProcess: 'leistung-laufend',
        },
        reason: 'Einführung',
      }),
    });
    expect(created.status).toBe(201);
    const { id, position } = (await created.json()) as { id: string; position: number };

    // Read-your-writes through the projection worker thread.
    const read = await fetch(`${base()}/api/v1/programmes/${id}`, {
      headers: { Authorization: `Bearer ${token}`, 'X-Min-Position': String(position) },
    });
    expect(read.status).toBe(200);

    child!.kill('SIGKILL');
    await exited(child!);
    await start();
    const afterCrash = await fetch(`${base()}/api/v1/programmes/${id}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(afterCrash.status).toBe(200);
    expect(((await afterCrash.json()) as { settings: { title: string } }).settings.title).toBe(
      'Checkliste laufende Fälle',
    );

    child!.kill('SIGTERM');
    // Nest re-raises the signal after its shutdown hooks ran, so the process ends by SIGTERM, after closing.
    const end = await exited(child!);
    expect(end.code === 0 || end.signal === 'SIGTERM').toBe(true);
    expect(output).toContain('stores closed');
  }, 120_000);

  it('refuses a bad configuration with a clear message naming the variable', () => {
    const result = spawnSync(node, ['dist/apps/api/src/main.js'], {
      cwd: root,
      env: { ...env, PORT: 'achtzig', MONGODB_URI: 'mongodb://localhost' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('PORT="achtzig"');
    expect(result.stderr).toContain('KURRENTDB_CONNECTION_STRING');
  });

  it('refuses to run on a Node older than 24 where one is installed', () => {
    const candidates = ['/usr/bin/node', '/usr/local/bin/node'].filter((candidate) => fs.existsSync(candidate));
    const older = candidates.find((candidate) => {
      const version = spawnSync(candidate, ['--version'], { encoding: 'utf8' }).stdout.trim();
      return Number(version.replace(/^v/, '').split('.')[0]) < 24;
    });
    // The guard's message itself is unit-tested (require-node.unit.spec.ts); this checks the real entry point.
    if (older === undefined) return;
    const result = spawnSync(older, ['dist/apps/api/src/main.js'], { cwd: root, env, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Node.js 24');
  });

  /**
   * Issue 9, items 2 and 3, where they happened: the built service, projections on their own thread, so
   * read models trail every write. A population imported right after its programme was defined, and a
   * draw right after the programme was revised, must decide on the latest write every time.
   */
  it('imports right after a programme is defined and draws with settings revised a moment before, every time', async () => {
    await start();
    const config = testConfig(dirs);
    const token = (roles: Role[], units: string[], subject: string) =>
      tokenFor(config, { roles, tenant: 'jc-rennen', units, subject });
    const management = await token(['management'], [], 'gf-1');
    const areaHead = await token(['area_head'], ['mi'], 'bl-1');
    const call = async (method: string, url: string, who: string, body?: unknown, type = 'application/json') => {
      const response = await fetch(`${base()}${url}`, {
        method,
        headers: { Authorization: `Bearer ${who}`, 'Content-Type': type },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const team = (id: string) => ({
      id,
      name: id,
      process: 'allgemeine-vermittlung',
      lead: { subject: `tl-${id}`, name: `Leitung ${id}` },
    });
    const organisation = await call('PUT', '/api/v1/organisation', management, {
      areas: [{ id: 'mi', name: 'Markt & Integration', teams: [team('team-1'), team('team-2')] }],
    });
    expect(organisation.status).toBeLessThan(300);
    const questionnaire = await call('POST', '/api/v1/questionnaires', areaHead, {
      catalogue: 'verlaufsbezogene-kundenbetrachtung',
      validFrom: '2020-01-01',
    });
    expect(questionnaire.status).toBe(201);
    // Drawing is allowed for the current month (Europe/Berlin) whatever day the suite runs.
    const month = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' }).format(new Date()).slice(0, 7);
    const csv = (race: number) =>
      [
        'caseReference;customerGroup;team;process;needs16a',
        ...['team-1', 'team-2'].flatMap((teamId) =>
          Array.from(
            { length: 15 },
            (_, i) => `R${race}-${teamId}-${i};${['u25', 'ue25'][i % 2]};${teamId};allgemeine-vermittlung;nein`,
          ),
        ),
      ].join('\n');
    const outcomes: string[] = [];
    for (let race = 0; race < 15; race += 1) {
      const defined = await call('POST', '/api/v1/programmes', areaHead, {
        settings: {
          title: `VKB ${race}`,
          areaId: 'mi',
          customerProcess: 'allgemeine-vermittlung',
          questionnaireId: questionnaire.body.id,
          minimumCasesPerTeamLead: 10,
        },
        reason: 'Einführung',
      });
      expect(defined.status).toBe(201);
      const id = defined.body.id as string;
      const imported = await call(
        'POST',
        `/api/v1/programmes/${id}/populations?month=${month}`,
        areaHead,
        csv(race),
        'text/csv',
      );
      const revised = await call('POST', `/api/v1/programmes/${id}/revisions`, areaHead, {
        changes: { minimumCasesPerTeamLead: 3 },
        reason: 'Risikobewertung',
        staffCouncil: { date: '2020-01-01', outcome: 'agreed' },
      });
      const drawn = await call('POST', `/api/v1/programmes/${id}/samples`, areaHead, { month });
      const cases = (drawn.body.samples as { cases: number }[] | undefined)?.map((sample) => sample.cases);
      outcomes.push(
        `import ${imported.status}, revise ${revised.status}, draw ${drawn.status} ${JSON.stringify(cases)}`,
      );
    }
    expect(outcomes).toEqual(Array.from({ length: 15 }, () => 'import 201, revise 200, draw 201 [3,3]'));
    child!.kill('SIGTERM');
    await exited(child!);
  }, 120_000);
});
