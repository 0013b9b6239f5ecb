import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { AppConfig } from '@pruefpfad/application';
import { type CaseSampled, type OrganisationEvent, reviewKeyId } from '@pruefpfad/domain';
import type { Envelope } from '@pruefpfad/privacy';
import { ORGANISATION_UNITS, REVIEWS } from '@pruefpfad/projections';
import { ENVELOPE } from '../apps/api/src/runtime/tokens.js';
import {
  absenceRecorded,
  areaCast,
  expectAuthorizationMatrix,
  expectNoClearTextInStores,
  mintTokens,
  organisationFacts,
  projected,
  reviewFacts,
  seed,
  teamLeadAssigned,
  testClock,
  unitDefined,
} from './support/scenario-setup.js';
import { startTestAppWithClock, temporaryDirectories, testConfig } from './support/test-app.js';

/**
 * Measures over HTTP (000:90, 000:110) on the embedded stores, with a clock the test moves so that
 * "overdue" (open, due before today in Berlin) and the deputy's absence can be reached on purpose.
 * The organisation's and the reviews' own commands are other contexts' work: this suite appends their
 * facts through the real pipeline.
 */

const TENANT = 'jc-a';
const AREA = 'markt-integration';
const OTHER_AREA = 'leistung';
const ABSENCE = { from: '2026-03-16', to: '2026-03-20' };
const fieldsOf = (body: unknown): string[] => (body as { errors: { field: string }[] }).errors.map((e) => e.field);
const itemsOf = (body: unknown): Record<string, unknown>[] => (body as { items: Record<string, unknown>[] }).items;

const OWNER_NAMES = ['Erika Mustermann', 'Max Beispiel', 'Team 1 gesamt', 'Lena Vertretungsfall', 'Otto Zweitteam'];

