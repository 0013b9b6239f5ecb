import fs from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { AppConfig } from '@pruefpfad/application';
import { embeddedFiles } from '@pruefpfad/composition';
import {
  accessLogStreamId,
  type CaseSampled,
  organisationKeyId,
  reviewAggregate,
  reviewKeyId,
} from '@pruefpfad/domain';
import type { EventStore, RecordedEvent } from '@pruefpfad/event-store';
import { CASE_REF_PURPOSE, type Envelope, type KeyStore, pseudonymise, tenantPseudonymKey } from '@pruefpfad/privacy';
import { ACCESS_LOG, ORGANISATION_UNITS, REVIEWS } from '@pruefpfad/projections';
import { collectRouteActions } from '../apps/api/src/security/route-actions.js';
import { ENVELOPE, EVENT_STORE, KEY_STORE } from '../apps/api/src/runtime/tokens.js';
import {
  areaCast,
  defineProgramme,
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
 * The access log (Zugriffsprotokoll) over HTTP on the embedded stores: reads that return decrypted
 * personal data leave exactly one `PersonalDataAccessed` event per request, with ids and field names
 * only; pseudonymised reads leave none; auditors query the log, nobody changes it; a failed append fails
 * the read (fail closed).
 */
const TENANT = 'jc-a';
const AREA = 'markt-integration';
const OTHER_AREA = 'leistung';
const MONTH = '2026-03';
const MARKERS = {
  caseRef: 'ACCESSLOG-CASEREF-7f3a91',
  employee: 'ACCESSLOG-EMPLOYEE-Mustermann-c41d',
  talk: 'ACCESSLOG-TALK-e90b',
};
const REVIEW_1 = '0196c000-0000-7000-8000-000000000001';
const REVIEW_2 = '0196c000-0000-7000-8000-000000000002';

describe('access log over HTTP (embedded stores)', () => {
  const dirs = temporaryDirectories();
  const clock = testClock('2026-03-10T09:00:00.000Z');
  let config: AppConfig;
  let app: INestApplication;
  let tokens: Record<string, string> = {};
  let eventStore: EventStore;

  const http = () => request(app.getHttpServer());
  const as = (who: string) => `Bearer ${tokens[who]}`;
  const stream = () => accessLogStreamId(TENANT, MONTH);
  const logEvents = async (): Promise<RecordedEvent[]> => eventStore.readStream(stream());
  /** Reads the access log as `who` once the read model reflects every event stored so far. */
  const readLog = async (query: string, who = 'auditor') => {
    await projected(app, ACCESS_LOG, await eventStore.headPosition());
    return http().get(`/api/v1/access-log${query}`).set('Authorization', as(who));
  };

  async function sample(reviewId: string, programmeId: string): Promise<number> {
    const envelope = app.get<Envelope>(ENVELOPE, { strict: false });
    const caseRef = reviewId === REVIEW_1 ? MARKERS.caseRef : 'BG-OTHER';
    // The blind index as the population import computes it (keyed pseudonym under the tenant's key).
    const key = await tenantPseudonymKey(app.get<KeyStore>(KEY_STORE, { strict: false }), TENANT);
    const sampled: CaseSampled['data'] = {
      reviewId,
      sampleId: `sample-team-1-${MONTH}`,
      programmeId,
      areaId: AREA,
      teamId: 'team-1',
      month: MONTH,
      casePseudonym: await envelope.seal(reviewKeyId(reviewId), pseudonymise(key, caseRef, CASE_REF_PURPOSE)),
      caseRef: await envelope.seal(reviewKeyId(reviewId), caseRef),
      customerGroup: 'u25',
      questionnaireId: 'vkb-federal',
      questionnaireVersion: 1,
      deadline: '2026-03-31',
      origin: { kind: 'draw', replaces: null },
    };
    return seed(app, reviewAggregate, reviewId, { type: 'OpenReview', sampled });
  }

  beforeAll(async () => {
    config = testConfig(dirs);
    app = await startTestAppWithClock(config, clock);
    eventStore = app.get<EventStore>(EVENT_STORE, { strict: false });
    tokens = await mintTokens(config, {
      ...areaCast(AREA, OTHER_AREA),
      auditor: { roles: ['auditor'], tenant: TENANT, units: [], subject: 'ir-1' },
      otherTenantAuditor: { roles: ['auditor'], tenant: 'jc-b', units: [], subject: 'ir-b' },
    });
    const organisation = await seed(app, organisationFacts, TENANT, [
      unitDefined(AREA, 'area', null),
      unitDefined(OTHER_AREA, 'area', null),
      unitDefined('team-1', 'team', AREA),
      unitDefined('team-2', 'team', AREA),
      teamLeadAssigned('team-1', 'tl-1', 'dep-1'),
      teamLeadAssigned('team-2', 'tl-2', null),
    ]);
    await projected(app, ORGANISATION_UNITS, organisation);
    const { id: programmeId } = await defineProgramme(app, as('areaHead'), {
      settings: {
        title: 'Kundenbetrachtung',
        areaId: AREA,
        customerProcess: 'allgemeine-vermittlung',
        questionnaireId: 'vkb-federal',
      },
      reason: 'Einführung',
    });
    await sample(REVIEW_1, programmeId);
    await sample(REVIEW_2, programmeId);
    // The talk's employee and outcome, sealed under the review's key as the controller seals them.
    const envelope = app.get<Envelope>(ENVELOPE, { strict: false });
    const talk = await seed(app, reviewFacts, REVIEW_1, [
      {
        type: 'TalkHeld',
        data: {
          reviewId: REVIEW_1,
          date: '2026-03-09',
          employee: await envelope.seal(reviewKeyId(REVIEW_1), MARKERS.employee),
          outcome: await envelope.seal(reviewKeyId(REVIEW_1), MARKERS.talk),
          asDeputy: false,
        },
      },
    ]);
    await projected(app, REVIEWS, talk);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    dirs.remove();
  });

  it('records exactly one entry naming the review and the endpoint when a team lead reads a review', async () => {
    const before = (await logEvents()).length;
    const response = await http()
      .get(`/api/v1/reviews/${REVIEW_1}`)
      .set('Authorization', as('teamLead'))
      .set('X-Correlation-Id', 'corr-detail-1');
    expect(response.status).toBe(200);
    expect(response.body.caseRef).toBe(MARKERS.caseRef);
    expect(response.body.talks[0]).toMatchObject({ employee: MARKERS.employee, outcome: MARKERS.talk });

    const events = (await logEvents()).slice(before);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      type: 'PersonalDataAccessed',
      schemaVersion: 1,
      data: {
        purpose: 'review-detail',
        endpoint: 'GET /api/v1/reviews/:id',
        resources: [{ kind: 'review', id: REVIEW_1, reviewId: REVIEW_1 }],
        disclosure: 'full',
      },
      metadata: {
        tenant: TENANT,
        actor: { userId: 'tl-1', role: 'team_lead' },
        correlationId: 'corr-detail-1',
        occurredAt: '2026-03-10T09:00:00.000Z',
      },
    });
    expect(event!.data).toMatchObject({
      fields: expect.arrayContaining(['caseRef', 'talks.employee', 'talks.outcome']),
    });
  });

  it('records one entry per request for a worklist, listing every review shown', async () => {
    const before = (await logEvents()).length;
    const response = await http()
      .get(`/api/v1/teams/team-1/worklist?month=${MONTH}`)
      .set('Authorization', as('teamLead'));
    expect(response.status).toBe(200);
    const events = (await logEvents()).slice(before);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({
      purpose: 'worklist',
      endpoint: 'GET /api/v1/teams/:teamId/worklist',
      fields: ['caseRef'],
    });
    const ids = (events[0]!.data as { resources: { id: string }[] }).resources.map((resource) => resource.id).sort();
    expect(ids).toEqual([REVIEW_1, REVIEW_2].sort());
    // The query string (the month) is not recorded.
    expect(JSON.stringify(events[0])).not.toContain('month=');
  });

  it('records nothing for reads that return only pseudonymised or withheld data', async () => {
    const before = (await logEvents()).length;
    const history = await http().get(`/api/v1/reviews/${REVIEW_1}/history`).set('Authorization', as('auditor'));
    expect(history.status).toBe(200);
    expect(history.body.disclosure).toBe('pseudonymised');
    const areaHead = await http().get(`/api/v1/reviews/${REVIEW_1}`).set('Authorization', as('areaHead'));
    expect(areaHead.status).toBe(200);
    expect(areaHead.body.caseRef).toBeNull();
    expect(await logEvents()).toHaveLength(before);
  });

  it('records the team lead’s full audit history with the fields it opened', async () => {
    const before = (await logEvents()).length;
    const history = await http().get(`/api/v1/reviews/${REVIEW_1}/history`).set('Authorization', as('teamLead'));
    expect(history.status).toBe(200);
    expect(history.body.disclosure).toBe('full');
    const events = (await logEvents()).slice(before);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({
      purpose: 'audit-history',
      endpoint: 'GET /api/v1/reviews/:id/history',
      resources: [{ kind: 'review', id: REVIEW_1, reviewId: REVIEW_1 }],
      fields: expect.arrayContaining(['caseRef', 'employee', 'outcome']),
    });
  });

  it('finds a case’s reviews by customer number through the blind index, and logs the lookup without it', async () => {
    const lookup = (who: string, caseRef: string) =>
      http().post('/api/v1/reviews/lookup').set('Authorization', as(who)).send({ caseRef });
    const before = (await logEvents()).length;
    // The import's normalisation: case and surrounding spaces do not matter.
    const found = await lookup('teamLead', `  ${MARKERS.caseRef.toLowerCase()} `);
    expect(found.status).toBe(200);
    expect(found.body.items).toEqual([
      { id: REVIEW_1, teamId: 'team-1', month: MONTH, status: 'open', disclosure: 'full', caseRef: MARKERS.caseRef },
    ]);
    const events = (await logEvents()).slice(before);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({
      purpose: 'case-lookup',
      endpoint: 'POST /api/v1/reviews/lookup',
      resources: [{ kind: 'review', id: REVIEW_1, reviewId: REVIEW_1 }],
      fields: ['caseRef'],
    });
    expect(JSON.stringify(events[0]).toLowerCase()).not.toContain(MARKERS.caseRef.toLowerCase());

    // Another team's lead and another tenant find nothing; the area head finds it without the number.
    expect((await lookup('teamLead2', MARKERS.caseRef)).body.items).toEqual([]);
    expect((await lookup('otherTenant', MARKERS.caseRef)).body.items).toEqual([]);
    expect((await lookup('areaHead', MARKERS.caseRef)).body.items).toEqual([
      expect.objectContaining({ id: REVIEW_1, disclosure: 'withheld', caseRef: null }),
    ]);
    expect((await lookup('teamLead', 'unknown-number')).body.items).toEqual([]);
    // Misses and withheld answers open nothing, so they are not recorded.
    expect(await logEvents()).toHaveLength(before + 1);
    expect((await lookup('employee', MARKERS.caseRef)).status).toBe(403);
    expect((await lookup('teamLead', '')).status).toBe(400);
  });

  it('holds no customer data: no case reference, employee name, pseudonym or decrypted value', async () => {
    const events = await logEvents();
    expect(events.length).toBeGreaterThan(0);
    const serialised = JSON.stringify(events);
    const sealedPseudonym = ((await eventStore.readStream(`review-${REVIEW_1}`))[0]?.data as CaseSampled['data'])
      .casePseudonym;
    const pseudonym = await app.get<Envelope>(ENVELOPE, { strict: false }).open(sealedPseudonym);
    expect(pseudonym).toEqual(expect.any(String));
    for (const marker of [...Object.values(MARKERS), pseudonym as string, sealedPseudonym.ct, 'BG-OTHER'])
      expect(serialised).not.toContain(marker);
    // And the raw store files hold none of the clear markers (the log included).
    expectNoClearTextInStores(config, Object.values(MARKERS));
    // The scan covered the log itself: its events are in the event store's files (main file or WAL).
    const { events: file } = embeddedFiles(config);
    const raw = Buffer.concat(
      [file, `${file}-wal`].filter((name) => fs.existsSync(name)).map((name) => fs.readFileSync(name)),
    );
    expect(raw.includes(Buffer.from('PersonalDataAccessed'))).toBe(true);
  });

  it('lets auditors query the log of their own tenant, newest first, filtered and paginated', async () => {
    const all = await readLog('');
    expect(all.status).toBe(200);
    const items = all.body.items as { id: string; at: string; purpose: string; actor: { subject: string } }[];
    const events = await logEvents();
    expect(items.map((item) => item.id)).toEqual(events.map((event) => event.id).reverse());
    expect(all.body.next).toBeNull();
    expect(items.map((item) => item.purpose).slice(0, 2)).toEqual(['case-lookup', 'audit-history']);
    expect(items.find((item) => item.purpose === 'audit-history')).toMatchObject({
      actor: { subject: 'tl-1', role: 'team_lead' },
    });

    const ofReview2 = await readLog(`?review=${REVIEW_2}`);
    expect((ofReview2.body.items as { purpose: string }[]).map((item) => item.purpose)).toEqual(['worklist']);
    expect((await readLog('?actor=someone-else')).body.items).toEqual([]);
    expect((await readLog('?actor=tl-1&from=2026-03-10&to=2026-03-10')).body.items).toHaveLength(items.length);
    expect((await readLog('?from=2026-03-11')).body.items).toEqual([]);

    const first = await readLog('?limit=2');
    expect(first.body.items).toHaveLength(2);
    expect(typeof first.body.next).toBe('number');
    const second = await readLog(`?limit=2&after=${first.body.next}`);
    const paged = [...first.body.items, ...second.body.items].map((item: { id: string }) => item.id);
    expect(paged).toEqual(items.map((item) => item.id).slice(0, paged.length));

    expect((await readLog('', 'otherTenantAuditor')).body.items).toEqual([]);
    for (const bad of [
      '?limit=0',
      '?limit=abc',
      '?from=2026-13-01',
      '?review=not-a-uuid',
      '?from=2026-03-12&to=2026-03-01',
      '?x=1',
    ])
      expect((await readLog(bad)).status).toBe(400);
  });

  it('refuses the log to every role but the auditor', async () => {
    for (const who of ['teamLead', 'areaHead', 'management', 'employee', 'deputy'])
      expect((await http().get('/api/v1/access-log').set('Authorization', as(who))).status).toBe(403);
    expect((await http().get('/api/v1/access-log')).status).toBe(401);
  });

  it('is append-only: no route changes it, and the HMAC chain of its stream verifies', async () => {
    const routes = collectRouteActions(app).filter((route) => route.path.startsWith('/api/v1/access-log'));
    expect(routes.map((route) => route.method)).toEqual(['GET']);
    for (const method of ['post', 'put', 'patch', 'delete'] as const)
      expect([404, 405]).toContain(
        (await http()[method]('/api/v1/access-log').set('Authorization', as('auditor'))).status,
      );
    const verification = await eventStore.verifyStream(stream());
    expect(verification).toMatchObject({ ok: true, eventsChecked: (await logEvents()).length });
  });

  it('fails the read closed (503) when the access log cannot be written', async () => {
    const append = eventStore.append.bind(eventStore);
    eventStore.append = (streamId, events, options) =>
      streamId.startsWith('access-log-') ? Promise.reject(new Error('disk full')) : append(streamId, events, options);
    try {
      const response = await http().get(`/api/v1/reviews/${REVIEW_1}`).set('Authorization', as('teamLead'));
      expect(response.status).toBe(503);
      expect(response.body.code).toBe('ACCESS_LOG_UNAVAILABLE');
      expect(JSON.stringify(response.body)).not.toContain(MARKERS.caseRef);
      // A read that opens nothing is not affected.
      expect((await http().get(`/api/v1/reviews/${REVIEW_1}`).set('Authorization', as('areaHead'))).status).toBe(200);
    } finally {
      eventStore.append = append;
    }
  });

  it('records reads of who supervises (team leads’ names), and none where the names are withheld', async () => {
    const envelope = app.get<Envelope>(ENVELOPE, { strict: false });
    const changed = await seed(app, organisationFacts, TENANT, [
      teamLeadAssigned('team-2', 'tl-2', null, await envelope.seal(organisationKeyId(TENANT), 'Tom Teamleiter')),
    ]);
    await projected(app, ORGANISATION_UNITS, changed);
    const before = (await logEvents()).length;
    const team = await http().get('/api/v1/organisation/teams/team-2').set('Authorization', as('teamLead'));
    expect(team.status).toBe(200);
    expect(team.body.teamLead).toMatchObject({ name: 'Tom Teamleiter' });
    const events = (await logEvents()).slice(before);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({
      purpose: 'organisation',
      endpoint: 'GET /api/v1/organisation/teams/:teamId',
      resources: [{ kind: 'organisation', id: 'team-2', reviewId: null }],
      fields: ['name'],
    });
    expect(JSON.stringify(events[0]!.data)).not.toContain('Tom Teamleiter');
    const auditor = await http().get('/api/v1/organisation/teams/team-2').set('Authorization', as('auditor'));
    expect(auditor.status).toBe(200);
    expect(auditor.body.teamLead).toMatchObject({ name: null });
    expect(await logEvents()).toHaveLength(before + 1);
  });

  it('never stores or replays a lookup’s answer for an Idempotency-Key: each one is run and logged', async () => {
    const lookup = () =>
      http()
        .post('/api/v1/reviews/lookup')
        .set('Authorization', as('teamLead'))
        .set('Idempotency-Key', 'lookup-key-1')
        .send({ caseRef: MARKERS.caseRef });
    const before = (await logEvents()).length;
    for (const response of [await lookup(), await lookup()]) {
      expect(response.status).toBe(200);
      expect(response.body.items[0]).toMatchObject({ caseRef: MARKERS.caseRef });
      expect(response.headers['idempotent-replayed']).toBeUndefined();
    }
    expect(await logEvents()).toHaveLength(before + 2);
    expectNoClearTextInStores(config, [MARKERS.caseRef]);
  });
});
