import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { type AppConfig, DEFAULT_RULES, uuidV7Ids } from '@pruefpfad/application';
import { programmeStreamId } from '@pruefpfad/domain';
import type { EventStore } from '@pruefpfad/event-store';
import { IF_MATCH_DESCRIPTION } from '../apps/api/src/commands/concurrency.openapi.js';
import { EVENT_STORE } from '../apps/api/src/runtime/tokens.js';
import { defineProgramme, mintTokens, projected } from './support/scenario-setup.js';
import { startTestApp, temporaryDirectories, testConfig } from './support/test-app.js';

/**
 * Two writes to one stream at the same moment, over HTTP, as README ("Concurrency") and the OpenAPI
 * describe them. Without `If-Match` the loser is read again and decided anew on the winner's state: it
 * succeeds when it does not conflict (no lost update) and gets the domain's answer when it does (here 422,
 * "the revision changes nothing"); never a silent overwrite. With `If-Match` the loser gets 412.
 *
 * Each race is run on many streams, warm (the pipeline has the stream's state cached) and cold (the stream
 * was written behind the pipeline's back, as by another instance, so both requests read it from the store);
 * the cold races are the ones in which both requests decide on the same revision.
 */

const TENANT = 'jc-a';
const RACES = 12;

describe('racing writes over HTTP (embedded stores)', () => {
  const dirs = temporaryDirectories();
  let config: AppConfig;
  let app: INestApplication;
  let tokens: Record<string, string> = {};

  const as = (who: string) => `Bearer ${tokens[who]}`;
  const http = () => request(app.getHttpServer());
  const revise = (id: string, changes: Record<string, unknown>, ifMatch?: string) => {
    const call = http()
      .post(`/api/v1/programmes/${id}/revisions`)
      .set('Authorization', as('areaHead'))
      .send({ changes, reason: 'Prüffeststellung' });
    return ifMatch === undefined ? call : call.set('If-Match', ifMatch);
  };
  const read = (id: string) => http().get(`/api/v1/programmes/${id}`).set('Authorization', as('areaHead'));
  const outcome = (response: request.Response) =>
    response.status < 300 ? `${response.status}` : `${response.status} ${(response.body as { code: string }).code}`;

  /** A programme defined through the pipeline: its state is cached there. */
  async function warmProgramme(): Promise<string> {
    const { id } = await defineProgramme(app, as('areaHead'), {
      settings: { title: 'Prüfplan', areaId: 'mi', customerProcess: 'allgemeine-vermittlung' },
      reason: 'Einführung',
    });
    return id;
  }

  /** A programme appended to the store directly: the pipeline has never seen its stream. */
  async function coldProgramme(): Promise<string> {
    const id = uuidV7Ids.next();
    const at = new Date().toISOString();
    const { position } = await app.get<EventStore>(EVENT_STORE).append(
      programmeStreamId(id),
      [
        {
          id: uuidV7Ids.next(),
          type: 'ProgrammeDefined',
          schemaVersion: 1,
          data: {
            programmeId: id,
            settings: {
              ...DEFAULT_RULES.programme,
              title: 'Prüfplan',
              areaId: 'mi',
              customerProcess: 'allgemeine-vermittlung',
              questionnaireId: null,
            },
            reason: 'Einführung',
            note: null,
            definedAt: at,
          },
          metadata: {
            occurredAt: at,
            actor: { userId: 'ah-1', role: 'area_head' },
            tenant: TENANT,
            correlationId: 'race',
            causationId: null,
            rulesVersion: 'test',
          },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    await projected(app, 'programmes', position);
    return id;
  }

  beforeAll(async () => {
    config = testConfig(dirs);
    app = await startTestApp(config);
    tokens = await mintTokens(config, {
      areaHead: { roles: ['area_head'], tenant: TENANT, units: ['mi'], subject: 'ah-1' },
    });
  });

  afterAll(async () => {
    await app?.close();
    dirs.remove();
  });

  it.each(['warm', 'cold'] as const)(
    '%s: the same change twice without If-Match: one succeeds, the loser is re-decided on its state (422)',
    async (cache) => {
      for (let i = 0; i < RACES; i += 1) {
        const id = cache === 'warm' ? await warmProgramme() : await coldProgramme();
        const answers = await Promise.all([revise(id, { title: 'Gleich' }), revise(id, { title: 'Gleich' })]);
        expect(answers.map(outcome).sort()).toEqual(['200', '422 RULE_VIOLATION']);
        const loser = answers.find((answer) => answer.status === 422)!;
        expect(loser.body.detail).toContain('The revision changes nothing');
        const stream = await app.get<EventStore>(EVENT_STORE).readStream(programmeStreamId(id));
        expect(stream.map((event) => event.type)).toEqual(['ProgrammeDefined', 'ProgrammeRevised']);
      }
    },
  );

  it.each(['warm', 'cold'] as const)(
    '%s: two different changes without If-Match both succeed, one after the other (no lost update)',
    async (cache) => {
      for (let i = 0; i < RACES; i += 1) {
        const id = cache === 'warm' ? await warmProgramme() : await coldProgramme();
        const answers = await Promise.all([revise(id, { title: 'Neu' }), revise(id, { reportDueDay: 20 })]);
        expect(answers.map(outcome)).toEqual(['200', '200']);
        expect(answers.map((answer) => answer.body.revision as number).sort()).toEqual([1, 2]);
        expect(answers.map((answer) => answer.headers.etag as string).sort()).toEqual(['"1"', '"2"']);
        const position = Math.max(...answers.map((answer) => answer.body.position as number));
        await projected(app, 'programmes', position);
        expect((await read(id)).body).toMatchObject({ revision: 2, settings: { title: 'Neu', reportDueDay: 20 } });
      }
    },
  );

  it.each(['warm', 'cold'] as const)(
    '%s: two writes with the same If-Match: one succeeds, the other gets 412 and writes nothing',
    async (cache) => {
      for (let i = 0; i < RACES; i += 1) {
        const id = cache === 'warm' ? await warmProgramme() : await coldProgramme();
        const answers = await Promise.all([revise(id, { title: 'A' }, '"0"'), revise(id, { reportDueDay: 20 }, '"0"')]);
        expect(answers.map(outcome).sort()).toEqual(['200', '412 PRECONDITION_FAILED']);
        const stream = await app.get<EventStore>(EVENT_STORE).readStream(programmeStreamId(id));
        expect(stream).toHaveLength(2);
      }
    },
  );

  it('the OpenAPI says the same on every write that takes If-Match, and once for the whole API', async () => {
    const docs = await http().get('/api/docs-json');
    expect(docs.status).toBe(200);
    const document = docs.body as {
      info: { description: string };
      paths: Record<
        string,
        Record<
          string,
          { parameters?: { name: string; in: string; description?: string }[]; responses: Record<string, unknown> }
        >
      >;
    };
    expect(document.info.description).toContain(IF_MATCH_DESCRIPTION);
    expect(IF_MATCH_DESCRIPTION).toMatch(/412 PRECONDITION_FAILED.*422 RULE_VIOLATION.*409 CONCURRENCY_CONFLICT/s);
    const guarded = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, operation]) => operation.parameters?.some((parameter) => parameter.name === 'If-Match'))
        .map(([method, operation]) => ({ at: `${method} ${path}`, operation })),
    );
    expect(guarded.map((entry) => entry.at)).toContain('post /api/v1/programmes/{id}/revisions');
    for (const { operation } of guarded) {
      expect(operation.parameters!.find((parameter) => parameter.name === 'If-Match')!.description).toBe(
        IF_MATCH_DESCRIPTION,
      );
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['409', '412', '422']));
    }
  });
});
