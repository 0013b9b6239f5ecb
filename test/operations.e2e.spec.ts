import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DEFAULT_READ_MODEL_RULES } from '@pruefpfad/application';
import type { OperatorProjectionView, RunningProjections } from '@pruefpfad/composition';
import type { ReviewEvent } from '@pruefpfad/domain';
import type { EventStore } from '@pruefpfad/event-store';
import type { Envelope } from '@pruefpfad/privacy';
import { LEASE_COLLECTION, type ProjectionStatus, TEAM_FIGURES_CODE_VERSION } from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import type { Runtime } from '../apps/api/src/runtime/runtime.js';
import { DOCUMENT_STORE, ENVELOPE, EVENT_STORE, RUNTIME } from '../apps/api/src/runtime/tokens.js';
import { runCli } from '../apps/cli/src/run-cli.js';
import {
  expectAuthorizationMatrix,
  mintTokens,
  organisationFacts,
  projected,
  reviewFacts,
  seed,
  unitDefined,
} from './support/scenario-setup.js';
import { startTestApp, temporaryDirectories, testConfig } from './support/test-app.js';

/**
 * The operator endpoints over HTTP on the embedded stores: list and status of every read model,
 * rebuilds in the background with progress, the atomic switch with the old collection kept until
 * confirmed, refusal of a second rebuild, and the operator's technical scope (no case data).
 */
const TENANT = 'jc-a';
const CASE_REFERENCE = 'BG-4711-KLARTEXT';
const REVIEWS = 8;
/** Enough events that a rebuild spans several batches. */
const DISCUSSIONS_PER_REVIEW = 2_000;

