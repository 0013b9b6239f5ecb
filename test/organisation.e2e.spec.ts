import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { type AppConfig, berlinDate } from '@pruefpfad/application';
import { addDays } from '@pruefpfad/domain';
import { ActingRights } from '../apps/api/src/organisation/acting-rights.js';
import { expectAuthorizationMatrix, expectNoClearTextInStores, mintTokens } from './support/scenario-setup.js';
import { startTestApp, temporaryDirectories, testConfig } from './support/test-app.js';

/** The organisation file of a Jobcenter with two areas and four teams (the format the README shows). */
const ORGANISATION_FILE = {
  areas: [
    {
      id: 'markt-integration',
      name: 'Markt & Integration',
      teams: [
        {
          id: 'team-mi-1',
          name: 'Team M&I 1',
          process: 'allgemeine-vermittlung',
          lead: { subject: 'tl-mi-1', name: 'Erika Teamleiterin-Geheim' },
          deputy: { subject: 'dep-mi-1', name: 'Max Vertreter' },
        },
        {
          id: 'team-mi-2',
          name: 'Team M&I 2',
          process: 'allgemeine-vermittlung',
          lead: { subject: 'tl-mi-2', name: 'Jana Beispiel' },
        },
      ],
    },
    {
      id: 'leistung',
      name: 'Leistung',
      teams: [
        {
          id: 'team-l-1',
          name: 'Team Leistung 1',
          process: 'leistung',
          lead: { subject: 'tl-l-1', name: 'Paul Muster' },
          deputy: { subject: 'dep-l-1', name: 'Lena Vertreterin' },
        },
        {
          id: 'team-l-2',
          name: 'Team Leistung 2',
          process: 'leistung',
          lead: { subject: 'tl-l-2', name: 'Tom Probe' },
          deputy: null,
        },
      ],
    },
  ],
};

