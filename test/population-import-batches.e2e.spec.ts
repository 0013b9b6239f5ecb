import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { AppConfig } from '@pruefpfad/application';
import { readPopulation } from '@pruefpfad/composition';
import type { QuestionnaireEvent } from '@pruefpfad/domain';
import type { AppendOptions, AppendResult, EventStore, NewEvent } from '@pruefpfad/event-store';
import { EVENT_STORE } from '../apps/api/src/runtime/tokens.js';
import {
  mintTokens,
  organisationFacts,
  questionnaireFacts,
  seed,
  testClock,
  unitDefined,
} from './support/scenario-setup.js';
import { startTestAppWithClock, temporaryDirectories, testConfig } from './support/test-app.js';

/**
 * Issue 13, item 4: a population import is written in bounded appends, each against the previous one's
 * revision, and completed by a marker; a crash or timeout part-way leaves a population that counts
 * nowhere, and a retry of the same file completes that same population instead of making a second one.
 * Appends are observed (and failed) by wrapping the application's own event store.
 */
const PROCESS = 'allgemeine-vermittlung';
const GROUPS = ['u25', 'ue25', 'reha', 'alleinerziehend'];
const MAX_APPEND_BYTES = 512 * 1024;
const MAX_APPEND_ROWS = 1000;