describe('operator endpoints for projections (embedded)', () => {
  const dirs = temporaryDirectories();
  const config = testConfig(dirs);
  let app: INestApplication;
  let documents: DocumentStore;
  let projections: RunningProjections;
  let tokens: Record<'operator' | 'management' | 'auditor', string>;
  const auth = (token: string): string => `Bearer ${token}`;
  const http = () => request(app.getHttpServer());
  const getView = async (name: string): Promise<OperatorProjectionView> => {
    const response = await http()
      .get(`/api/v1/operations/projections/${name}`)
      .set('Authorization', auth(tokens.operator));
    expect(response.status).toBe(200);
    return response.body as OperatorProjectionView;
  };
  /** Polls (bounded) until `until` holds for the view; returns every view seen. */
  const watch = async (
    name: string,
    until: (view: OperatorProjectionView) => boolean,
  ): Promise<OperatorProjectionView[]> => {
    const seen: OperatorProjectionView[] = [];
    const deadline = Date.now() + 60_000;
    for (;;) {
      const view = await getView(name);
      seen.push(view);
      if (until(view)) return seen;
      if (Date.now() > deadline) throw new Error(`${name}: condition not reached; last view ${JSON.stringify(view)}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const sortedDocs = async (collection: string) =>
    (await documents.find(collection)).sort((a, b) => a._id.localeCompare(b._id));

  beforeAll(async () => {
    app = await startTestApp(config);
    documents = app.get<DocumentStore>(DOCUMENT_STORE, { strict: false });
    projections = app.get<Runtime>(RUNTIME, { strict: false }).projections as RunningProjections;
    const envelope = app.get<Envelope>(ENVELOPE, { strict: false });
    tokens = await mintTokens(config, {
      operator: { roles: ['operator'], tenant: 'betrieb', subject: 'op-1' },
      management: { roles: ['management'], tenant: TENANT, subject: 'gf-1' },
      auditor: { roles: ['auditor'], tenant: TENANT, subject: 'pr-1' },
    });
    await seed(app, organisationFacts, TENANT, [
      unitDefined('mi', 'area', null),
      unitDefined('team-1', 'team', 'mi'),
    ] as never);
    let position = 0;
    for (let index = 0; index < REVIEWS; index += 1) {
      const reviewId = `r-${index}`;
      const events: ReviewEvent[] = [
        {
          type: 'CaseSampled',
          data: {
            reviewId,
            sampleId: 's-1',
            programmeId: 'p-1',
            areaId: 'mi',
            teamId: 'team-1',
            month: '2026-01',
            casePseudonym: await envelope.seal(`review:${reviewId}`, `pseudo-${index}`),
            caseRef: await envelope.seal(`review:${reviewId}`, `${CASE_REFERENCE}-${index}`),
            customerGroup: 'u25',
            questionnaireId: 'q-1',
            questionnaireVersion: 1,
            deadline: '2026-01-31',
            origin: { kind: 'draw', replaces: null },
          },
        },
        ...Array.from({ length: DISCUSSIONS_PER_REVIEW }, (): ReviewEvent => ({
          type: 'TeamDiscussionHeld',
          data: { reviewId, date: '2026-01-20', notes: null },
        })),
      ];
      position = await seed(app, reviewFacts, reviewId, events as never);
    }
    await projected(app, 'team-figures', position);
    await projected(app, 'reviews', position);
  }, 240_000);

  afterAll(async () => {
    await app?.close();
    dirs.remove();
  });

  it('lists every read model of the catalogue with version, serving collection and state, and no case data', async () => {
    const response = await http().get('/api/v1/operations/projections').set('Authorization', auth(tokens.operator));
    expect(response.status).toBe(200);
    const views = response.body.projections as OperatorProjectionView[];
    expect(views.map((view) => view.name)).toEqual(projections.definitions.map((definition) => definition.name));
    for (const view of views) {
      const definition = projections.definitions.find((candidate) => candidate.name === view.name)!;
      expect(view).toMatchObject({ version: definition.version, serving: `${view.name}_v${definition.version}` });
      expect(['live', 'catching-up']).toContain(view.state);
    }
    expect(views.find((view) => view.name === 'team-figures')!.rules).toEqual({
      version: DEFAULT_READ_MODEL_RULES.version,
      codeVersion: TEAM_FIGURES_CODE_VERSION,
    });
    expect(views.find((view) => view.name === 'reviews')!.rules).toBeNull();
    const text = JSON.stringify(response.body);
    expect(text).not.toContain(CASE_REFERENCE);
    expect(text).not.toContain('$sealed');
    expect(text).not.toContain('pseudo-');
  });

  it('shows one read model; an unknown name is 404', async () => {
    const view = await getView('reviews');
    // The record of the build at start (nothing served before it).
    expect(view).toMatchObject({
      name: 'reviews',
      state: 'live',
      lag: 0,
      rebuild: null,
      buildingElsewhere: null,
      lastRebuild: { state: 'switched', target: 'reviews_v1', previous: null, retained: [], resumable: false },
      lastRun: null,
    });
    const unknown = await http()
      .get('/api/v1/operations/projections/no-such-model')
      .set('Authorization', auth(tokens.operator));
    expect(unknown.status).toBe(404);
    const rebuildUnknown = await http()
      .post('/api/v1/operations/projections/no-such-model/rebuild')
      .set('Authorization', auth(tokens.operator))
      .send({});
    expect(rebuildUnknown.status).toBe(404);
  });

  it('rebuilds in the background with progress, switches atomically, keeps the old collection until confirmed', async () => {
    const before = await sortedDocs(
      'team-figures_v' + String(projections.definitions.find((d) => d.name === 'team-figures')!.version),
    );
    const old = (await getView('team-figures')).serving!;
    const statuses: ProjectionStatus[] = [];
    const viewsDuring: Promise<OperatorProjectionView>[] = [];
    const stopListening = projections.host!.onStatus((status) => {
      if (status.name !== 'team-figures' || status.rebuild === null) return;
      statuses.push(status);
      // In-process the rebuild does not yield to HTTP between batches (the built app runs it in the
      // worker thread, whose progress GET reads): ask the same operator port the controller answers from.
      viewsDuring.push(projections.operations.get('team-figures'));
    });
    const started = await http()
      .post('/api/v1/operations/projections/team-figures/rebuild')
      .set('Authorization', auth(tokens.operator))
      .send({});
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ projection: 'team-figures', resumes: null, dropOld: false });

    const views = await watch('team-figures', (view) => view.lastRun !== null);
    stopListening();
    const target = `${old}_r1`;
    // Progress as the operator reads it while the rebuild runs; the old collection serves meanwhile.
    const during = [...views, ...(await Promise.all(viewsDuring))].filter((view) => view.rebuild !== null);
    expect(during.length).toBeGreaterThan(0);
    for (const view of during) {
      expect(view.serving).toBe(old);
      expect(view.rebuild).toEqual({
        target,
        eventsDone: expect.any(Number),
        eventsPerSecond: expect.any(Number),
        etaSeconds: expect.anything(),
        percent: expect.any(Number),
        position: expect.any(Number),
        startPosition: 0,
        headPosition: expect.any(Number),
        elapsedMs: expect.any(Number),
      });
    }
    expect(statuses.length).toBeGreaterThan(1);
    expect(statuses.map((status) => status.rebuild!.eventsDone)).toEqual(
      [...statuses.map((status) => status.rebuild!.eventsDone)].sort((a, b) => a - b),
    );

    const after = views.at(-1)!;
    expect(after).toMatchObject({
      serving: target,
      rebuild: null,
      lastRebuild: { state: 'switched', target, previous: old, retained: [old], resumable: false },
      lastRun: { ok: true, target, resumedFrom: 0, dropped: [], error: null },
    });
    expect(after.lastRun!.eventsDone).toBeGreaterThanOrEqual(REVIEWS * (DISCUSSIONS_PER_REVIEW + 1));
    expect(await sortedDocs(target)).toEqual(before);
    expect(await documents.listCollections()).toEqual(expect.arrayContaining([old, target]));

    const confirmed = await http()
      .post('/api/v1/operations/projections/team-figures/rebuild/confirm')
      .set('Authorization', auth(tokens.operator));
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ projection: 'team-figures', dropped: [old] });
    expect(await documents.listCollections()).not.toContain(old);
    expect(await getView('team-figures')).toMatchObject({
      serving: target,
      lastRebuild: { state: 'confirmed', retained: [] },
    });
    const again = await http()
      .post('/api/v1/operations/projections/team-figures/rebuild/confirm')
      .set('Authorization', auth(tokens.operator));
    expect(again.body).toEqual({ projection: 'team-figures', dropped: [] });
  });

  /**
   * Holds every subscription opened from now on before its first batch, until the returned release is
   * called: a rebuild started meanwhile is then certainly still running (it no longer waits for a lease
   * settle time, so a small one would otherwise end before the next request arrives).
   */
  function holdNewSubscriptions(): () => void {
    const eventStore = app.get<EventStore>(EVENT_STORE);
    const subscribe = eventStore.subscribeToAll.bind(eventStore);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    eventStore.subscribeToAll = (options) => {
      const inner = subscribe(options);
      return {
        close: () => inner.close(),
        [Symbol.asyncIterator]() {
          const iterator = inner[Symbol.asyncIterator]();
          let first = true;
          return {
            next: async () => {
              if (first) await held;
              first = false;
              return iterator.next();
            },
            return: async () => (await iterator.return?.()) ?? { done: true, value: undefined },
          };
        },
      };
    };
    return () => {
      eventStore.subscribeToAll = subscribe;
      release();
    };
  }

  it('refuses a second rebuild of the same read model while one runs, here or in another process (409)', async () => {
    const release = holdNewSubscriptions();
    const first = await http()
      .post('/api/v1/operations/projections/reviews/rebuild')
      .set('Authorization', auth(tokens.operator))
      .send({ dropOld: true });
    expect(first.status).toBe(202);
    const second = await http()
      .post('/api/v1/operations/projections/reviews/rebuild')
      .set('Authorization', auth(tokens.operator))
      .send({});
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'REBUILD_IN_PROGRESS', status: 409 });
    const confirmMeanwhile = await http()
      .post('/api/v1/operations/projections/reviews/rebuild/confirm')
      .set('Authorization', auth(tokens.operator));
    expect(confirmMeanwhile.status).toBe(409);
    release();
    const done = await watch('reviews', (view) => view.lastRun !== null);
    expect(done.at(-1)).toMatchObject({
      serving: 'reviews_v1_r1',
      lastRun: { ok: true, dropped: ['reviews_v1'] },
      lastRebuild: { state: 'confirmed', retained: [] },
    });

    // Another process (the CLI, another node) holds the rebuild lease of `programmes`.
    await documents.put(LEASE_COLLECTION, {
      _id: 'rebuild:programmes',
      owner: 'cli:4242:elsewhere',
      expiresAt: Date.now() + 60_000,
      acquiredAt: new Date().toISOString(),
      renewedAt: new Date().toISOString(),
    });
    try {
      const refused = await http()
        .post('/api/v1/operations/projections/programmes/rebuild')
        .set('Authorization', auth(tokens.operator))
        .send({});
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toContain('cli:4242:elsewhere');
      expect((await getView('programmes')).buildingElsewhere).toMatchObject({ owner: 'cli:4242:elsewhere' });
    } finally {
      await documents.delete(LEASE_COLLECTION, 'rebuild:programmes');
    }
    expect((await getView('programmes')).buildingElsewhere).toBeNull();
  });

  it('validates the body (400 with the field) and keeps the operator away from case data', async () => {
    const invalid = await http()
      .post('/api/v1/operations/projections/programmes/rebuild')
      .set('Authorization', auth(tokens.operator))
      .send({ fresh: 'yes', colour: 'red' });
    expect(invalid.status).toBe(400);
    expect((invalid.body.errors as { field: string }[]).map((error) => error.field).sort()).toEqual([
      'colour',
      'fresh',
    ]);

    for (const path of [
      '/api/v1/reviews/01900000-0000-7000-8000-000000000000',
      '/api/v1/teams/team-1/worklist',
      '/api/v1/dashboards/management',
    ]) {
      const response = await http().get(path).set('Authorization', auth(tokens.operator));
      expect({ path, status: response.status, body: response.body }).toMatchObject({ path, status: 403 });
    }
    // Case-data roles do not reach the operator endpoints.
    for (const token of [tokens.management, tokens.auditor]) {
      expect((await http().get('/api/v1/operations/projections').set('Authorization', auth(token))).status).toBe(403);
      expect(
        (await http().post('/api/v1/operations/projections/reviews/rebuild').set('Authorization', auth(token)).send({}))
          .status,
      ).toBe(403);
    }
    expect((await http().get('/api/v1/operations/projections')).status).toBe(401);
  });

  describe('npm run cli -- projections', () => {
    const cli = async (args: string[], env: Record<string, string> = {}) => {
      const io = { out: [] as string[], err: [] as string[], progress: [] as string[] };
      const code = await runCli(
        ['projections', ...args],
        {
          out: (line) => io.out.push(line),
          err: (line) => io.err.push(line),
          progress: (line) => io.progress.push(line),
        },
        {
          PRUEFPFAD_ENV: 'test',
          PRUEFPFAD_DATA_DIR: dirs.dataDir,
          PRUEFPFAD_KEY_DIR: dirs.keyDir,
          PORT: '1',
          ...env,
        },
      );
      return { code, ...io };
    };

    it('rebuilds locally when no API answers, with a progress bar, beside the running runner (leases guard)', async () => {
      // PORT=1: nothing answers there.
      const result = await cli(['rebuild', 'measures']);
      expect(result.err[0]).toBe(
        'Keine API erreichbar: lokal auf den Speichern / no API reachable: locally on the stores',
      );
      expect(result.code).toBe(0);
      expect(result.progress.at(-1)).toMatch(
        /^\[█{24}\] 100\.0 % {2}\d+ Ereignisse\/events {2}\d+\/s {2}Rest\/ETA 0:00 {2}→ measures_v1_r1$/,
      );
      expect(result.out.join('\n')).toMatch(/measures --confirm/);
      // The app's runner follows the alias the CLI switched.
      expect((await getView('measures')).serving).toBe('measures_v1_r1');

      const listed = await cli(['list', '--local', '--json']);
      expect(listed.code).toBe(0);
      const views = JSON.parse(listed.out.join('')) as OperatorProjectionView[];
      expect(views.find((view) => view.name === 'measures')).toMatchObject({
        serving: 'measures_v1_r1',
        lastRebuild: { retained: ['measures_v1'] },
      });
      const confirmed = await cli(['rebuild', 'measures', '--confirm', '--local']);
      expect(confirmed).toMatchObject({ code: 0, out: ['measures: gelöscht / dropped measures_v1'] });
    });

    it('asks the running API when it answers (operator token minted from the local secret)', async () => {
      const server = app.getHttpServer() as Server;
      if (!server.listening) await app.listen(0, '127.0.0.1');
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const status = await cli(['status', 'organisation-units', '--api', url]);
      expect(status.code).toBe(0);
      expect(status.err[0]).toBe(`Über die laufende API / through the running API: ${url}`);
      expect(status.out[0]).toMatch(/^organisation-units {2}version 1$/);
      const rebuilt = await cli(['rebuild', 'organisation-units', '--drop-old', '--api', url]);
      expect(rebuilt.code).toBe(0);
      expect(rebuilt.out.join('\n')).toMatch(/gelöscht \/ dropped organisation-units_v1/);
      expect((await getView('organisation-units')).serving).toBe('organisation-units_v1_r1');
      const refused = await cli(['rebuild', 'no-such-model', '--api', url]);
      expect(refused.code).toBe(1);
      expect(refused.err.at(-1)).toMatch(/HTTP 404/);
    });

    it('refuses wrong usage with exit code 2', async () => {
      expect((await cli(['frobnicate'])).code).toBe(2);
      expect((await cli(['rebuild'])).code).toBe(2);
      expect((await cli(['rebuild', 'reviews', '--confirm', '--fresh'])).code).toBe(2);
    });
  });

  it('passes the role × action matrix for every route', async () => {
    await expectAuthorizationMatrix(app, config, { tenant: TENANT, units: ['team-1'] });
  }, 120_000);
});