describe('organisation over HTTP (embedded stores)', () => {
  const dirs = temporaryDirectories();
  let config: AppConfig;
  let app: INestApplication;
  let tokens: Record<string, string> = {};

  beforeAll(async () => {
    config = testConfig(dirs);
    app = await startTestApp(config);
    tokens = await mintTokens(config, {
      management: { subject: 'gf-a', roles: ['management'], units: [], tenant: 'jc-a' },
      otherTenant: { subject: 'gf-b', roles: ['management'], units: [], tenant: 'jc-b' },
      employee: { subject: 'sb-1', roles: ['employee'], units: ['team-mi-1'], tenant: 'jc-a' },
      leadMi1: { subject: 'tl-mi-1', roles: ['team_lead'], units: ['team-mi-1'], tenant: 'jc-a' },
      leadMi2: { subject: 'tl-mi-2', roles: ['team_lead'], units: ['team-mi-2'], tenant: 'jc-a' },
      deputyMi1: { subject: 'dep-mi-1', roles: ['deputy'], units: ['team-mi-1'], tenant: 'jc-a' },
      delegate: { subject: 'sb-7', roles: ['deputy'], units: ['team-mi-1'], tenant: 'jc-a' },
      areaHeadMi: { subject: 'bl-mi', roles: ['area_head'], units: ['markt-integration'], tenant: 'jc-a' },
      areaHeadLeistung: { subject: 'bl-l', roles: ['area_head'], units: ['leistung'], tenant: 'jc-a' },
    });
  });

  afterAll(async () => {
    await app?.close();
    dirs.remove();
  });

  const http = () => request(app.getHttpServer());
  const as = (token: string) => `Bearer ${tokens[token] ?? token}`;
  const today = () => berlinDate(new Date());

  let loaded: { revision: number; position: number };
  let position = 0;
  const seen = (next: number | null) => {
    if (next !== null) position = Math.max(position, next);
  };

  it('loads the organisation file (management) and shows every employee who supervises', async () => {
    const response = await http()
      .put('/api/v1/organisation')
      .set('Authorization', as('management'))
      .send(ORGANISATION_FILE);
    expect(response.status).toBe(200);
    // Two areas, four teams, four lead assignments: revisions 0…9.
    expect(response.body).toEqual({ id: 'jc-a', revision: 9, position: expect.any(Number) });
    expect(response.headers.etag).toBe('"9"');
    loaded = response.body;
    seen(loaded.position);

    const read = await http()
      .get('/api/v1/organisation')
      .set('Authorization', as('employee'))
      .set('X-Min-Position', String(position));
    expect(read.status).toBe(200);
    expect(read.body).toEqual({
      areas: [
        {
          id: 'leistung',
          name: 'Leistung',
          teams: [
            {
              id: 'team-l-1',
              name: 'Team Leistung 1',
              process: 'leistung',
              areaId: 'leistung',
              teamLead: { name: 'Paul Muster', since: today() },
              deputy: { name: 'Lena Vertreterin' },
            },
            {
              id: 'team-l-2',
              name: 'Team Leistung 2',
              process: 'leistung',
              areaId: 'leistung',
              teamLead: { name: 'Tom Probe', since: today() },
              deputy: null,
            },
          ],
        },
        {
          id: 'markt-integration',
          name: 'Markt & Integration',
          teams: [
            expect.objectContaining({
              id: 'team-mi-1',
              teamLead: { name: 'Erika Teamleiterin-Geheim', since: today() },
              deputy: { name: 'Max Vertreter' },
            }),
            expect.objectContaining({ id: 'team-mi-2', deputy: null }),
          ],
        },
      ],
    });
  });

  it('appends nothing when the same file is loaded twice (same revision, no position)', async () => {
    const again = await http()
      .put('/api/v1/organisation')
      .set('Authorization', as('management'))
      .send(ORGANISATION_FILE);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id: 'jc-a', revision: loaded.revision, position: null });
  });

  it('appends only what changed: a new team lead is one event, and the team keeps its id', async () => {
    const changed = structuredClone(ORGANISATION_FILE);
    changed.areas[1]!.teams[1]!.lead = { subject: 'tl-l-2-neu', name: 'Nora Nachfolgerin' };
    const response = await http().put('/api/v1/organisation').set('Authorization', as('management')).send(changed);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: 'jc-a', revision: loaded.revision + 1, position: expect.any(Number) });
    seen(response.body.position);

    const team = await http()
      .get('/api/v1/organisation/teams/team-l-2')
      .set('Authorization', as('employee'))
      .set('X-Min-Position', String(position));
    expect(team.body).toEqual({
      id: 'team-l-2',
      name: 'Team Leistung 2',
      process: 'leistung',
      areaId: 'leistung',
      teamLead: { name: 'Nora Nachfolgerin', since: today() },
      deputy: null,
    });

    const stale = await http()
      .put('/api/v1/organisation')
      .set('Authorization', as('management'))
      .set('If-Match', `"${loaded.revision}"`)
      .send(ORGANISATION_FILE);
    expect(stale.status).toBe(412);
  });

  it('stores names only encrypted: the clear text is in no byte of the event or read store', () => {
    expectNoClearTextInStores(config, ['Teamleiterin-Geheim']);
  });

  describe('absences and the deputy', () => {
    const actingRights = (token: string, teamId = 'team-mi-1') =>
      http()
        .get(`/api/v1/organisation/teams/${teamId}/acting-rights`)
        .set('Authorization', as(token))
        .set('X-Min-Position', String(position));
    const principalOf = (subject: string) => ({
      subject,
      tenant: 'jc-a',
      roles: ['deputy' as const],
      units: ['team-mi-1'],
    });
    const deputyMayAct = () =>
      app
        .get(ActingRights)
        .assertMayAct(principalOf('dep-mi-1'), 'organisation.act-for-team', 'jc-a', 'team-mi-1')
        .then(
          (context) => context.asDeputy,
          (error: { code?: string }) => error.code,
        );

    let todayAbsence: string;

    it('lets the deputy act only inside an absence recorded by the team lead or the area head', async () => {
      expect((await actingRights('deputyMi1')).body).toMatchObject({ mayAct: false, asDeputy: true });
      expect((await actingRights('leadMi1')).body).toEqual({
        teamId: 'team-mi-1',
        areaId: 'markt-integration',
        asDeputy: false,
        mayAct: true,
        reason: null,
      });

      // The team lead records next week's absence: today the deputy still may not act.
      const later = await http()
        .post('/api/v1/organisation/teams/team-mi-1/absences')
        .set('Authorization', as('leadMi1'))
        .send({ from: addDays(today(), 7), to: addDays(today(), 11) });
      expect(later.status).toBe(201);
      expect(later.body).toEqual({
        id: expect.any(String),
        revision: expect.any(Number),
        position: expect.any(Number),
      });
      seen(later.body.position);
      expect((await actingRights('deputyMi1')).body).toMatchObject({
        mayAct: false,
        reason: expect.stringMatching(/Abwesenheit/),
      });
      expect(await deputyMayAct()).toBe('RULE_VIOLATION');

      // The area head records today's absence: now the deputy acts, as deputy.
      const now = await http()
        .post('/api/v1/organisation/teams/team-mi-1/absences')
        .set('Authorization', as('areaHeadMi'))
        .send({ from: today(), to: today() });
      expect(now.status).toBe(201);
      todayAbsence = now.body.id;
      seen(now.body.position);
      expect((await actingRights('deputyMi1')).body).toEqual({
        teamId: 'team-mi-1',
        areaId: 'markt-integration',
        asDeputy: true,
        mayAct: true,
        reason: null,
      });
      expect(await deputyMayAct()).toBe(true);
      // Another team's deputy-role member is not this team's designated deputy.
      expect((await actingRights('delegate')).body).toMatchObject({ mayAct: false });
    });

    it('shows absences and subjects to the team and its area head, never to every employee', async () => {
      const asLead = await http()
        .get('/api/v1/organisation/teams/team-mi-1')
        .set('Authorization', as('leadMi1'))
        .set('X-Min-Position', String(position));
      expect(asLead.body).toMatchObject({
        teamLead: { subject: 'tl-mi-1', name: 'Erika Teamleiterin-Geheim' },
        deputy: { subject: 'dep-mi-1' },
        absences: [
          { from: addDays(today(), 7), to: addDays(today(), 11) },
          { absenceId: todayAbsence, from: today(), to: today() },
        ],
        delegations: [],
      });
      const asAreaHead = await http()
        .get('/api/v1/organisation/teams/team-mi-1')
        .set('Authorization', as('areaHeadMi'));
      expect(asAreaHead.body.absences).toHaveLength(2);
      const asEmployee = await http().get('/api/v1/organisation/teams/team-mi-1').set('Authorization', as('employee'));
      expect(asEmployee.body).not.toHaveProperty('absences');
      expect(asEmployee.body).not.toHaveProperty('delegations');
      expect(asEmployee.body.teamLead).toEqual({ name: 'Erika Teamleiterin-Geheim', since: today() });
      const asOtherAreaHead = await http().get('/api/v1/organisation').set('Authorization', as('areaHeadLeistung'));
      const mi1 = asOtherAreaHead.body.areas[1].teams[0];
      expect(mi1.id).toBe('team-mi-1');
      expect(mi1).not.toHaveProperty('absences');
    });

    it('ends the deputy’s rights when the absence is cancelled; cancelling twice is 404', async () => {
      const path = `/api/v1/organisation/teams/team-mi-1/absences/${todayAbsence}`;
      const cancelled = await http().delete(path).set('Authorization', as('leadMi1'));
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.id).toBe(todayAbsence);
      seen(cancelled.body.position);
      expect((await actingRights('deputyMi1')).body).toMatchObject({ mayAct: false });
      expect(await deputyMayAct()).toBe('RULE_VIOLATION');
      expect((await http().delete(path).set('Authorization', as('leadMi1'))).status).toBe(404);
    });

    it('lets the area head approve a delegation with a reason; the delegate acts inside it', async () => {
      const body = { toSubject: 'sb-7', from: today(), to: today(), reason: 'Teamleitung und Vertretung abwesend' };
      expect(
        (
          await http()
            .post('/api/v1/organisation/teams/team-mi-1/delegations')
            .set('Authorization', as('leadMi1'))
            .send(body)
        ).status,
      ).toBe(403);
      expect(
        (
          await http()
            .post('/api/v1/organisation/teams/team-mi-1/delegations')
            .set('Authorization', as('areaHeadLeistung'))
            .send(body)
        ).status,
      ).toBe(404);
      const approved = await http()
        .post('/api/v1/organisation/teams/team-mi-1/delegations')
        .set('Authorization', as('areaHeadMi'))
        .send(body);
      expect(approved.status).toBe(201);
      seen(approved.body.position);
      expect((await actingRights('delegate')).body).toMatchObject({ mayAct: true, asDeputy: true });
    });
  });

  it('hides other tenants and teams out of reach (404)', async () => {
    expect(
      (await http().get('/api/v1/organisation/teams/team-mi-1').set('Authorization', as('otherTenant'))).status,
    ).toBe(404);
    expect((await http().get('/api/v1/organisation').set('Authorization', as('otherTenant'))).body).toEqual({
      areas: [],
    });
    const absence = { from: today(), to: today() };
    for (const [token, team] of [
      ['leadMi2', 'team-mi-1'],
      ['areaHeadLeistung', 'team-mi-1'],
      ['areaHeadMi', 'team-l-1'],
      ['areaHeadMi', 'no-such-team'],
      ['areaHeadMi', 'markt-integration'],
    ] as const) {
      const response = await http()
        .post(`/api/v1/organisation/teams/${team}/absences`)
        .set('Authorization', as(token))
        .send(absence);
      expect([token, team, response.status]).toEqual([token, team, 404]);
    }
    expect((await actingRights404('leadMi2', 'team-mi-1')).status).toBe(404);

    // Another Jobcenter may use the same unit ids: its own stream, its own documents.
    const other = await http()
      .put('/api/v1/organisation')
      .set('Authorization', as('otherTenant'))
      .send({ areas: [{ id: 'markt-integration', name: 'M&I Süd', teams: [] }] });
    expect(other.body).toEqual({ id: 'jc-b', revision: 0, position: expect.any(Number) });
    const mine = await http()
      .get('/api/v1/organisation')
      .set('Authorization', as('employee'))
      .set('X-Min-Position', String(other.body.position));
    const names = (mine.body as { areas: { name: string }[] }).areas.map((area) => area.name);
    expect(names).toEqual(['Leistung', 'Markt & Integration']);
    const theirs = await http().get('/api/v1/organisation').set('Authorization', as('otherTenant'));
    expect(theirs.body).toEqual({ areas: [{ id: 'markt-integration', name: 'M&I Süd', teams: [] }] });
  });

  const actingRights404 = (token: string, teamId: string) =>
    http().get(`/api/v1/organisation/teams/${teamId}/acting-rights`).set('Authorization', as(token));

  it('refuses roles without the action (403)', async () => {
    for (const token of ['employee', 'leadMi1', 'areaHeadMi'])
      expect(
        (await http().put('/api/v1/organisation').set('Authorization', as(token)).send(ORGANISATION_FILE)).status,
      ).toBe(403);
    for (const token of ['employee', 'deputyMi1', 'management'])
      expect(
        (
          await http()
            .post('/api/v1/organisation/teams/team-mi-1/absences')
            .set('Authorization', as(token))
            .send({ from: today(), to: today() })
        ).status,
      ).toBe(403);
    expect((await actingRights404('employee', 'team-mi-1')).status).toBe(403);
    expect((await http().get('/api/v1/organisation')).status).toBe(401);
  });

  it('rejects bad input with 400 naming the offending fields, and writes nothing', async () => {
    const fields = (response: request.Response) =>
      (response.body.errors as { field: string }[]).map((error) => error.field).sort();
    const put = (body: unknown) =>
      http()
        .put('/api/v1/organisation')
        .set('Authorization', as('management'))
        .send(body as object);

    const shape = await put({
      areas: [
        {
          id: 'Markt Integration',
          name: 'M&I',
          colour: 'red',
          teams: [{ id: 'team-x', name: '', process: 'leistung', lead: { subject: 'x' } }],
        },
      ],
    });
    expect(shape.status).toBe(400);
    expect(fields(shape)).toEqual([
      'areas.0.colour',
      'areas.0.id',
      'areas.0.teams.0.lead.name',
      'areas.0.teams.0.name',
    ]);

    const duplicate = structuredClone(ORGANISATION_FILE);
    duplicate.areas[1]!.teams[0]!.id = 'team-mi-1';
    duplicate.areas[0]!.teams[0]!.deputy = { subject: 'tl-mi-1', name: 'Erika Teamleiterin-Geheim' };
    const domain = await put(duplicate);
    expect(domain.status).toBe(400);
    expect(fields(domain)).toEqual(['areas.0.teams.0.deputy.subject', 'areas.1.teams.0.id']);

    const absence = (body: object, team = 'team-mi-1') =>
      http().post(`/api/v1/organisation/teams/${team}/absences`).set('Authorization', as('leadMi1')).send(body);
    const backwards = await absence({ from: today(), to: addDays(today(), -1) });
    expect(backwards.status).toBe(400);
    expect(fields(backwards)).toEqual(['to']);
    const notDates = await absence({ from: '10.03.2026', to: '2026-02-30', extra: 1 });
    expect(notDates.status).toBe(400);
    expect(fields(notDates)).toEqual(expect.arrayContaining(['extra', 'from', 'to']));
    const badTeam = await absence({ from: today(), to: today() }, 'Team%20MI');
    expect(badTeam.status).toBe(400);
    expect(fields(badTeam)).toEqual(['teamId']);
    const badAbsenceId = await http()
      .delete('/api/v1/organisation/teams/team-mi-1/absences/not-a-uuid')
      .set('Authorization', as('leadMi1'));
    expect(badAbsenceId.status).toBe(400);

    // Nothing was written: loading the current file again is still a no-op at the same revision.
    const changed = structuredClone(ORGANISATION_FILE);
    changed.areas[1]!.teams[1]!.lead = { subject: 'tl-l-2-neu', name: 'Nora Nachfolgerin' };
    const noop = await put(changed);
    expect(noop.body.position).toBeNull();
  });

  it('passes the authorisation matrix generated from every route’s declared action', async () => {
    await expectAuthorizationMatrix(app, config, {
      tenant: 'jc-a',
      units: ['markt-integration'],
      pathParams: { teamId: 'team-mi-1', absenceId: '01900000-0000-7000-8000-000000000000' },
    });
  });
});