function populationCsv(prefix: string, rows: number): string {
  const lines = ['caseReference;customerGroup;team;process;needs16a'];
  for (let i = 0; i < rows; i += 1) {
    const team = i % 2 === 0 ? 'team-1' : 'team-2';
    lines.push(
      `${prefix}-${String(i).padStart(6, '0')};${GROUPS[i % 4]};${team};${PROCESS};${i % 7 === 0 ? 'ja' : 'nein'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** One append to a population stream as the store received it: its size as KurrentDB counts it. */
interface SeenAppend {
  readonly streamId: string;
  readonly types: readonly string[];
  readonly rows: number;
  /** Data, metadata and type of every event, UTF-8 JSON. */
  readonly bytes: number;
  readonly expectedRevision: AppendOptions['expectedRevision'];
}

describe('population imports in bounded appends (embedded stores)', () => {
  const dirs = temporaryDirectories();
  const clock = testClock('2026-03-02T08:00:00.000Z');
  let config: AppConfig;
  let app: INestApplication;
  let eventStore: EventStore;
  let tokens: Record<string, string> = {};
  const http = () => request(app.getHttpServer());
  const as = (who: string) => `Bearer ${tokens[who]}`;

  let seen: SeenAppend[] = [];
  /** Called before each population append reaches the store; may throw or commit and then throw. */
  let fault: ((append: SeenAppend, commit: () => Promise<AppendResult>) => Promise<AppendResult>) | null = null;

  beforeAll(async () => {
    config = testConfig(dirs);
    app = await startTestAppWithClock(config, clock);
    eventStore = app.get(EVENT_STORE);
    const append = eventStore.append.bind(eventStore);
    eventStore.append = (streamId: string, events: readonly NewEvent[], options: AppendOptions) => {
      if (!streamId.startsWith('population-')) return append(streamId, events, options);
      const observed: SeenAppend = {
        streamId,
        types: events.map((event) => event.type),
        rows: events.reduce(
          (sum, event) =>
            sum + (event.type === 'PopulationRowsAdded' ? (event.data as { rows: unknown[] }).rows.length : 0),
          0,
        ),
        bytes: events.reduce(
          (sum, event) =>
            sum +
            Buffer.byteLength(JSON.stringify(event.data)) +
            Buffer.byteLength(JSON.stringify(event.metadata)) +
            Buffer.byteLength(event.type),
          0,
        ),
        expectedRevision: options.expectedRevision,
      };
      seen.push(observed);
      const commit = () => append(streamId, events, options);
      return fault === null ? commit() : fault(observed, commit);
    };
    tokens = await mintTokens(config, {
      areaHead: { roles: ['area_head'], tenant: 'jc-a', units: ['mi'], subject: 'bl-mi' },
    });
    await seed(app, organisationFacts, 'jc-a', [
      unitDefined('mi', 'area', null, { name: 'mi' }),
      unitDefined('team-1', 'team', 'mi', { name: 'team-1' }),
      unitDefined('team-2', 'team', 'mi', { name: 'team-2' }),
    ]);
    const published: QuestionnaireEvent = {
      type: 'QuestionnaireVersionPublished',
      data: {
        questionnaireId: 'vkb',
        version: 1,
        title: 'Verlaufsbezogene Kundenbetrachtung',
        process: PROCESS,
        source: '003:45–70',
        sections: [
          {
            id: 's1',
            title: 'Integrationsprozess',
            questions: [
              {
                id: 'q1',
                text: 'Frage q1',
                answerType: 'yes-no-na',
                mandatory: true,
                category: 'beratung',
                legalNorm: null,
                guidance: null,
              },
            ],
          },
        ],
        validFrom: '2020-01-01',
        reason: 'Einführung',
      },
    };
    await seed(app, questionnaireFacts, 'vkb', [published]);
  });

  beforeEach(() => {
    seen = [];
    fault = null;
  });

  afterAll(async () => {
    await app?.close();
    dirs.remove();
  });

  async function define(): Promise<string> {
    const response = await http()
      .post('/api/v1/programmes')
      .set('Authorization', as('areaHead'))
      .send({
        settings: {
          title: 'VKB',
          areaId: 'mi',
          customerProcess: PROCESS,
          questionnaireId: 'vkb',
          minimumCasesPerTeamLead: 2,
          excludeDrawnWithinMonths: 0,
        },
        reason: 'Einführung',
      });
    expect(response.status).toBe(201);
    return response.body.id as string;
  }

  const importCsv = (programmeId: string, csv: string, position?: number) => {
    const call = http()
      .post(`/api/v1/programmes/${programmeId}/populations?month=2026-03&fileName=opds.csv`)
      .set('Authorization', as('areaHead'))
      .set('Content-Type', 'text/csv');
    return (position === undefined ? call : call.set('X-Min-Position', String(position))).send(csv);
  };

  const list = (programmeId: string, position?: number) => {
    const call = http().get(`/api/v1/programmes/${programmeId}/populations`).set('Authorization', as('areaHead'));
    return position === undefined ? call : call.set('X-Min-Position', String(position));
  };

  /** Each append within the bounds, each against the revision the previous one produced. */
  function expectBoundedChain(appends: readonly SeenAppend[]): void {
    for (const append of appends) {
      expect(append.bytes).toBeLessThanOrEqual(MAX_APPEND_BYTES);
      expect(append.rows).toBeLessThanOrEqual(MAX_APPEND_ROWS);
    }
    // Each append builds on the revision the previous one produced.
    const start = appends[0]!.expectedRevision;
    let revision = start === 'no_stream' ? -1 : (start as number);
    for (const [index, append] of appends.entries()) {
      if (index > 0) expect(append.expectedRevision).toBe(revision);
      revision += append.types.length;
    }
  }

  it('writes a 50,000-row import in appends below the bound, then the completion marker', async () => {
    const programmeId = await define();
    const response = await importCsv(programmeId, populationCsv('gross', 50_000));
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ rowCount: 50_000, appends: 51 });
    const populationId = response.body.populationId as string;

    // 50 appends of 1,000 rows (the first with the import event), then the marker alone.
    expect(seen).toHaveLength(51);
    expect(seen.every((append) => append.streamId === `population-${populationId}`)).toBe(true);
    expect(seen[0]!.expectedRevision).toBe('no_stream');
    expectBoundedChain(seen);
    expect(seen.map((append) => append.rows).reduce((a, b) => a + b, 0)).toBe(50_000);
    expect(seen[0]!.types[0]).toBe('PopulationImported');
    expect(seen.at(-1)!.types).toEqual(['PopulationImportCompleted']);
    // The largest append is still half of KurrentDB's default MaxAppendSize (1 MiB).
    expect(Math.max(...seen.map((append) => append.bytes))).toBeLessThan((1024 * 1024) / 2);

    const stored = await readPopulation(eventStore, populationId);
    expect(stored?.rows).toHaveLength(50_000);
    const summary = await list(programmeId, response.body.position as number);
    expect(summary.body.items).toEqual([
      expect.objectContaining({ id: populationId, rowCount: 50_000, rowsReceived: 50_000 }),
    ]);
  }, 120_000);

  it('after a crash part-way the population counts nowhere; the retry completes that same one, every row once', async () => {
    const programmeId = await define();
    const csv = populationCsv('crash', 5_000);
    // The 4th append reaches the store and commits, but its answer is lost (a KurrentDB deadline): an
    // unknown outcome. Nothing after it is written.
    fault = async (append, commit) => {
      if (seen.length < 4) return commit();
      if (seen.length === 4) await commit();
      throw Object.assign(new Error('Deadline Exceeded'), { type: 'deadline-exceeded' });
    };
    const failed = await importCsv(programmeId, csv);
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({ code: 'STORE_UNAVAILABLE', commitUnknown: true });
    const populationId = seen[0]!.streamId.slice('population-'.length);
    const partial = await eventStore.readStream(`population-${populationId}`);
    expect(partial.some((event) => event.type === 'PopulationImportCompleted')).toBe(false);
    expect(partial.filter((event) => event.type === 'PopulationRowsAdded').length).toBeGreaterThan(0);

    // Incomplete: not in the list, not readable, not drawn from, not the record a draw reads.
    const head = await eventStore.headPosition();
    expect((await list(programmeId, head)).body.items).toEqual([]);
    expect(
      (
        await http()
          .get(`/api/v1/programmes/${programmeId}/populations/${populationId}`)
          .set('Authorization', as('areaHead'))
      ).status,
    ).toBe(404);
    expect(await readPopulation(eventStore, populationId)).toBeNull();
    const refused = await http()
      .post(`/api/v1/programmes/${programmeId}/samples`)
      .set('Authorization', as('areaHead'))
      .set('X-Min-Position', String(head))
      .send({ month: '2026-03' });
    expect(refused.status).toBe(422);
    expect(refused.body.detail ?? refused.body.message).toMatch(/keine Grundgesamtheit|No population/);

    // The retry: the same file, the same population, continued from the stream's actual revision.
    fault = null;
    seen = [];
    const retried = await importCsv(programmeId, csv);
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ populationId, rowCount: 5_000 });
    expect(seen[0]!.expectedRevision).toBe(partial.at(-1)!.revision);
    expectBoundedChain(seen);

    const stored = await readPopulation(eventStore, populationId);
    expect(stored?.rows).toHaveLength(5_000);
    expect(new Set(stored!.rows.map((row) => row.token)).size).toBe(5_000);
    expect(stored!.imported.fingerprint).toBe(retried.body.fingerprint);
    const items = (await list(programmeId, retried.body.position as number)).body.items as { id: string }[];
    expect(items.map((item) => item.id)).toEqual([populationId]);

    // Once more (the client never saw the answer): the same population, nothing written.
    seen = [];
    const again = await importCsv(programmeId, csv);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ populationId, appends: 0, position: retried.body.position });
    expect(seen).toEqual([]);

    // And it is the population a draw uses.
    const drawn = await http()
      .post(`/api/v1/programmes/${programmeId}/samples`)
      .set('Authorization', as('areaHead'))
      .set('X-Min-Position', String(retried.body.position))
      .send({ month: '2026-03' });
    expect(drawn.status).toBe(201);
  }, 120_000);

  it('two runs of the same import at once (a client retry while the first still runs) make one population', async () => {
    const programmeId = await define();
    const csv = populationCsv('doppelt', 4_000);
    const [first, second] = await Promise.all([importCsv(programmeId, csv), importCsv(programmeId, csv)]);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.populationId).toBe(first.body.populationId);
    const stored = await readPopulation(eventStore, first.body.populationId as string);
    expect(stored?.rows).toHaveLength(4_000);
    expect(new Set(stored!.rows.map((row) => row.token)).size).toBe(4_000);
    const position = Math.max(first.body.position as number, second.body.position as number);
    expect((await list(programmeId, position)).body.items).toHaveLength(1);
  }, 120_000);

  it('a file imported again after another one is a new population and the latest; sent twice, it is one', async () => {
    const programmeId = await define();
    const fileA = populationCsv('erst', 40);
    const fileB = populationCsv('korrigiert', 40);
    const a = await importCsv(programmeId, fileA);
    const b = await importCsv(programmeId, fileB, a.body.position as number);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.populationId).not.toBe(a.body.populationId);

    // Back to the first file: after B it is a new population, and the one a draw uses. Sent at once, without
    // X-Min-Position: the import waits for the populations read model to show B before it decides.
    const again = await importCsv(programmeId, fileA);
    expect(again.status).toBe(201);
    expect(again.body.appends).toBe(1);
    expect([a.body.populationId, b.body.populationId]).not.toContain(again.body.populationId);
    const items = (await list(programmeId, again.body.position as number)).body.items as { id: string }[];
    expect(items.map((item) => item.id).sort()).toEqual(
      [a.body.populationId, b.body.populationId, again.body.populationId].sort(),
    );

    // Sent once more (a retry whose answer was lost): it is the latest population, nothing is written.
    seen = [];
    const retry = await importCsv(programmeId, fileA, again.body.position as number);
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ populationId: again.body.populationId, appends: 0 });
    expect(seen).toEqual([]);
    // Also when the retry cannot see it yet in the read model (no X-Min-Position): the same id.
    const blind = await importCsv(programmeId, fileA);
    expect(blind.body.populationId).toBe(again.body.populationId);

    const drawn = await http()
      .post(`/api/v1/programmes/${programmeId}/samples`)
      .set('Authorization', as('areaHead'))
      .set('X-Min-Position', String(again.body.position))
      .send({ month: '2026-03' });
    expect(drawn.status).toBe(201);
    const sample = await http()
      .get(`/api/v1/programmes/${programmeId}/samples/${drawn.body.samples[0].sampleId as string}`)
      .set('Authorization', as('areaHead'))
      .set('X-Min-Position', String(drawn.body.position));
    expect(sample.body.populationId).toBe(again.body.populationId);
  }, 120_000);
});
