/**
 * A population of 50,000 rows imported over HTTP into server mode (real KurrentDB 26.0 LTS and MongoDB 8.0
 * containers at their default settings; the projector's runner on its own connections, as apps/projector).
 *
 * Proves, through the API only (no internals of the import): a large import completes on a KurrentDB at its
 * default maximum append size (1 MiB), the population's summary shows all 50,000 rows once projected, and
 * a retry of the same request (same body, same Idempotency-Key, as a client sends it after a timeout)
 * does not create a second population (it answers the same one, or 409 IDEMPOTENT_REQUEST_APPLIED).
 */
import type { INestApplication } from '@nestjs/common';
import type { StartedKurrentDbContainer } from '@testcontainers/kurrentdb';
import type { StartedMongoDBContainer } from '@testcontainers/mongodb';
import request from 'supertest';
import { type AppConfig, berlinDate } from '@pruefpfad/application';
import { type Infrastructure, openInfrastructure, projections } from '@pruefpfad/composition';
import { ProjectionRunner } from '@pruefpfad/projections';
import { describeWithContainers } from './support/container-runtime.js';
import { mintTokens } from './support/scenario-setup.js';
import { mongoUri, startKurrentDb, startMongoDb } from './support/server-fixtures.js';
import { startTestApp, temporaryDirectories, testConfig } from './support/test-app.js';

const ROWS = 50_000;
const PROCESS = 'allgemeine-vermittlung';
const GROUPS = ['u25', 'ue25', 'reha', 'alleinerziehend'];

/** `ROWS` cases over two teams of area `mi`; every 10th needs § 16a services. */
function populationCsv(): string {
  const lines = ['caseReference;customerGroup;team;process;needs16a'];
  for (let i = 0; i < ROWS; i += 1) {
    const team = i % 2 === 0 ? 'team-1' : 'team-2';
    lines.push(
      `${team}-123D${String(i).padStart(6, '0')};${GROUPS[i % 4]};${team};${PROCESS};${i % 10 === 0 ? 'ja' : 'nein'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const ORGANISATION_FILE = {
  areas: [
    {
      id: 'mi',
      name: 'Markt & Integration',
      teams: [
        { id: 'team-1', name: 'Team 1', process: PROCESS, lead: { subject: 'tl-1', name: 'Erika Muster' } },
        { id: 'team-2', name: 'Team 2', process: PROCESS, lead: { subject: 'tl-2', name: 'Jana Beispiel' } },
      ],
    },
  ],
};

describeWithContainers('a 50,000-row population import over HTTP (KurrentDB + MongoDB)', () => {
  const dirs = temporaryDirectories();
  let kurrent: StartedKurrentDbContainer;
  let mongo: StartedMongoDBContainer;
  let config: AppConfig;
  let app: INestApplication;
  let projector: { infrastructure: Infrastructure; runner: ProjectionRunner };
  let tokens: Record<'management' | 'areaHead', string>;

  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    [kurrent, mongo] = await Promise.all([startKurrentDb(), startMongoDb()]);
    config = testConfig(dirs, {
      KURRENTDB_CONNECTION_STRING: kurrent.getConnectionString(),
      MONGODB_URI: mongoUri(mongo),
      MONGODB_DATABASE: 'pruefpfad_population',
    });
    app = await startTestApp(config);
    const infrastructure = await openInfrastructure(config);
    const runner = new ProjectionRunner({
      definitions: projections,
      eventStore: infrastructure.eventStore,
      documentStore: infrastructure.documents,
      checkpointStore: infrastructure.checkpoints,
      lease: {},
    });
    runner.start();
    projector = { infrastructure, runner };
    tokens = await mintTokens(config, {
      management: { roles: ['management'], tenant: 'jc-a', subject: 'gf-a' },
      areaHead: { roles: ['area_head'], tenant: 'jc-a', units: ['mi'], subject: 'bl-mi' },
    });
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    await projector?.runner.stop();
    await projector?.infrastructure.close();
    await Promise.all([kurrent?.stop(), mongo?.stop()]);
    dirs.remove();
  });

  it('imports 50,000 rows, shows all of them, and a retried request creates no second population', async () => {
    const organisation = await http()
      .put('/api/v1/organisation')
      .set('Authorization', `Bearer ${tokens.management}`)
      .send(ORGANISATION_FILE);
    expect(organisation.status).toBe(200);
    await http()
      .get('/api/v1/organisation')
      .set('Authorization', `Bearer ${tokens.areaHead}`)
      .set('X-Min-Position', String(organisation.body.position))
      .expect(200);

    const programme = await http()
      .post('/api/v1/programmes')
      .set('Authorization', `Bearer ${tokens.areaHead}`)
      .send({
        settings: { title: 'VKB Markt & Integration', areaId: 'mi', customerProcess: PROCESS, questionnaireId: null },
        reason: 'Einführung',
      });
    expect(programme.status).toBe(201);
    const programmeId = programme.body.id as string;
    await http()
      .get(`/api/v1/programmes/${programmeId}`)
      .set('Authorization', `Bearer ${tokens.areaHead}`)
      .set('X-Min-Position', String(programme.body.position))
      .expect(200);

    // The current month: imports for a month whose references' retention window has passed are refused.
    const month = berlinDate(new Date()).slice(0, 7);
    const csv = populationCsv();
    const importPopulation = () =>
      http()
        .post(`/api/v1/programmes/${programmeId}/populations?month=${month}&fileName=opds-${month}.csv`)
        .set('Authorization', `Bearer ${tokens.areaHead}`)
        .set('Idempotency-Key', `population-${programmeId}-${month}`)
        .set('Content-Type', 'text/csv')
        .send(csv);

    const imported = await importPopulation();
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ rowCount: ROWS, fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const populationId = imported.body.populationId as string;

    const summary = await http()
      .get(`/api/v1/programmes/${programmeId}/populations/${populationId}`)
      .set('Authorization', `Bearer ${tokens.areaHead}`)
      .set('X-Min-Position', String(imported.body.position));
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({
      month,
      rowCount: ROWS,
      rowsReceived: ROWS,
      section16a: ROWS / 10,
      teams: [
        { teamId: 'team-1', rows: ROWS / 2 },
        { teamId: 'team-2', rows: ROWS / 2 },
      ],
    });

    // The same request again: the recorded answer (2xx, the same population) or, where the first attempt's
    // outcome was unknown, 409 IDEMPOTENT_REQUEST_APPLIED; never a second import.
    const retried = await importPopulation();
    expect([200, 201, 409]).toContain(retried.status);
    if (retried.status === 409) expect(retried.body.code).toBe('IDEMPOTENT_REQUEST_APPLIED');
    else expect(retried.body).toMatchObject({ populationId, rowCount: ROWS });

    const list = await http()
      .get(`/api/v1/programmes/${programmeId}/populations`)
      .set('Authorization', `Bearer ${tokens.areaHead}`)
      .set('X-Min-Position', String(Math.max(imported.body.position, Number(retried.body.position ?? 0))));
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ id: populationId, rowCount: ROWS });
  }, 600_000);
});
