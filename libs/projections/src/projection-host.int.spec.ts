import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InProcessProjectionHost, WorkerProjectionHost } from './projection-host.js';
import { ProjectionRunner } from './projection-runner.js';
import type { ProjectionStatus } from './projection-status.js';
import {
  CHAIN_KEY,
  newEvent,
  openTestStores,
  reviewsProjection,
  seedReviews,
  type TestStores,
  until,
} from './testing/projection-fixtures.js';

const repo = path.resolve(import.meta.dirname, '../../..');

/** The workspace libraries `lib` depends on, directly or not, from their package.json files. */
function dependenciesOf(lib: string, seen = new Set<string>()): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'libs', lib, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    const dependency = name.replace('@pruefpfad/', '');
    if (!seen.has(dependency)) {
      seen.add(dependency);
      dependenciesOf(dependency, seen);
    }
  }
  return [...seen];
}

/**
 * A worker thread runs plain Node, outside Jest's TypeScript transform, so it needs JavaScript. Rather
 * than trust a `dist/` that may be stale, this compiles exactly the worker's import graph (and the test
 * definitions) with tsc, transpile-only (`--noCheck`: type checking is `npm run typecheck`'s job), into a
 * temp dir that sees the project's node_modules through a symlink and the workspace packages it compiled
 * through `scripts/link-built-packages.mjs`. About 3 s on two cores.
 */
function compileWorker(outDir: string): URL {
  const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(
    process.execPath,
    [
      tsc,
      '--ignoreConfig',
      '--outDir',
      outDir,
      '--rootDir',
      repo,
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--customConditions',
      'pruefpfad-source',
      '--target',
      'es2023',
      '--skipLibCheck',
      '--noCheck',
      '--types',
      'node',
      path.join(repo, 'libs/projections/src/projection-worker.ts'),
      path.join(repo, 'libs/projections/src/testing/projection-fixtures.ts'),
      // tsc emits a package reached by name only when it is a root file of the compilation.
      ...dependenciesOf('projections').map((lib) => path.join(repo, 'libs', lib, 'src', 'index.ts')),
    ],
    { cwd: repo, stdio: 'pipe' },
  );
  fs.writeFileSync(path.join(outDir, 'package.json'), JSON.stringify({ type: 'module' }));
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(outDir, 'node_modules'), 'dir');
  // The workspace packages resolve to their compiled copies, found before the repository's links.
  execFileSync(process.execPath, [
    path.join(repo, 'scripts', 'link-built-packages.mjs'),
    outDir,
    '--partial',
    '--links',
    path.join(outDir, 'libs', 'node_modules'),
  ]);
  return pathToFileURL(path.join(outDir, 'libs/projections/src/projection-worker.js'));
}

