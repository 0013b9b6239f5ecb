import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { type AppConfig, berlinDate } from '@pruefpfad/application';
import { addDays } from '@pruefpfad/domain';
import { findCataloguesDirectory, loadCatalogues } from '../apps/api/src/questionnaires/questionnaire-catalogues.js';
import { expectAuthorizationMatrix } from './support/scenario-setup.js';
import { startTestApp, temporaryDirectories, testConfig, tokenFor } from './support/test-app.js';

/**
 * Questionnaires over HTTP on the embedded stores: publish (from a body and from a shipped catalogue),
 * immutable versions, the version in force, regional additions valid only in their period, and access.
 */
describe('questionnaires over HTTP (embedded stores)', () => {
  const dirs = temporaryDirectories();
  const today = berlinDate(new Date());
  let config: AppConfig;
  let app: INestApplication;
  let management: string;
  let areaHead: string;
  let employee: string;
  let teamLead: string;
  let regional: string;
  let regionalWithoutRegion: string;
  let otherTenant: string;
  let otherTenantRegional: string;

  const question = (id: string, overrides: Record<string, unknown> = {}) => ({
    id,
    text: `Frage ${id}?`,
    answerType: 'yes-no-na',
    mandatory: true,
    category: 'beratung',
    legalNorm: '§ 14 SGB II',
    guidance: null,
    source: '004:36',
    ...overrides,
  });
  const sectionsV1 = [
    { id: 'beratung', title: 'Beratung', questions: [question('q1'), question('q2', { answerType: 'text' })] },
    {
      id: 'gesamt',
      title: 'Gesamtbewertung',
      questions: [question('q3', { answerType: 'goal-directed', legalNorm: null })],
    },
  ];
  const body = {
    title: 'Eigener Katalog',
    process: 'allgemeine-vermittlung',
    source: '003:62',
    sections: sectionsV1,
    validFrom: addDays(today, -30),
    reason: 'Einführung nach Beschluss der Geschäftsleitung',
  };

  beforeAll(async () => {
    config = testConfig(dirs);
    app = await startTestApp(config);
    management = await tokenFor(config, { roles: ['management'], tenant: 'jc-a' });
    areaHead = await tokenFor(config, { roles: ['area_head'], tenant: 'jc-a', units: ['markt-integration'] });
    employee = await tokenFor(config, { roles: ['employee'], tenant: 'jc-a', units: ['team-1'] });
    teamLead = await tokenFor(config, { roles: ['team_lead'], tenant: 'jc-a', units: ['team-1'] });
    regional = await tokenFor(config, { roles: ['regional'], tenant: 'jc-a', region: 'rd-nrw' });
    regionalWithoutRegion = await tokenFor(config, { roles: ['regional'], tenant: 'jc-a', subject: 'rd-2' });
    otherTenant = await tokenFor(config, { roles: ['management'], tenant: 'jc-b' });
    otherTenantRegional = await tokenFor(config, { roles: ['regional'], tenant: 'jc-b', region: 'rd-nrw' });
  });

  afterAll(async () => {
    await app?.close();
    dirs.remove();
  });

  const http = () => request(app.getHttpServer());
  const read = (token: string, path: string, position?: number) => {
    const call = http().get(path).set('Authorization', `Bearer ${token}`);
    return position === undefined ? call : call.set('X-Min-Position', String(position));
  };

  let questionnaireId: string;
  let catalogueId: string;
  let position: number;

  it('publishes version 1 from a body: 201 with id, revision 0, ETag and Location; every employee reads it', async () => {
    const response = await http()
      .post('/api/v1/questionnaires')
      .set('Authorization', `Bearer ${management}`)
      .send(body);
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: expect.any(String), revision: 0, position: expect.any(Number) });
    expect(response.headers.etag).toBe('"0"');
    questionnaireId = response.body.id;
    position = response.body.position;
    expect(response.headers.location).toBe(`/api/v1/questionnaires/${questionnaireId}`);

    const view = await read(employee, `/api/v1/questionnaires/${questionnaireId}`, position);
    expect(view.status).toBe(200);
    expect(view.headers.etag).toBe('"0"');
    expect(view.body).toMatchObject({
      id: questionnaireId,
      title: 'Eigener Katalog',
      process: 'allgemeine-vermittlung',
      revision: 0,
      latestVersion: 1,
      versionInForce: 1,
      versions: [
        { version: 1, validFrom: body.validFrom, source: '003:62', reason: body.reason, sections: sectionsV1 },
      ],
      regionalAdditions: [],
    });
  });

  it('lists the shipped catalogues and loads one: the questions are the file’s', async () => {
    const catalogues = await read(employee, '/api/v1/questionnaire-catalogues');
    expect(catalogues.status).toBe(200);
    const shipped = loadCatalogues(findCataloguesDirectory());
    expect(catalogues.body.items).toHaveLength(shipped.length);
    const vkb = shipped.find((catalogue) => catalogue.catalogue === 'verlaufsbezogene-kundenbetrachtung')!;
    const vkbQuestions = vkb.sections.flatMap((section) => section.questions);
    expect(catalogues.body.items).toContainEqual(
      expect.objectContaining({
        catalogue: 'verlaufsbezogene-kundenbetrachtung',
        process: 'allgemeine-vermittlung',
        sections: vkb.sections.length,
        questions: vkbQuestions.length,
        mandatoryQuestions: vkbQuestions.filter((question) => question.mandatory).length,
      }),
    );

    const loaded = await http()
      .post('/api/v1/questionnaires')
      .set('Authorization', `Bearer ${areaHead}`)
      .send({ catalogue: 'verlaufsbezogene-kundenbetrachtung' });
    expect(loaded.status).toBe(201);
    catalogueId = loaded.body.id;

    const inForce = await read(employee, `/api/v1/questionnaires/${catalogueId}?on=${today}`, loaded.body.position);
    expect(inForce.status).toBe(200);
    expect(inForce.body).toMatchObject({
      id: catalogueId,
      title: vkb.title,
      process: 'allgemeine-vermittlung',
      version: 1,
      validFrom: today,
      on: today,
      region: null,
      regionalQuestions: [],
    });
    expect(inForce.body.sections).toEqual(vkb.sections);
    const full = await read(employee, `/api/v1/questionnaires/${catalogueId}`);
    expect(full.body.versions[0]).toMatchObject({ source: vkb.source, reason: vkb.reason });
  });

  it('publishes a change as version 2 and leaves version 1 exactly as it was', async () => {
    const v2From = addDays(today, 7);
    const sectionsV2 = [
      ...sectionsV1,
      { id: 'dialog', title: 'Dialog', questions: [question('q4', { mandatory: false, source: '003:49' })] },
    ];
    const stale = await http()
      .post(`/api/v1/questionnaires/${questionnaireId}/versions`)
      .set('Authorization', `Bearer ${areaHead}`)
      .set('If-Match', '"5"')
      .send({ ...body, sections: sectionsV2, validFrom: v2From, reason: 'Neue Weisung' });
    expect(stale.status).toBe(412);

    const v2 = await http()
      .post(`/api/v1/questionnaires/${questionnaireId}/versions`)
      .set('Authorization', `Bearer ${areaHead}`)
      .set('If-Match', '"0"')
      .send({ ...body, sections: sectionsV2, validFrom: v2From, reason: 'Neue Weisung' });
    expect(v2.status).toBe(201);
    expect(v2.body.revision).toBe(1);
    expect(v2.headers.etag).toBe('"1"');
    position = v2.body.position;

    const one = await read(employee, `/api/v1/questionnaires/${questionnaireId}?version=1`, position);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ version: 1, validFrom: body.validFrom, on: null, revision: 1 });
    expect(one.body.sections).toEqual(sectionsV1);
    const two = await read(employee, `/api/v1/questionnaires/${questionnaireId}?version=2`);
    expect(two.body.sections).toEqual(sectionsV2);

    // New reviews use the version in force (003:70): version 2 only from its validFrom.
    const beforeV2 = await read(employee, `/api/v1/questionnaires/${questionnaireId}?on=${addDays(v2From, -1)}`);
    expect(beforeV2.body.version).toBe(1);
    const fromV2 = await read(employee, `/api/v1/questionnaires/${questionnaireId}?on=${v2From}`);
    expect(fromV2.body.version).toBe(2);

    const list = await read(employee, '/api/v1/questionnaires');
    expect(list.body.items).toContainEqual(
      expect.objectContaining({ id: questionnaireId, latestVersion: 2, versionInForce: 1, revision: 1 }),
    );

    const unchanged = await http()
      .post(`/api/v1/questionnaires/${questionnaireId}/versions`)
      .set('Authorization', `Bearer ${management}`)
      .send({ ...body, sections: sectionsV2, validFrom: v2From, reason: 'nochmal' });
    expect(unchanged.status).toBe(422);
    const backdated = await http()
      .post(`/api/v1/questionnaires/${questionnaireId}/versions`)
      .set('Authorization', `Bearer ${management}`)
      .send({ ...body, validFrom: addDays(today, -1), reason: 'rückwirkend' });
    expect(backdated.status).toBe(422);
  });

  it('adds regional questions with the region of the token, valid only in their period, never inside a version', async () => {
    const from = addDays(today, 10);
    const to = addDays(today, 20);
    const added = await http()
      .post(`/api/v1/questionnaires/${questionnaireId}/regional-questions`)
      .set('Authorization', `Bearer ${regional}`)
      .send({
        questions: [question('rd-alleinerziehende', { mandatory: false, legalNorm: null, source: '003:62' })],
        validFrom: from,
        validTo: to,
        reason: 'Regionaler Schwerpunkt Alleinerziehende',
      });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ revision: 2, additionId: expect.any(String) });
    position = added.body.position;

    const regionalIds = async (on: string, region?: string) => {
      const query = region === undefined ? `on=${on}` : `on=${on}&region=${region}`;
      const response = await read(employee, `/api/v1/questionnaires/${questionnaireId}?${query}`, position);
      expect(response.status).toBe(200);
      return (response.body.regionalQuestions as { id: string; region: string }[]).map((q) => `${q.region}:${q.id}`);
    };
    expect(await regionalIds(addDays(from, -1))).toEqual([]);
    expect(await regionalIds(from)).toEqual(['rd-nrw:rd-alleinerziehende']);
    expect(await regionalIds(to)).toEqual(['rd-nrw:rd-alleinerziehende']);
    expect(await regionalIds(addDays(to, 1))).toEqual([]);
    expect(await regionalIds(from, 'rd-nrw')).toEqual(['rd-nrw:rd-alleinerziehende']);
    expect(await regionalIds(from, 'rd-bb')).toEqual([]);

    // The published versions are untouched.
    const one = await read(employee, `/api/v1/questionnaires/${questionnaireId}?version=1&on=${from}`);
    expect(one.body.sections).toEqual(sectionsV1);
    expect(one.body.regionalQuestions).toHaveLength(1);
    const full = await read(employee, `/api/v1/questionnaires/${questionnaireId}`);
    expect(full.body.versions[0].sections).toEqual(sectionsV1);
    expect(full.body.regionalAdditions).toEqual([
      expect.objectContaining({ region: 'rd-nrw', validFrom: from, validTo: to }),
    ]);
  });

  it('rejects bad input with 400 naming the fields, and writes nothing', async () => {
    const before = await read(employee, `/api/v1/questionnaires/${questionnaireId}`);
    const fieldsOf = (response: request.Response) =>
      (response.body.errors as { field: string }[]).map((error) => error.field).sort();

    const dto = await http()
      .post('/api/v1/questionnaires')
      .set('Authorization', `Bearer ${management}`)
      .send({ ...body, sections: [{ id: 'x', title: 'X', questions: [question('a', { answerType: 'scale' })] }] });
    expect(dto.status).toBe(400);
    expect(fieldsOf(dto)).toEqual(['sections.0.questions.0.answerType']);

    const duplicate = await http()
      .post('/api/v1/questionnaires')
      .set('Authorization', `Bearer ${management}`)
      .send({ ...body, sections: [sectionsV1[0], { id: 'y', title: 'Y', questions: [question('q1')] }] });
    expect(duplicate.status).toBe(400);
    expect(fieldsOf(duplicate)).toEqual(['sections.1.questions.0.id']);

    const both = await http()
      .post('/api/v1/questionnaires')
      .set('Authorization', `Bearer ${management}`)
      .send({ catalogue: 'leistung-laufende-faelle', title: 'Anders' });
    expect(both.status).toBe(400);
    expect(fieldsOf(both)).toEqual(['title']);

    const unknown = await http()
      .post('/api/v1/questionnaires')
      .set('Authorization', `Bearer ${management}`)
      .send({ catalogue: 'gibt-es-nicht' });
    expect(unknown.status).toBe(400);
    expect(fieldsOf(unknown)).toEqual(['catalogue']);

    const regionalBad = (token: string, overrides: Record<string, unknown>) =>
      http()
        .post(`/api/v1/questionnaires/${questionnaireId}/regional-questions`)
        .set('Authorization', `Bearer ${token}`)
        .send({
          questions: [question('rd-neu')],
          validFrom: addDays(today, 1),
          validTo: addDays(today, 2),
          reason: 'x',
          ...overrides,
        });
    const period = await regionalBad(regional, { validFrom: addDays(today, 5) });
    expect(period.status).toBe(400);
    expect(fieldsOf(period)).toEqual(['validTo']);
    const clash = await regionalBad(regional, { questions: [question('q2')] });
    expect(fieldsOf(clash)).toEqual(['questions.0.id']);
    const noRegion = await regionalBad(regionalWithoutRegion, {});
    expect(noRegion.status).toBe(400);
    expect(fieldsOf(noRegion)).toEqual(['region']);

    const regionWithoutDay = await read(employee, `/api/v1/questionnaires/${questionnaireId}?region=rd-nrw`);
    expect(regionWithoutDay.status).toBe(400);
    expect((await read(employee, `/api/v1/questionnaires/${questionnaireId}?version=0`)).status).toBe(400);
    expect((await read(employee, `/api/v1/questionnaires/${questionnaireId}?colour=red`)).status).toBe(400);
    expect((await read(employee, '/api/v1/questionnaires/not-a-uuid')).status).toBe(400);

    const after = await read(employee, `/api/v1/questionnaires/${questionnaireId}`);
    expect(after.body).toEqual(before.body);
  });

  it('refuses roles without the action (403), hides other tenants and unknown versions (404)', async () => {
    expect(
      (await http().post('/api/v1/questionnaires').set('Authorization', `Bearer ${employee}`).send(body)).status,
    ).toBe(403);
    expect(
      (await http().post('/api/v1/questionnaires').set('Authorization', `Bearer ${regional}`).send(body)).status,
    ).toBe(403);
    const teamLeadRegional = await http()
      .post(`/api/v1/questionnaires/${questionnaireId}/regional-questions`)
      .set('Authorization', `Bearer ${teamLead}`)
      .send({ questions: [question('x')], validFrom: today, validTo: today, reason: 'x' });
    expect(teamLeadRegional.status).toBe(403);
    const areaHeadRegional = await http()
      .post(`/api/v1/questionnaires/${questionnaireId}/regional-questions`)
      .set('Authorization', `Bearer ${areaHead}`)
      .send({ questions: [question('x')], validFrom: today, validTo: today, reason: 'x' });
    expect(areaHeadRegional.status).toBe(403);

    expect((await read(otherTenant, `/api/v1/questionnaires/${questionnaireId}`)).status).toBe(404);
    expect((await read(otherTenant, '/api/v1/questionnaires')).body.items).toEqual([]);
    const otherVersion = await http()
      .post(`/api/v1/questionnaires/${questionnaireId}/versions`)
      .set('Authorization', `Bearer ${otherTenant}`)
      .send({ ...body, validFrom: addDays(today, 30), reason: 'Übernahme' });
    expect(otherVersion.status).toBe(404);
    const otherRegional = await http()
      .post(`/api/v1/questionnaires/${questionnaireId}/regional-questions`)
      .set('Authorization', `Bearer ${otherTenantRegional}`)
      .send({ questions: [question('x')], validFrom: today, validTo: today, reason: 'x' });
    expect(otherRegional.status).toBe(404);

    const unknownId = '01900000-0000-7000-8000-000000000000';
    expect((await read(employee, `/api/v1/questionnaires/${unknownId}`)).status).toBe(404);
    expect(
      (
        await http()
          .post(`/api/v1/questionnaires/${unknownId}/versions`)
          .set('Authorization', `Bearer ${management}`)
          .send(body)
      ).status,
    ).toBe(404);
    expect((await read(employee, `/api/v1/questionnaires/${questionnaireId}?version=9`)).status).toBe(404);
    const beforeAnyVersion = await read(
      employee,
      `/api/v1/questionnaires/${questionnaireId}?on=${addDays(body.validFrom, -1)}`,
    );
    expect(beforeAnyVersion.status).toBe(404);
    expect((await http().get('/api/v1/questionnaires')).status).toBe(401);
  });

  it('passes the authorisation matrix generated from every route’s declared action', async () => {
    await expectAuthorizationMatrix(app, config, {
      tenant: 'jc-a',
      units: ['markt-integration'],
      pathParams: { id: catalogueId },
    });
  });
});
