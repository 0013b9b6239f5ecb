import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { AppConfig } from '@pruefpfad/application';
import type { EventStore } from '@pruefpfad/event-store';
import { ORGANISATION_UNITS } from '@pruefpfad/projections';
import { EVENT_STORE } from '../apps/api/src/runtime/tokens.js';
import {
  defineProgramme,
  mintTokens,
  organisationFacts,
  projected,
  seed,
  unitDefined,
} from './support/scenario-setup.js';
import { startTestApp, temporaryDirectories, testConfig } from './support/test-app.js';

const PROCESS = 'allgemeine-vermittlung';
/** Configured low so that a body within the body limit can exceed them. */
const MAX_ARRAY_LENGTH = 1000;
/** Raised from the default 100 KiB: a JSON population import of 1,000 rows has about 115 kB. */
const MAX_BODY_BYTES = 256 * 1024;
const MAX_OBJECT_KEYS = 50;
/** The default depth limit. */
const MAX_DEPTH = 32;

/** The Europe/Berlin month of today: a population import for it is legitimate whatever the date rules. */
function currentMonth(): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit' })
    .formatToParts(new Date())
    .reduce<Record<string, string>>((all, part) => ({ ...all, [part.type]: part.value }), {});
  return `${parts.year}-${parts.month}`;
}

