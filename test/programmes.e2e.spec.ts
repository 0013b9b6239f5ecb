import fs from 'node:fs';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { AppConfig } from '@pruefpfad/application';
import type { EventStore } from '@pruefpfad/event-store';
import { EVENT_STORE } from '../apps/api/src/runtime/tokens.js';
import { expectAuthorizationMatrix, expectNoClearTextInStores } from './support/scenario-setup.js';
import { startTestApp, temporaryDirectories, testConfig, tokenFor } from './support/test-app.js';

/**
 * The platform's full path on the sample aggregate: HTTP with a token → authorisation → command →
 * event store (with an encrypted field) → projection → query, on the embedded stores.
 */
describe('programmes over HTTP (embedded stores)', () => {
  const dirs = temporaryDirectories();
  let config: AppConfig;
  let app: INestApplication;
  let areaHead: string;
  let otherAreaHead: string;
  let employee: string;
  let otherTenant: string;

  const NOTE = 'Abstimmung mit Frau Erika Mustermann-Geheim, Tel. 0815';
  const definition = {
    settings: {
      title: 'Verlaufsbezogene Kundenbetrachtung',
      areaId: 'markt-integration',
      customerProcess: 'allgemeine-vermittlung',
    },
    reason: 'Einführung nach Beschluss der Geschäftsleitung',
    note: NOTE,
  };

  beforeAll(async () => {
    config = testConfig(dirs);
    app = await startTestApp(config);
    areaHead = await tokenFor(config, { roles: ['area_head'], tenant: 'jc-a', units: ['markt-integration'] });
    otherAreaHead = await tokenFor(config, { roles: ['area_head'], tenant: 'jc-a', units: ['leistung'] });
    employee = await tokenFor(config, { roles: ['employee'], tenant: 'jc-a', units: ['team-1'] });
    otherTenant = await tokenFor(config, { roles: ['management'], tenant: 'jc-b' });
  });

  afterAll(async () => {
    await app?.close();
    dirs.remove();
  });

  const http = () => request(app.getHttpServer());
  const eventAt = async (at: number) => {
    const page = await app.get<EventStore>(EVENT_STORE).readAll({ after: at - 1, maxCount: 1 });
    expect(page.events[0]?.position).toBe(at);
    return page.events[0]!;
  };

  let programmeId: string;
  let position: number;

  it('defines a programme: 201 with id, revision, position, ETag and Location; defaults filled from the rules', async () => {
    const response = await http()
      .post('/api/v1/programmes')
      .set('Authorization', `Bearer ${areaHead}`)
      .send(definition);
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: expect.any(String), revision: 0, position: expect.any(Number) });
    expect(response.headers.etag).toBe('"0"');
    programmeId = response.body.id;
    position = response.body.position;
    expect(response.headers.location).toBe(`/api/v1/programmes/${programmeId}`);

    const read = await http()
      .get(`/api/v1/programmes/${programmeId}`)
      .set('Authorization', `Bearer ${employee}`)
      .set('X-Min-Position', String(position));
    expect(read.status).toBe(200);
    expect(read.headers.etag).toBe('"0"');
    expect(read.body).toMatchObject({
      id: programmeId,
      revision: 0,
      note: NOTE,
      settings: {
        minimumCasesPerTeamLead: 10,
        retentionMonths: 12,
        reportDueDay: 15,
        errorRatePolicy: { kind: 'none' },
      },
      changeLog: [{ revision: 0, byRole: 'area_head', reason: definition.reason, note: NOTE }],
    });
  });

  it('stores the free-text note only encrypted: the clear text is in no byte of the event or read store', () => {
    expectNoClearTextInStores(config, ['Mustermann-Geheim']);
  });

  it('maps If-Match to the expected revision: a stale one is 412 and writes nothing', async () => {
    const stale = await http()
      .post(`/api/v1/programmes/${programmeId}/revisions`)
      .set('Authorization', `Bearer ${areaHead}`)
      .set('If-Match', '"7"')
      .send({ changes: { title: 'Neu' }, reason: 'Prüffeststellung' });
    expect(stale.status).toBe(412);
    expect(stale.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(stale.body).toMatchObject({ status: 412, code: 'PRECONDITION_FAILED' });

    const malformed = await http()
      .post(`/api/v1/programmes/${programmeId}/revisions`)
      .set('Authorization', `Bearer ${areaHead}`)
      .set('If-Match', 'W/"0"')
      .send({ changes: { title: 'Neu' }, reason: 'Prüffeststellung' });
    expect(malformed.status).toBe(400);
  });

  it('refuses a sampling change without the staff council (422), accepts it with, and answers the new ETag', async () => {
    const refused = await http()
      .post(`/api/v1/programmes/${programmeId}/revisions`)
      .set('Authorization', `Bearer ${areaHead}`)
      .set('If-Match', '"0"')
      .send({ changes: { minimumCasesPerTeamLead: 12 }, reason: 'Risikobewertung Q1' });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('RULE_VIOLATION');

    const accepted = await http()
      .post(`/api/v1/programmes/${programmeId}/revisions`)
      .set('Authorization', `Bearer ${areaHead}`)
      .set('If-Match', '"0"')
      .send({
        changes: { minimumCasesPerTeamLead: 12 },
        reason: 'Risikobewertung Q1',
        staffCouncil: { date: '2026-02-01', outcome: 'agreed' },
      });
    expect(accepted.status).toBe(200);
    expect(accepted.headers.etag).toBe('"1"');

    const read = await http()
      .get(`/api/v1/programmes/${programmeId}`)
      .set('Authorization', `Bearer ${employee}`)
      .set('X-Min-Position', String(accepted.body.position));
    expect(read.body.settings.minimumCasesPerTeamLead).toBe(12);
    expect(read.body.changeLog).toHaveLength(2);
    expect(read.body.changeLog[1]).toMatchObject({
      revision: 1,
      staffCouncil: { date: '2026-02-01', outcome: 'agreed' },
    });
  });

  it('answers a retried POST with the first answer (Idempotency-Key) and refuses the key for another body (422)', async () => {
    const send = (body: object) =>
      http()
        .post('/api/v1/programmes')
        .set('Authorization', `Bearer ${areaHead}`)
        .set('Idempotency-Key', 'define-leistung-1')
        .send(body);
    const body = { ...definition, settings: { ...definition.settings, title: 'Zweiter Plan' } };
    const first = await send(body);
    const retry = await send(body);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers.location).toBe(first.headers.location);

    const list = await http()
      .get('/api/v1/programmes')
      .set('Authorization', `Bearer ${employee}`)
      .set('X-Min-Position', String(first.body.position));
    const items = list.body.items as { settings: { title: string } }[];
    expect(items.filter((item) => item.settings.title === 'Zweiter Plan')).toHaveLength(1);

    const reused = await send({ ...body, reason: 'anders' });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');

    // The attempt is the events' causation, so a retry after an unknown outcome can find them.
    expect((await eventAt(first.body.position)).metadata.causationId).toMatch(/^request:[0-9a-f-]{36}$/);
  });

  it("ignores a client's attempt header: only the idempotency interceptor names attempts", async () => {
    const forged = await http()
      .post('/api/v1/programmes')
      .set('Authorization', `Bearer ${areaHead}`)
      .set('X-Pruefpfad-Attempt', 'forged')
      .send({ ...definition, settings: { ...definition.settings, title: 'Dritter Plan' } });
    expect(forged.status).toBe(201);
    expect((await eventAt(forged.body.position)).metadata.causationId).toBeNull();
  });

  it('rejects bad input with 400 naming the offending fields, and writes nothing', async () => {
    const before = await http().get('/api/v1/programmes').set('Authorization', `Bearer ${employee}`);
    const unknownField = await http()
      .post('/api/v1/programmes')
      .set('Authorization', `Bearer ${areaHead}`)
      .send({
        ...definition,
        settings: { ...definition.settings, minimumCasesPerTeamLead: 0, colour: 'red' },
        extra: 1,
      });
    expect(unknownField.status).toBe(400);
    const fields = (unknownField.body.errors as { field: string }[]).map((error) => error.field).sort();
    expect(fields).toEqual(expect.arrayContaining(['extra', 'settings.colour', 'settings.minimumCasesPerTeamLead']));

    const malformed = await http()
      .post('/api/v1/programmes')
      .set('Authorization', `Bearer ${areaHead}`)
      .set('Content-Type', 'application/json')
      .send('{"settings": ');
    expect(malformed.status).toBe(400);

    const notUuid = await http().get('/api/v1/programmes/not-a-uuid').set('Authorization', `Bearer ${employee}`);
    expect(notUuid.status).toBe(400);

    const badPosition = await http()
      .get('/api/v1/programmes')
      .set('Authorization', `Bearer ${employee}`)
      .set('X-Min-Position', '-1');
    expect(badPosition.status).toBe(400);

    const after = await http().get('/api/v1/programmes').set('Authorization', `Bearer ${employee}`);
    expect(after.body.items).toHaveLength(before.body.items.length);
  });

  it('hides other tenants and other areas (404), refuses roles without the action (403) and anonymous callers (401)', async () => {
    expect(
      (await http().get(`/api/v1/programmes/${programmeId}`).set('Authorization', `Bearer ${otherTenant}`)).status,
    ).toBe(404);
    expect((await http().get('/api/v1/programmes').set('Authorization', `Bearer ${otherTenant}`)).body.items).toEqual(
      [],
    );
    const otherArea = await http()
      .post(`/api/v1/programmes/${programmeId}/revisions`)
      .set('Authorization', `Bearer ${otherAreaHead}`)
      .send({ changes: { title: 'Übernahme' }, reason: 'x' });
    expect(otherArea.status).toBe(404);
    expect(
      (await http().post('/api/v1/programmes').set('Authorization', `Bearer ${employee}`).send(definition)).status,
    ).toBe(403);
    expect((await http().get('/api/v1/programmes')).status).toBe(401);
  });

  it('serves health, readiness and metrics without a token and without case data', async () => {
    const health = await http().get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'up',
      checks: { eventStore: { status: 'up' }, readStore: { status: 'up' } },
    });
    expect(JSON.stringify(health.body)).not.toContain('Mustermann');
    const metrics = await http().get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('pruefpfad_command_duration_seconds');
    expect(metrics.text).toContain('pruefpfad_projection_lag');
    expect(metrics.text).not.toContain('Mustermann');
  });

  it('passes the authorisation matrix generated from every route’s declared action', async () => {
    await expectAuthorizationMatrix(app, config, {
      tenant: 'jc-a',
      units: ['markt-integration'],
      pathParams: { id: programmeId },
    });
  });

  it('keeps everything across a restart: the event store and the read models are durable', async () => {
    await app.close();
    app = await startTestApp(config);
    const read = await http().get(`/api/v1/programmes/${programmeId}`).set('Authorization', `Bearer ${employee}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ revision: 1, note: NOTE, settings: { minimumCasesPerTeamLead: 12 } });
    expect(fs.existsSync(path.join(config.keyDir, 'keys.sqlite'))).toBe(true);
  });
});