describe('measures over HTTP (embedded stores, controllable clock)', () => {
  const dirs = temporaryDirectories();
  const clock = testClock('2026-03-10T09:00:00.000Z');
  let config: AppConfig;
  let app: INestApplication;
  let tokens: Record<string, string> = {};
  /** The test's own ledger of every measure it created, to compute the expected counts independently. */
  const ledger: { id: string; teamId: string; dueDate: string; status: 'open' | 'completed' | 'cancelled' }[] = [];
  let reviewTeam1: string;
  let reviewTeam2: string;
  /** Position of the last measure agreed, for read-your-writes. */
  let lastPosition = 0;

  const http = () => request(app.getHttpServer());
  const as = (who: string) => `Bearer ${tokens[who]}`;
  const berlinToday = () => clock.now().toISOString().slice(0, 10); // the clock stays at 09:00 UTC: same day in Berlin

  async function setUpOrganisation(): Promise<void> {
    const envelope = app.get<Envelope>(ENVELOPE, { strict: false });
    const events: OrganisationEvent[] = [
      unitDefined(AREA, 'area', null),
      unitDefined(OTHER_AREA, 'area', null),
      unitDefined('team-1', 'team', AREA),
      unitDefined('team-2', 'team', AREA),
      unitDefined('team-3', 'team', OTHER_AREA),
      teamLeadAssigned('team-1', 'tl-1', 'dep-1', await envelope.seal(`organisation:${TENANT}`, 'Teamleitung Eins')),
      teamLeadAssigned('team-2', 'tl-2', null),
      absenceRecorded('abs-1', 'team-1', ABSENCE),
    ];
    const position = await seed(app, organisationFacts, TENANT, events);
    await projected(app, ORGANISATION_UNITS, position);
  }

  async function sampleCase(reviewId: string, teamId: string): Promise<void> {
    const envelope = app.get<Envelope>(ENVELOPE, { strict: false });
    const data: CaseSampled['data'] = {
      reviewId,
      sampleId: 's-1',
      programmeId: 'p-1',
      areaId: AREA,
      teamId,
      month: '2026-03',
      casePseudonym: await envelope.seal(reviewKeyId(reviewId), `ps-${reviewId}`),
      caseRef: await envelope.seal(reviewKeyId(reviewId), `BG-${reviewId}`),
      customerGroup: 'u25',
      questionnaireId: 'q-1',
      questionnaireVersion: 1,
      deadline: '2026-03-31',
      origin: { kind: 'draw', replaces: null },
    };
    const position = await seed(app, reviewFacts, reviewId, [{ type: 'CaseSampled', data }]);
    await projected(app, REVIEWS, position);
  }

  beforeAll(async () => {
    config = testConfig(dirs);
    app = await startTestAppWithClock(config, clock);
    tokens = await mintTokens(config, {
      ...areaCast(AREA, OTHER_AREA),
      otherTenantAreaHead: { roles: ['area_head'], tenant: 'jc-b', units: [AREA], subject: 'ah-1' },
    });
    await setUpOrganisation();
    reviewTeam1 = '0196a000-0000-7000-8000-000000000001';
    reviewTeam2 = '0196a000-0000-7000-8000-000000000002';
    await sampleCase(reviewTeam1, 'team-1');
    await sampleCase(reviewTeam2, 'team-2');
  });

  afterAll(async () => {
    await app?.close();
    dirs.remove();
  });

  async function agree(who: string, teamId: string, body: Record<string, unknown>) {
    const response = await http().post(`/api/v1/teams/${teamId}/measures`).set('Authorization', as(who)).send(body);
    if (response.status === 201) {
      ledger.push({ id: response.body.id, teamId, dueDate: String(body.dueDate), status: 'open' });
      lastPosition = response.body.position;
    }
    return response;
  }

  const feedback = {
    kind: 'feedback',
    scope: 'individual',
    owner: 'Erika Mustermann',
    description: 'Rückmeldung zur Dokumentation der Eingliederungsleistungen',
    dueDate: '2026-03-31',
  };

  let measureA: string;
  let positionA: number;

  it('agrees a measure from a review of the team: 201 with id, ETag and Location; the team lead reads the owner', async () => {
    const response = await agree('teamLead', 'team-1', { ...feedback, reviewId: reviewTeam1 });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: expect.any(String), revision: 0, position: expect.any(Number) });
    expect(response.headers.etag).toBe('"0"');
    measureA = response.body.id;
    positionA = response.body.position;
    expect(response.headers.location).toBe(`/api/v1/measures/${measureA}`);

    const read = await http()
      .get(`/api/v1/measures/${measureA}`)
      .set('Authorization', as('teamLead'))
      .set('X-Min-Position', String(positionA));
    expect(read.status).toBe(200);
    expect(read.headers.etag).toBe('"0"');
    expect(read.body).toEqual({
      id: measureA,
      revision: 0,
      teamId: 'team-1',
      areaId: AREA,
      reviewId: reviewTeam1,
      kind: 'feedback',
      scope: 'individual',
      status: 'open',
      dueDate: '2026-03-31',
      agreedOn: '2026-03-10',
      closedOn: null,
      overdue: false,
      owner: 'Erika Mustermann',
      description: feedback.description,
      closingNote: null,
      followUps: [],
    });
  });

  it('stores owner and description only encrypted: no clear byte in the event or read store', () => {
    expectNoClearTextInStores(config, ['Mustermann', 'Eingliederungsleistungen']);
  });

  it('follows up with If-Match; a stale or malformed If-Match is refused and writes nothing', async () => {
    const followUp = (ifMatch: string, date = '2026-03-10') =>
      http()
        .post(`/api/v1/measures/${measureA}/follow-ups`)
        .set('Authorization', as('teamLead'))
        .set('If-Match', ifMatch)
        .set('X-Min-Position', String(positionA))
        .send({ date, note: 'Gespräch geführt, Vorlage erklärt' });
    const first = await followUp('"0"');
    expect(first.status).toBe(200);
    expect(first.headers.etag).toBe('"1"');
    const stale = await followUp('"0"');
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ status: 412, code: 'PRECONDITION_FAILED' });
    expect((await followUp('W/"1"')).status).toBe(400);
    const future = await followUp('"1"', '2026-03-11');
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual([{ field: 'date', message: expect.any(String) }]);

    const read = await http()
      .get(`/api/v1/measures/${measureA}`)
      .set('Authorization', as('teamLead'))
      .set('X-Min-Position', String(first.body.position));
    expect(read.body.revision).toBe(1);
    expect(read.body.followUps).toEqual([{ date: '2026-03-10', note: 'Gespräch geführt, Vorlage erklärt' }]);
  });

  it('completes the measure; a closed measure refuses further follow-ups, completion and cancellation (422)', async () => {
    const completed = await http()
      .post(`/api/v1/measures/${measureA}/completion`)
      .set('Authorization', as('teamLead'))
      .set('If-Match', '"1"')
      .send({ note: 'Umgesetzt' });
    expect(completed.status).toBe(200);
    expect(completed.headers.etag).toBe('"2"');
    ledger.find((measure) => measure.id === measureA)!.status = 'completed';
    const headers = { Authorization: as('teamLead'), 'X-Min-Position': String(completed.body.position) };
    const refused = await Promise.all([
      http().post(`/api/v1/measures/${measureA}/follow-ups`).set(headers).send({ date: '2026-03-10', note: 'x' }),
      http().post(`/api/v1/measures/${measureA}/completion`).set(headers).send({}),
      http().post(`/api/v1/measures/${measureA}/cancellation`).set(headers).send({ reason: 'doch nicht' }),
    ]);
    expect(refused.map((response) => [response.status, (response.body as { code: string }).code])).toEqual([
      [422, 'RULE_VIOLATION'],
      [422, 'RULE_VIOLATION'],
      [422, 'RULE_VIOLATION'],
    ]);
    const read = await http().get(`/api/v1/measures/${measureA}`).set(headers);
    expect(read.body).toMatchObject({
      status: 'completed',
      closedOn: '2026-03-10',
      closingNote: 'Umgesetzt',
      revision: 2,
    });
  });

  it('cancels only with a reason: missing is 400, blank is 422, given is 200', async () => {
    const created = await agree('teamLead', 'team-1', {
      ...feedback,
      kind: 'individual-development',
      owner: 'Max Beispiel',
      dueDate: '2026-04-30',
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const cancel = (body: object) =>
      http()
        .post(`/api/v1/measures/${id}/cancellation`)
        .set('Authorization', as('teamLead'))
        .set('X-Min-Position', String(created.body.position))
        .send(body);
    const missing = await cancel({});
    expect(missing.status).toBe(400);
    expect(fieldsOf(missing.body)).toEqual(['reason']);
    const blank = await cancel({ reason: '   ' });
    expect(blank.status).toBe(422);
    const cancelled = await cancel({ reason: 'Mitarbeiter hat das Team gewechselt' });
    expect(cancelled.status).toBe(200);
    ledger.find((measure) => measure.id === id)!.status = 'cancelled';
  });

  it('keeps training and qualification with the area head, and the other kinds with the team lead (422)', async () => {
    const training = { ...feedback, kind: 'training', owner: 'Team 1 gesamt', scope: 'team', dueDate: '2026-06-30' };
    expect((await agree('teamLead', 'team-1', training)).status).toBe(422);
    expect((await agree('areaHead', 'team-1', feedback)).status).toBe(422);
    const decided = await agree('areaHead', 'team-1', training);
    expect(decided.status).toBe(201);
    // Another team lead's measure, due soon, to be overdue later.
    const other = await agree('teamLead2', 'team-2', {
      ...feedback,
      kind: 'process-change',
      owner: 'Otto Zweitteam',
      dueDate: '2026-03-12',
      reviewId: reviewTeam2,
    });
    expect(other.status).toBe(201);
    // Due today: not overdue today, overdue tomorrow.
    const dueToday = await agree('teamLead', 'team-1', { ...feedback, kind: 'instruction', dueDate: '2026-03-10' });
    expect(dueToday.status).toBe(201);
    // A measure due today is not overdue yet: the area's counts show open ones only.
    const counts = await http()
      .get(`/api/v1/areas/${AREA}/measure-counts`)
      .set('Authorization', as('areaHead'))
      .set('X-Min-Position', String(dueToday.body.position));
    expect(counts.body).toMatchObject({
      asOf: '2026-03-10',
      total: { open: ledger.filter((m) => m.status === 'open').length, overdue: 0 },
    });
  });

  it('rejects bad input with 400 naming the fields, and writes nothing', async () => {
    const count = async () =>
      itemsOf(
        (
          await http()
            .get('/api/v1/teams/team-1/measures')
            .set('Authorization', as('teamLead'))
            .set('X-Min-Position', String(lastPosition))
        ).body,
      ).length;
    const before = await count();
    const past = await agree('teamLead', 'team-1', { ...feedback, dueDate: '2026-03-09' });
    expect(past.status).toBe(400);
    expect(past.body.errors).toEqual([{ field: 'dueDate', message: expect.stringContaining('2026-03-10') }]);
    const unknown = await agree('teamLead', 'team-1', {
      ...feedback,
      kind: 'coaching',
      colour: 'red',
      dueDate: '31.03.2026',
    });
    expect(unknown.status).toBe(400);
    expect(fieldsOf(unknown.body).sort()).toEqual(['colour', 'dueDate', 'kind']);
    // A review of another team is answered like a missing one.
    for (const reviewId of [reviewTeam2, '0196a000-0000-7000-8000-0000000000ff']) {
      const foreign = await agree('teamLead', 'team-1', { ...feedback, reviewId });
      expect(foreign.status).toBe(400);
      expect(foreign.body.errors).toEqual([{ field: 'reviewId', message: expect.any(String) }]);
    }
    expect((await http().get('/api/v1/measures/not-a-uuid').set('Authorization', as('teamLead'))).status).toBe(400);
    expect(
      (await http().get('/api/v1/teams/team-1/measures?status=forgotten').set('Authorization', as('teamLead'))).status,
    ).toBe(400);
    expect(await count()).toBe(before);
  });

  it('lets the deputy act only during the team lead’s recorded absence, and then see owners', async () => {
    const outside = await agree('deputy', 'team-1', { ...feedback, owner: 'Lena Vertretungsfall' });
    expect(outside.status).toBe(422);
    expect((await http().get('/api/v1/teams/team-1/measures').set('Authorization', as('deputy'))).status).toBe(422);

    clock.set(`${ABSENCE.from}T09:00:00.000Z`);
    const inside = await agree('deputy', 'team-1', { ...feedback, owner: 'Lena Vertretungsfall' });
    expect(inside.status).toBe(201);
    const list = await http()
      .get('/api/v1/teams/team-1/measures?status=open')
      .set('Authorization', as('deputy'))
      .set('X-Min-Position', String(inside.body.position));
    expect(list.status).toBe(200);
    expect(itemsOf(list.body).map((item) => item['owner'])).toContain('Lena Vertretungsfall');
  });

  it('lists the team’s measures for the team lead with owners and overdue judged today', async () => {
    clock.set('2026-03-17T09:00:00.000Z');
    const list = await http()
      .get('/api/v1/teams/team-1/measures')
      .set('Authorization', as('teamLead'))
      .set('X-Min-Position', String(positionA));
    expect(list.status).toBe(200);
    expect(list.body.asOf).toBe('2026-03-17');
    const items = list.body.items as { id: string; owner: string; overdue: boolean; status: string }[];
    const team1 = ledger.filter((measure) => measure.teamId === 'team-1');
    expect(items.map((item) => item.id).sort()).toEqual(team1.map((measure) => measure.id).sort());
    for (const item of items) {
      const expected = ledger.find((measure) => measure.id === item.id)!;
      expect(item.status).toBe(expected.status);
      expect(item.overdue).toBe(expected.status === 'open' && expected.dueDate < berlinToday());
      expect(typeof item.owner).toBe('string');
    }
    expect(items.filter((item) => item.overdue)).toHaveLength(1);
  });

  it('gives the area head counts of open and overdue measures per team, never owners', async () => {
    const response = await http()
      .get(`/api/v1/areas/${AREA}/measure-counts`)
      .set('Authorization', as('areaHead'))
      .set('X-Min-Position', String(positionA));
    expect(response.status).toBe(200);
    const today = berlinToday();
    const expected = ['team-1', 'team-2'].map((teamId) => {
      const open = ledger.filter((measure) => measure.teamId === teamId && measure.status === 'open');
      return {
        teamId,
        name: `Einheit ${teamId}`,
        open: open.length,
        overdue: open.filter((measure) => measure.dueDate < today).length,
      };
    });
    expect(expected).toEqual([
      { teamId: 'team-1', name: 'Einheit team-1', open: 3, overdue: 1 },
      { teamId: 'team-2', name: 'Einheit team-2', open: 1, overdue: 1 },
    ]);
    expect(response.body).toEqual({ areaId: AREA, asOf: today, teams: expected, total: { open: 4, overdue: 2 } });
    const text = JSON.stringify(response.body);
    for (const secret of [...OWNER_NAMES, 'owner', '$sealed', '"ct"', 'tl-1', 'dep-1'])
      expect(text).not.toContain(secret);
  });

  it('shows the area head single measures and team lists without owners (and no ciphertext)', async () => {
    const list = await http().get('/api/v1/teams/team-1/measures').set('Authorization', as('areaHead'));
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    const one = await http().get(`/api/v1/measures/${measureA}`).set('Authorization', as('areaHead'));
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('owner');
    // Their own training decision they read in full, but still without its owner.
    const training = itemsOf(list.body).find((item) => item['kind'] === 'training');
    expect(training).toMatchObject({ description: feedback.description });
    for (const body of [list.body, one.body]) {
      const text = JSON.stringify(body);
      for (const secret of [...OWNER_NAMES, '"owner"', '$sealed', '"ct"']) expect(text).not.toContain(secret);
    }
  });

  it('hides other tenants, teams and areas (404) and refuses roles without the action (403)', async () => {
    const get = (path: string, who: string) => http().get(path).set('Authorization', as(who));
    expect((await get(`/api/v1/measures/${measureA}`, 'otherTenant')).status).toBe(404);
    expect((await get('/api/v1/teams/team-1/measures', 'otherTenant')).status).toBe(404);
    expect((await get(`/api/v1/areas/${AREA}/measure-counts`, 'otherTenantAreaHead')).status).toBe(404);
    expect((await get(`/api/v1/measures/${measureA}`, 'teamLead2')).status).toBe(404);
    expect((await get('/api/v1/teams/team-1/measures', 'teamLead2')).status).toBe(404);
    expect((await get(`/api/v1/measures/${measureA}`, 'otherAreaHead')).status).toBe(404);
    expect((await get(`/api/v1/areas/${AREA}/measure-counts`, 'otherAreaHead')).status).toBe(404);
    expect((await get('/api/v1/areas/no-such-area/measure-counts', 'management')).status).toBe(404);
    expect((await get('/api/v1/measures/0196a000-0000-7000-8000-0000000000ee', 'teamLead')).status).toBe(404);
    const foreignFollowUp = await http()
      .post(`/api/v1/measures/${measureA}/follow-ups`)
      .set('Authorization', as('teamLead2'))
      .send({ date: '2026-03-17', note: 'fremd' });
    expect(foreignFollowUp.status).toBe(404);
    expect((await agree('otherAreaHead', 'team-1', { ...feedback, kind: 'training' })).status).toBe(404);

    expect((await get(`/api/v1/measures/${measureA}`, 'employee')).status).toBe(403);
    expect((await get(`/api/v1/areas/${AREA}/measure-counts`, 'teamLead')).status).toBe(403);
    expect((await agree('management', 'team-1', feedback)).status).toBe(403);
    expect((await get(`/api/v1/areas/${AREA}/measure-counts`, 'management')).status).toBe(200);
    expect((await http().get(`/api/v1/measures/${measureA}`)).status).toBe(401);
  });

  it('passes the authorisation matrix generated from every route’s declared action', async () => {
    await expectAuthorizationMatrix(app, config, {
      tenant: TENANT,
      units: ['team-1', AREA],
      pathParams: { id: measureA, teamId: 'team-1', areaId: AREA },
    });
  });
});
