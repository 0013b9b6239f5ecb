import type { INestApplication } from '@nestjs/common';
import { KurrentDbContainer, type StartedKurrentDbContainer } from '@testcontainers/kurrentdb';
import { MongoDBContainer, type StartedMongoDBContainer } from '@testcontainers/mongodb';
import request from 'supertest';
import type { AppConfig } from '@pruefpfad/application';
import { type Infrastructure, openInfrastructure, projections } from '@pruefpfad/composition';
import { ProjectionRunner } from '@pruefpfad/projections';
import { describeWithContainers } from './support/container-runtime.js';
import { startTestApp, temporaryDirectories, testConfig, tokenFor } from './support/test-app.js';

const KURRENTDB_IMAGE = 'docker.kurrent.io/kurrent-lts/kurrentdb:26.0.3';
const MONGO_IMAGE = 'mongo:8.0';

/**
 * The same full path as programmes.e2e.spec.ts in server mode: the API on KurrentDB + MongoDB, and the
 * projector's runner (with its lease) in a second set of connections, as `apps/projector` runs it.
 */
describeWithContainers('programmes over HTTP (KurrentDB + MongoDB)', () => {
  const dirs = temporaryDirectories();
  let kurrent: StartedKurrentDbContainer;
  let mongo: StartedMongoDBContainer;
  let config: AppConfig;
  let app: INestApplication;
  let projector: { infrastructure: Infrastructure; runner: ProjectionRunner };

  beforeAll(async () => {
    [kurrent, mongo] = await Promise.all([
      new KurrentDbContainer(KURRENTDB_IMAGE).start(),
      new MongoDBContainer(MONGO_IMAGE).start(),
    ]);
    config = testConfig(dirs, {
      KURRENTDB_CONNECTION_STRING: kurrent.getConnectionString(),
      MONGODB_URI: `${mongo.getConnectionString()}/?directConnection=true`,
      MONGODB_DATABASE: 'pruefpfad_e2e',
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
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    await projector?.runner.stop();
    await projector?.infrastructure.close();
    await Promise.all([kurrent?.stop(), mongo?.stop()]);
    dirs.remove();
  });

  it('defines, reads (read-your-writes), revises with If-Match and hides other tenants', async () => {
    const areaHead = await tokenFor(config, { roles: ['area_head'], tenant: 'jc-a', units: ['leistung'] });
    const otherTenant = await tokenFor(config, { roles: ['management'], tenant: 'jc-b' });
    const http = () => request(app.getHttpServer());

    const created = await http()
      .post('/api/v1/programmes')
      .set('Authorization', `Bearer ${areaHead}`)
      .send({
        settings: { title: 'Checkliste laufende Fälle', areaId: 'leistung', customerProcess: 'leistung-laufend' },
        reason: 'Einführung',
        note: 'vertraulich: Herr Beispiel',
      });
    expect(created.status).toBe(201);

    const read = await http()
      .get(`/api/v1/programmes/${created.body.id}`)
      .set('Authorization', `Bearer ${areaHead}`)
      .set('X-Min-Position', String(created.body.position));
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ revision: 0, note: 'vertraulich: Herr Beispiel' });

    const revised = await http()
      .post(`/api/v1/programmes/${created.body.id}/revisions`)
      .set('Authorization', `Bearer ${areaHead}`)
      .set('If-Match', '"0"')
      .send({ changes: { title: 'Checkliste laufende Fälle (2026)' }, reason: 'Rechtsänderung' });
    expect(revised.status).toBe(200);
    expect(revised.headers.etag).toBe('"1"');

    const stale = await http()
      .post(`/api/v1/programmes/${created.body.id}/revisions`)
      .set('Authorization', `Bearer ${areaHead}`)
      .set('If-Match', '"0"')
      .send({ changes: { title: 'x' }, reason: 'y' });
    expect(stale.status).toBe(412);

    const hidden = await http()
      .get(`/api/v1/programmes/${created.body.id}`)
      .set('Authorization', `Bearer ${otherTenant}`);
    expect(hidden.status).toBe(404);
  });
});