describe('projection hosts', () => {
  let stores: TestStores;

  beforeEach(async () => {
    stores = await openTestStores();
  });

  afterEach(async () => {
    await stores.close();
  });

  it('in-process: read-your-writes through the host', async () => {
    await seedReviews(stores.eventStore, 5);
    const host = new InProcessProjectionHost(
      new ProjectionRunner({
        definitions: [reviewsProjection()],
        eventStore: stores.eventStore,
        documentStore: stores.documentStore,
        checkpointStore: stores.checkpointStore,
      }),
    ).start();
    try {
      const opened = await stores.eventStore.append(
        'review-x',
        [newEvent('ReviewOpened.v1', { reviewId: 'x', unit: 'u' })],
        {
          expectedRevision: 'no_stream',
        },
      );
      expect(await host.waitForPosition('reviews', opened.position, 10_000)).toBe(true);
      expect(await stores.documentStore.get('reviews', 'x')).toMatchObject({ status: 'open' });
      expect(host.status()[0]).toMatchObject({ name: 'reviews', collection: 'reviews_v1' });
    } finally {
      await host.stop();
    }
    expect(host.status()[0]?.state).toBe('stopped');
  });

  describe('worker thread', () => {
    let buildDir: string;
    let workerUrl: URL;

    beforeAll(() => {
      buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-'));
      workerUrl = compileWorker(path.join(buildDir, 'out'));
      fs.writeFileSync(
        path.join(buildDir, 'definitions.mjs'),
        `import { reviewsProjection } from './out/libs/projections/src/testing/projection-fixtures.js';
import { SqliteEventStore } from './out/libs/event-store/src/sqlite/sqlite-event-store.js';
import { EmbeddedReadStore } from './out/libs/read-store/src/embedded/embedded-read-store.js';
export const projections = [reviewsProjection()];
export async function openStores(config, context) {
  if (context.role !== 'projection-worker') throw new Error('unexpected role');
  const eventStore = await SqliteEventStore.open({ file: config.eventsFile, chainKey: config.chainKey, readOnly: true, pollIntervalMs: 20 });
  const readStore = EmbeddedReadStore.open({ file: config.readFile });
  return {
    eventStore,
    documentStore: readStore.documents,
    checkpointStore: readStore.checkpoints,
    close: async () => { await eventStore.close(); await readStore.close(); },
  };
}
`,
      );
      fs.writeFileSync(path.join(buildDir, 'broken.mjs'), 'export const projections = "not an array";\n');
    });

    afterAll(() => {
      fs.rmSync(buildDir, { recursive: true, force: true });
    });

    function startHost(module = 'definitions.mjs'): Promise<WorkerProjectionHost> {
      return WorkerProjectionHost.start({
        definitionsModule: pathToFileURL(path.join(buildDir, module)),
        config: {
          eventsFile: path.join(stores.dir, 'events.db'),
          readFile: path.join(stores.dir, 'read.db'),
          chainKey: CHAIN_KEY,
        },
        workerUrl,
      });
    }

    it('catches up off the main thread, answers read-your-writes, rebuilds on command and stops gracefully', async () => {
      const head = await seedReviews(stores.eventStore, 200);
      const host = await startHost();
      const statuses: ProjectionStatus[] = [];
      host.onStatus((status) => statuses.push(status));
      try {
        await until(
          () => host.status()[0]?.state === 'live' && (host.status()[0]?.position ?? 0) >= head,
          20_000,
          'worker live',
        );
        // The main thread's own read store connection sees what the worker committed.
        expect(await stores.documentStore.count('reviews')).toBe(160);

        const opened = await stores.eventStore.append(
          'review-new',
          [newEvent('ReviewOpened.v1', { reviewId: 'new', unit: 'u' })],
          {
            expectedRevision: 'no_stream',
          },
        );
        expect(await host.waitForPosition('reviews', opened.position, 10_000)).toBe(true);
        expect(await stores.documentStore.get('reviews', 'new')).toMatchObject({ status: 'open' });

        const unrelated = await stores.eventStore.append('audit-1', [newEvent('AuditSealed.v1', {})], {
          expectedRevision: 'no_stream',
        });
        expect(await host.waitForPosition('reviews', unrelated.position, 10_000)).toBe(true);
        await expect(host.waitForPosition('nope', 1, 10)).rejects.toMatchObject({ code: 'UNKNOWN_PROJECTION' });

        const rebuilt = await host.rebuild('reviews');
        expect(rebuilt).toMatchObject({ projection: 'reviews', target: 'reviews_v1_r1', previous: 'reviews_v1' });
        expect(await stores.documentStore.resolve('reviews')).toBe('reviews_v1_r1');
        expect(await stores.documentStore.count('reviews')).toBe(161);
        expect(statuses.some((status) => status.rebuild !== null)).toBe(true);
        await expect(host.rebuild('nope')).rejects.toMatchObject({ code: 'UNKNOWN_PROJECTION' });
      } finally {
        await host.stop();
      }
      expect(host.status()[0]).toMatchObject({ state: 'stopped' });
      const checkpoint = await stores.checkpointStore.load('reviews_v1_r1');
      expect(checkpoint?.position).toBe(await stores.eventStore.headPosition());

      // After stop nothing answers: a wait returns false at its bound instead of hanging.
      const late = await stores.eventStore.append(
        'review-late',
        [newEvent('ReviewOpened.v1', { reviewId: 'late', unit: 'u' })],
        {
          expectedRevision: 'no_stream',
        },
      );
      expect(await host.waitForPosition('reviews', late.position, 100)).toBe(false);
    });

    it('fails to start, with the worker error, when the definitions module is malformed', async () => {
      await expect(startHost('broken.mjs')).rejects.toThrow(/must export projections/);
    });
  });
});
