import fs from 'node:fs';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApp } from '../apps/api/src/bootstrap.js';
import type { Runtime } from '../apps/api/src/runtime/runtime.js';
import { RUNTIME } from '../apps/api/src/runtime/tokens.js';
import type { OperatorProjectionView, RunningProjections } from '@pruefpfad/composition';
import {
  readRebuildRecord,
  RebuildInterruptedError,
  rebuildProjection,
  type ReviewFactDoc,
  TEAM_FIGURES_CODE_VERSION,
} from '@pruefpfad/projections';
import type { Doc, DocumentStore } from '@pruefpfad/read-store';
import { runQuarterScenario, scenarioClock, type QuarterHarness } from './support/quarter-scenario.js';
import { temporaryDirectories, testConfig, tokenFor } from './support/test-app.js';

/**
 * Rebuilds after the quarter of the core issue (test/support/quarter-scenario.ts) on the embedded stores,
 * through the operator endpoints: every read model rebuilt equals the live-built one; a rebuild
 * interrupted half-way resumes and ends equal, while the alias kept serving the complete collection; a
 * changed dashboard rule (financial losses count as serious) plus the rebuild it causes changes exactly
 * the figures the rule affects.
 */
const TENANT = 'jc-quartal';

describe('rebuilds after a quarter of Fachaufsicht (embedded)', () => {
  const dirs = temporaryDirectories();
  const config = testConfig(dirs);
  const clock = scenarioClock('2025-12-15');
  let app: INestApplication | null = null;
  const previousRulesFile = process.env['PRUEFPFAD_RULES_FILE'];
  delete process.env['PRUEFPFAD_RULES_FILE'];

  const harness: QuarterHarness = {
    clock,
    reactorsInApp: true,
    async start() {
      app = await createApp(config, { clock, logger: false, projectionsInProcess: true });
      await app.init();
      return { app, config };
    },
    async stop() {
      const running = app;
      app = null;
      await running?.close();
    },
    dispose() {
      if (previousRulesFile === undefined) delete process.env['PRUEFPFAD_RULES_FILE'];
      else process.env['PRUEFPFAD_RULES_FILE'] = previousRulesFile;
      dirs.remove();
      return Promise.resolve();
    },
  };

  runQuarterScenario(harness);

  const current = (): INestApplication => {
    if (app === null) throw new Error('the app is not running');
    return app;
  };
  const runtime = (): Runtime => current().get<Runtime>(RUNTIME, { strict: false });
  const projections = (): RunningProjections => runtime().projections as RunningProjections;
  const documents = (): DocumentStore => runtime().infrastructure.documents;
  const sortedDocs = async (collection: string): Promise<Doc[]> =>
    (await documents().find(collection)).sort((a, b) => a._id.localeCompare(b._id));
  const operator = () => tokenFor(config, { roles: ['operator'], tenant: 'betrieb', subject: 'op-1' });
  const view = async (name: string): Promise<OperatorProjectionView> => {
    const response = await request(current().getHttpServer())
      .get(`/api/v1/operations/projections/${name}`)
      .set('Authorization', `Bearer ${await operator()}`);
    expect(response.status).toBe(200);
    return response.body as OperatorProjectionView;
  };
  const post = async (path: string, body?: object) =>
    request(current().getHttpServer())
      .post(`/api/v1/operations/projections/${path}`)
      .set('Authorization', `Bearer ${await operator()}`)
      .send(body);

  it('rebuilds every read model through the operator endpoint; each equals the live-built one', async () => {
    const names = projections().definitions.map((definition) => definition.name);
    expect(names.length).toBeGreaterThan(8);
    for (const name of names) {
      const live = (await view(name)).serving!;
      const liveDocs = await sortedDocs(live);
      const started = await post(`${name}/rebuild`, {});
      expect(started.status).toBe(202);
      const run = await projections().operations.settled(name);
      expect(run).toMatchObject({ ok: true, target: `${live}_r1`, resumedFrom: 0 });
      const after = await view(name);
      expect(after).toMatchObject({
        serving: `${live}_r1`,
        lastRebuild: { state: 'switched', previous: live, retained: [live] },
      });
      // Sorted by id, `_position` included: a rebuild folds exactly what the live runner folded.
      expect({ name, docs: await sortedDocs(`${live}_r1`) }).toEqual({ name, docs: liveDocs });
      const confirmed = await post(`${name}/rebuild/confirm`);
      expect(confirmed.body).toEqual({ projection: name, dropped: [live] });
    }
  }, 120_000);

  it('resumes an interrupted rebuild to equal documents; the alias never pointed at the half-built collection', async () => {
    const name = 'team-figures';
    const definition = projections().definitions.find((candidate) => candidate.name === name)!;
    const { eventStore, checkpoints } = runtime().infrastructure;
    const serving = (await view(name)).serving!;
    const servingDocs = await sortedDocs(serving);
    const switches: string[] = [];
    // The rebuild of another process (the CLI), interrupted after a few small batches: a kill between
    // batches leaves exactly this state (the lease then expires; an abort releases it at once).
    const store = documents();
    const watched: DocumentStore = new Proxy(store, {
      get(target, property, receiver) {
        if (property === 'switchAlias')
          return async (alias: string, physical: string) => {
            switches.push(physical);
            return target.switchAlias(alias, physical);
          };
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const abort = new AbortController();
    const aliasDuring: Promise<string>[] = [];
    await expect(
      rebuildProjection(definition, {
        eventStore,
        documentStore: watched,
        checkpointStore: checkpoints,
        batchSize: 25,
        owner: 'cli:interrupted',
        signal: abort.signal,
        onProgress: (progress) => {
          aliasDuring.push(store.resolve(name));
          if (progress.eventsDone >= 100) abort.abort();
        },
      }),
    ).rejects.toBeInstanceOf(RebuildInterruptedError);
    expect(switches).toEqual([]);
    expect(new Set(await Promise.all(aliasDuring))).toEqual(new Set([serving]));
    const record = (await readRebuildRecord(store, name))!;
    expect(record).toMatchObject({ state: 'building', version: definition.version });
    const halfway = (await checkpoints.load(record.target))!.position;
    expect(halfway).toBeGreaterThan(0);
    expect(halfway).toBeLessThan(await eventStore.headPosition());
    expect(await view(name)).toMatchObject({
      serving,
      lastRebuild: { state: 'building', target: record.target, resumable: true },
    });

    const aliasWhileResuming: Promise<string>[] = [];
    const stop = projections().host!.onStatus((status) => {
      if (status.name === name && status.rebuild !== null) aliasWhileResuming.push(store.resolve(name));
    });
    const resumed = await post(`${name}/rebuild`, {});
    expect(resumed.status).toBe(202);
    expect(resumed.body.resumes).toEqual({ target: record.target, position: halfway });
    const run = await projections().operations.settled(name);
    stop();
    expect(run).toMatchObject({ ok: true, target: record.target, resumedFrom: halfway });
    expect(new Set(await Promise.all(aliasWhileResuming))).toEqual(new Set([serving]));
    expect((await view(name)).serving).toBe(record.target);
    expect(await sortedDocs(record.target)).toEqual(servingDocs);
    expect((await post(`${name}/rebuild/confirm`)).body).toEqual({ projection: name, dropped: [serving] });
  }, 120_000);

  it('a changed dashboard rule plus the rebuild it causes changes exactly the figures the rule affects', async () => {
    const management = async (month: string) => {
      const response = await request(current().getHttpServer())
        .get(`/api/v1/dashboards/management?month=${month}`)
        .set('Authorization', `Bearer ${await tokenFor(config, { roles: ['management'], tenant: TENANT })}`);
      expect(response.status).toBe(200);
      return response.body as ManagementDashboard;
    };
    const months = ['2026-01', '2026-02', '2026-03'];
    const before = await Promise.all(months.map(management));
    const others = projections().definitions.filter((definition) => definition.name !== 'team-figures');
    const otherBefore = new Map<string, { serving: string; docs: Doc[] }>();
    for (const { name } of others) {
      const serving = (await view(name)).serving!;
      otherBefore.set(name, { serving, docs: await sortedDocs(serving) });
    }
    const oldServing = (await view('team-figures')).serving!;
    const oldFacts = await sortedDocs(oldServing);
    // The rule: a defect with a financial loss counts as serious whatever severity was recorded.
    const affected = (oldFacts as ReviewFactDoc[])
      .filter((fact) => fact.kind === 'review' && fact.tenant === TENANT && fact.status !== 'withdrawn')
      .flatMap((fact) =>
        fact.defects
          .filter((defect) => !defect.withdrawn && defect.severity === 'minor' && defect.financialLoss)
          .map((defect) => ({ month: fact.month, areaId: fact.areaId, category: defect.category })),
      );
    expect(affected.length).toBeGreaterThan(0);

    const file = path.join(dirs.root, 'rules-2026.2.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ version: '2026.2', dashboard: { seriousDefect: { financialLoss: true } } }, null, 2),
    );
    process.env['PRUEFPFAD_RULES_FILE'] = file;
    await harness.stop();
    await harness.start();

    const definition = projections().definitions.find((candidate) => candidate.name === 'team-figures')!;
    const newServing = `team-figures_v${definition.version}`;
    expect(newServing).not.toBe(oldServing);
    // The runner builds the new version beside the old one, which serves until the switch.
    const deadline = Date.now() + 60_000;
    let rebuilt = await view('team-figures');
    while (!(rebuilt.serving === newServing && rebuilt.state === 'live')) {
      expect([oldServing, newServing]).toContain(rebuilt.serving);
      if (Date.now() > deadline) throw new Error(`team-figures not rebuilt: ${JSON.stringify(rebuilt)}`);
      await new Promise((resolve) => setImmediate(resolve));
      rebuilt = await view('team-figures');
    }
    expect(rebuilt).toMatchObject({
      rules: { version: '2026.2', codeVersion: TEAM_FIGURES_CODE_VERSION },
      lastRebuild: { state: 'switched', target: newServing, previous: oldServing, retained: [oldServing] },
    });

    // The facts differ only where the rule classifies a defect differently.
    const expectedFacts = oldFacts.map((doc) =>
      doc['kind'] !== 'review'
        ? doc
        : {
            ...doc,
            defects: (doc as ReviewFactDoc).defects.map((defect) => ({
              ...defect,
              counted: defect.severity === 'serious' || defect.financialLoss ? 'serious' : 'minor',
            })),
          },
    );
    expect(await sortedDocs(newServing)).toEqual(expectedFacts);
    // No other read model was rebuilt or changed.
    for (const { name } of others) {
      const { serving, docs } = otherBefore.get(name)!;
      expect({ name, serving: (await view(name)).serving }).toEqual({ name, serving });
      expect({ name, docs: await sortedDocs(serving) }).toEqual({ name, docs });
    }

    // The dashboards: each affected defect moves from minor to serious in its month, area and total.
    const after = await Promise.all(months.map(management));
    const expected = structuredClone(before);
    for (const defect of affected) {
      const dashboard = expected[months.indexOf(defect.month)]!;
      for (const figures of [dashboard.totals, dashboard.areas.find((area) => area.areaId === defect.areaId)!]) {
        figures.seriousDefects += 1;
        figures.defects[defect.category]!.minor -= 1;
        figures.defects[defect.category]!.serious += 1;
      }
    }
    expect(after).toEqual(expected);
    expect(after).not.toEqual(before);

    expect((await post('team-figures/rebuild/confirm')).body).toEqual({
      projection: 'team-figures',
      dropped: [oldServing],
    });
  }, 180_000);
});

interface Figures {
  seriousDefects: number;
  defects: Record<string, { minor: number; serious: number }>;
}

interface ManagementDashboard {
  readonly areas: (Figures & { readonly areaId: string })[];
  readonly totals: Figures;
}