/** `{"a":{"a":…1…}}` or `[[…1…]]`, `levels` containers deep (1,500 levels of arrays are 3 kB). */
function nested(levels: number, shape: 'objects' | 'arrays'): string {
  return shape === 'arrays'
    ? `${'['.repeat(levels)}1${']'.repeat(levels)}`
    : `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

function fieldsOf(problem: { errors: readonly { field: string }[] }): string[] {
  return problem.errors.map((error) => error.field);
}

function populationRows(count: number): string {
  const rows = Array.from({ length: count }, (_, i) => ({
    caseReference: `123D${String(i).padStart(6, '0')}`,
    customerGroup: 'u25',
    team: 'team-1',
    process: PROCESS,
    needs16a: false,
  }));
  return JSON.stringify({ rows });
}

/**
 * Hostile bodies and query strings (issue 9, item 9): a deeply nested body once overflowed the stack in
 * validation (500), and fields named `__proto__`, `constructor` or `prototype` were dropped silently by the
 * transformation and the request written. Both are refused with 400 before any validation runs, and
 * nothing is written.
 */
describe('hostile input over HTTP (embedded stores)', () => {
  const dirs = temporaryDirectories();
  let config: AppConfig;
  let app: INestApplication;
  let eventStore: EventStore;
  let tokens: Record<'areaHead' | 'management', string>;
  let programmeId: string;
  const month = currentMonth();

  const http = () => request(app.getHttpServer());

  const programmeBody = (settings = '', top = '') =>
    `{${top}"settings":{${settings}"title":"VKB","areaId":"mi","customerProcess":"${PROCESS}"},"reason":"Einführung"}`;
  const organisationBody = (lead = '') =>
    `{"areas":[{"id":"mi","name":"M&I","teams":[{"id":"team-1","name":"Team 1","process":"${PROCESS}",` +
    `"lead":{${lead}"subject":"tl-1","name":"Erika Muster"}}]}]}`;

  /** The three kinds of endpoint with a JSON body: a command (POST), the population import, a PUT. */
  const endpoints = () =>
    [
      { name: 'define programme', method: 'post', path: '/api/v1/programmes', token: tokens.areaHead },
      {
        name: 'population import',
        method: 'post',
        path: `/api/v1/programmes/${programmeId}/populations?month=${month}`,
        token: tokens.areaHead,
      },
      { name: 'load organisation', method: 'put', path: '/api/v1/organisation', token: tokens.management },
    ] as const;

  const send = (endpoint: ReturnType<typeof endpoints>[number], body: string) =>
    http()
      [endpoint.method](endpoint.path)
      .set('Authorization', `Bearer ${endpoint.token}`)
      .set('Content-Type', 'application/json')
      .send(body);

  /** Runs `act` and asserts that the event store's head did not move. */
  async function writesNothing<T>(act: () => Promise<T>): Promise<T> {
    const before = await eventStore.headPosition();
    const result = await act();
    expect(await eventStore.headPosition()).toBe(before);
    return result;
  }

  beforeAll(async () => {
    config = testConfig(dirs, {
      PRUEFPFAD_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
      PRUEFPFAD_MAX_JSON_ARRAY_LENGTH: String(MAX_ARRAY_LENGTH),
      PRUEFPFAD_MAX_JSON_KEYS: String(MAX_OBJECT_KEYS),
    });
    app = await startTestApp(config);
    eventStore = app.get(EVENT_STORE);
    tokens = await mintTokens(config, {
      areaHead: { roles: ['area_head'], tenant: 'jc-a', units: ['mi'], subject: 'bl-mi' },
      management: { roles: ['management'], tenant: 'jc-a' },
    });
    const units = await seed(app, organisationFacts, 'jc-a', [
      unitDefined('mi', 'area', null),
      unitDefined('team-1', 'team', 'mi'),
    ]);
    await projected(app, ORGANISATION_UNITS, units);
    programmeId = (
      await defineProgramme(app, `Bearer ${tokens.areaHead}`, {
        settings: { title: 'VKB', areaId: 'mi', customerProcess: PROCESS },
        reason: 'Einführung',
      })
    ).id;
  });

  afterAll(async () => {
    await app?.close();
    dirs.remove();
  });

  it.each(['arrays', 'objects'] as const)(
    'a body of %s nested 1,500 levels deep gets 400 naming the limit on every kind of endpoint, and nothing is written',
    async (shape) => {
      const deep = nested(1500, shape);
      const segment = shape === 'arrays' ? '0' : 'a';
      // The field named is the first container beyond the limit.
      const bodies = [
        {
          body: `{"settings":${deep},"reason":"x"}`,
          field: ['settings', ...Array<string>(MAX_DEPTH - 1).fill(segment)],
        },
        { body: deep, field: Array<string>(MAX_DEPTH).fill(segment) },
      ];
      for (const endpoint of endpoints())
        for (const { body, field } of bodies) {
          const response = await writesNothing(() => send(endpoint, body));
          expect({ endpoint: endpoint.name, status: response.status }).toEqual({
            endpoint: endpoint.name,
            status: 400,
          });
          expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(response.body).toMatchObject({
            status: 400,
            code: 'INPUT_LIMIT_EXCEEDED',
            title: expect.stringMatching(/^[^/]+ \/ .+/),
          });
          expect(response.body.detail).toContain(`${MAX_DEPTH} Ebenen`);
          expect(response.body.detail).toContain(`${MAX_DEPTH} levels`);
          expect(response.body.errors).toEqual([{ field: field.join('.'), message: response.body.detail }]);
        }
      // With an Idempotency-Key the body is hashed before the handler runs: refused all the same.
      const response = await writesNothing(() =>
        send(endpoints()[0], `{"settings":${deep},"reason":"x"}`).set('Idempotency-Key', `deep-${shape}`),
      );
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('INPUT_LIMIT_EXCEEDED');
    },
  );

  it('the depth limit is exact: 32 levels pass on to validation, 33 are refused', async () => {
    const endpoint = endpoints()[0];
    // The body object is level 1, `extra` holds the rest.
    const within = await send(endpoint, programmeBody('', `"extra":${nested(MAX_DEPTH - 1, 'objects')},`));
    expect(within.status).toBe(400);
    expect(within.body.code).toBe('VALIDATION_FAILED');
    expect(within.body.errors).toContainEqual({ field: 'extra', message: 'Unbekanntes Feld / Unknown field' });
    const beyond = await send(endpoint, programmeBody('', `"extra":${nested(MAX_DEPTH, 'objects')},`));
    expect(beyond.status).toBe(400);
    expect(beyond.body.code).toBe('INPUT_LIMIT_EXCEEDED');
    expect(beyond.body.errors[0].field).toBe(['extra', ...Array<string>(MAX_DEPTH - 1).fill('a')].join('.'));
  });

  it.each([
    ['__proto__', programmeBody('', '"__proto__":{"polluted":true},'), 'define programme'],
    ['constructor', programmeBody('', '"constructor":{"name":"x"},'), 'define programme'],
    ['prototype', programmeBody('', '"prototype":1,'), 'define programme'],
    ['settings.__proto__', programmeBody('"__proto__":{"minimumCasesPerTeamLead":1},'), 'define programme'],
    ['settings.constructor', programmeBody('"constructor":"x",'), 'define programme'],
    ['areas.0.teams.0.lead.constructor', organisationBody('"constructor":{"prototype":1},'), 'load organisation'],
    ['areas.0.teams.0.lead.__proto__', organisationBody('"__proto__":null,'), 'load organisation'],
    ['rows.0.__proto__', `{"rows":[{"__proto__":{},"caseReference":"123D000001"}]}`, 'population import'],
  ])('a field named %s is refused with 400 naming it, and nothing is written', async (field, body, name) => {
    const endpoint = endpoints().find((candidate) => candidate.name === name)!;
    const response = await writesNothing(() => send(endpoint, body));
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.errors).toContainEqual({
      field,
      message: 'Unzulässiger Feldname / Forbidden field name',
    });
  });

  it('every forbidden field of a body is named at once', async () => {
    const response = await writesNothing(() =>
      send(endpoints()[0], programmeBody('"constructor":1,', '"__proto__":{"prototype":2},')),
    );
    expect(response.status).toBe(400);
    expect(fieldsOf(response.body).sort()).toEqual(['__proto__', '__proto__.prototype', 'settings.constructor']);
  });

  // Express 5 parses query strings flat ("simple" parser): brackets nest nothing, and the whitelist names them.
  it.each([
    ['constructor', 'constructor=x', 'constructor'],
    ['__proto__', '__proto__=x', '__proto__'],
    ['a[__proto__]', 'a[__proto__]=x', 'a[__proto__]'],
    ['a[constructor][prototype]', 'a[constructor][prototype]=x', 'a[constructor][prototype]'],
    ['a[b] 200 levels deep', `a${'[b]'.repeat(200)}=x`, `a${'[b]'.repeat(200)}`],
  ])(
    'a query string with %s is refused with 400 naming the parameter, and nothing is written',
    async (_, query, field) => {
      const response = await writesNothing(() =>
        http()
          .post(`/api/v1/programmes/${programmeId}/populations?month=${month}&${query}`)
          .set('Authorization', `Bearer ${tokens.areaHead}`)
          .set('Content-Type', 'application/json')
          .send(populationRows(2)),
      );
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(response.body)).toContain(field);
    },
  );

  it('lists longer than the configured limit and objects with more fields than it are refused before validation', async () => {
    const endpoint = endpoints().find((candidate) => candidate.name === 'population import')!;
    const list = await writesNothing(() =>
      send(endpoint, JSON.stringify({ rows: Array<number>(MAX_ARRAY_LENGTH + 1).fill(0) })),
    );
    expect(list.status).toBe(400);
    expect(list.body).toMatchObject({ code: 'INPUT_LIMIT_EXCEEDED', errors: [{ field: 'rows' }] });
    expect(list.body.detail).toContain(String(MAX_ARRAY_LENGTH));

    const fields = Object.fromEntries(Array.from({ length: MAX_OBJECT_KEYS + 1 }, (_, i) => [`f${i}`, i]));
    const object = await writesNothing(() => send(endpoints()[0], JSON.stringify({ settings: fields, reason: 'x' })));
    expect(object.status).toBe(400);
    expect(object.body).toMatchObject({ code: 'INPUT_LIMIT_EXCEEDED', errors: [{ field: 'settings' }] });
    expect(object.body.detail).toContain(String(MAX_OBJECT_KEYS));
  });

  it('a legitimate JSON population import at the configured limits still imports; a larger body gets 413', async () => {
    const body = populationRows(MAX_ARRAY_LENGTH);
    expect(Buffer.byteLength(body)).toBeGreaterThan(100 * 1024);
    const response = await send(endpoints()[1], body);
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ rowCount: MAX_ARRAY_LENGTH });

    const tooLarge = await writesNothing(() =>
      send(endpoints()[0], programmeBody('', `"note":"${'x'.repeat(MAX_BODY_BYTES)}",`)),
    );
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a URL-encoded form is not parsed (its parser drops __proto__ silently): 400, nothing written', async () => {
    const form =
      `settings[title]=VKB&settings[areaId]=mi&settings[customerProcess]=${PROCESS}&reason=Einf%C3%BChrung` +
      '&__proto__[polluted]=1&settings[__proto__][x]=1';
    const response = await writesNothing(() =>
      http()
        .post('/api/v1/programmes')
        .set('Authorization', `Bearer ${tokens.areaHead}`)
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send(form),
    );
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
  });
});
