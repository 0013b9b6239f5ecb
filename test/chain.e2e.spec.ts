import { DatabaseSync } from 'node:sqlite';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { AppConfig } from '@pruefpfad/application';
import {
  CHAIN_SEALS_STREAM,
  type ChainFinding,
  type ChainHeadsSealedData,
  embeddedFiles,
} from '@pruefpfad/composition';
import { programmeStreamId } from '@pruefpfad/domain';
import type { EventStore, RecordedEvent } from '@pruefpfad/event-store';
import { ChainSealingService } from '../apps/api/src/audit/chain-sealing.service.js';
import { EVENT_STORE } from '../apps/api/src/runtime/tokens.js';
import { runCli } from '../apps/cli/src/run-cli.js';
import {
  defineProgramme,
  expectAuthorizationMatrix,
  mintTokens,
  organisationFacts,
  runCommand,
  unitDefined,
} from './support/scenario-setup.js';
import { startTestApp, temporaryDirectories, testConfig } from './support/test-app.js';

/**
 * Tamper evidence end to end: events written through HTTP and the command pipeline, chain heads sealed,
 * then the SQLite file edited behind the service's back with a second connection (what someone with
 * file access could do). The endpoint and `npm run cli -- verify-chain` must name each damaged stream
 * with the revision and position where it breaks, and stay silent about untouched streams.
 */
describe('tamper evidence: verify-chain over HTTP and the CLI (embedded stores)', () => {
  const dirs = temporaryDirectories();
  let config: AppConfig;
  let app: INestApplication;
  let eventStore: EventStore;
  let tokens: Record<'areaHead' | 'managementB' | 'auditor' | 'auditorB' | 'operator', string>;
  /** Five programmes of jc-a with four events each (definition and three revisions), one per kind of damage. */
  const streams: Record<'changed' | 'removedMiddle' | 'forged' | 'truncated' | 'removedWhole', string> = {
    changed: '',
    removedMiddle: '',
    forged: '',
    truncated: '',
    removedWhole: '',
  };
  let otherTenantStream: string;
  const untouchedStream = 'organisation-jc-a';

  const http = () => request(app.getHttpServer());
  const as = (token: string) => `Bearer ${token}`;
  const verification = (token: string, query = '') =>
    http().get(`/api/v1/audit/chain-verification${query}`).set('Authorization', as(token));

  const cli = async (args: string[] = []) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      ['verify-chain', ...args],
      { out: (line) => out.push(line), err: (line) => err.push(line), progress: (line) => err.push(line) },
      { PRUEFPFAD_ENV: 'test', PRUEFPFAD_DATA_DIR: dirs.dataDir, PRUEFPFAD_KEY_DIR: dirs.keyDir },
    );
    return { code, out, err };
  };

  /** A second connection to the events file, as an attacker with file access would open it. */
  const tamper = (work: (db: DatabaseSync) => void): void => {
    const db = new DatabaseSync(embeddedFiles(config).events);
    try {
      work(db);
    } finally {
      db.close();
    }
  };

  const sealNow = () => app.get(ChainSealingService, { strict: false }).sealNow();
  const read = (streamId: string): Promise<RecordedEvent[]> => eventStore.readStream(streamId);

  beforeAll(async () => {
    config = testConfig(dirs);
    app = await startTestApp(config);
    eventStore = app.get<EventStore>(EVENT_STORE, { strict: false });
    tokens = await mintTokens(config, {
      areaHead: { roles: ['area_head'], tenant: 'jc-a', units: ['markt-integration'] },
      managementB: { roles: ['management'], tenant: 'jc-b' },
      auditor: { roles: ['auditor'], tenant: 'jc-a' },
      auditorB: { roles: ['auditor'], tenant: 'jc-b' },
      operator: { roles: ['operator'], tenant: 'jc-a' },
    });
    for (const name of Object.keys(streams) as (keyof typeof streams)[]) {
      const { id } = await defineProgramme(app, as(tokens.areaHead), {
        settings: { title: `Prüfplan ${name}`, areaId: 'markt-integration', customerProcess: 'allgemeine-vermittlung' },
        reason: 'Einführung',
      });
      for (let revision = 0; revision < 3; revision += 1) {
        const revised = await http()
          .post(`/api/v1/programmes/${id}/revisions`)
          .set('Authorization', as(tokens.areaHead))
          .set('If-Match', `"${revision}"`)
          .send({ changes: { title: `Prüfplan ${name} v${revision + 2}` }, reason: 'Überarbeitung' });
        expect(revised.status).toBe(200);
      }
      streams[name] = programmeStreamId(id);
    }
    const other = await defineProgramme(app, as(tokens.managementB), {
      settings: { title: 'Prüfplan B', areaId: 'leistung', customerProcess: 'allgemeine-vermittlung' },
      reason: 'Einführung',
    });
    otherTenantStream = programmeStreamId(other.id);
    await runCommand(app, organisationFacts, 'jc-a', [
      unitDefined('markt-integration', 'area', null),
      unitDefined('team-1', 'team', 'markt-integration'),
    ]);
  });

  afterAll(async () => {
    await app?.close();
    dirs.remove();
  });

  it('seals the heads of every changed stream into the chained seal stream', async () => {
    const [seal] = await sealNow();
    expect(seal).toBeDefined();
    expect(seal!.heads.map((head) => head.streamId).sort()).toEqual(
      [...Object.values(streams), otherTenantStream, untouchedStream].sort(),
    );
    const [lastChanged] = await eventStore.readStream(streams.changed, { direction: 'backwards', maxCount: 1 });
    expect(seal!.heads).toContainEqual({
      streamId: streams.changed,
      revision: 3,
      chain: lastChanged!.chain,
      tenant: 'jc-a',
    });
    expect(seal!.throughPosition).toBeGreaterThanOrEqual(lastChanged!.position);
    // Nothing changed since: no new seal, the seal stream is not sealed into itself.
    expect(await sealNow()).toEqual([]);
    expect((await read(CHAIN_SEALS_STREAM)).map((event) => (event.data as ChainHeadsSealedData).sealNumber)).toEqual([
      1,
    ]);
  });

  it('answers clean for the untouched store, over HTTP and in the CLI (exit 0)', async () => {
    const response = await verification(tokens.operator);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      clean: true,
      streamsChecked: 7,
      eventsChecked: 23,
      findings: [],
      next: null,
      seals: { count: 1, lastSealNumber: 1 },
    });

    const run = await cli();
    expect(run.code).toBe(0);
    expect(run.out).toEqual([]);
    expect(run.err.some((line) => line.includes('listing streams'))).toBe(true);
    expect(run.err.at(-1)).toContain('keine Befunde / clean');
  });

  describe('after editing the SQLite file directly', () => {
    const damaged: Record<string, { revision: number; position: number | null }> = {};

    beforeAll(async () => {
      const changed = await read(streams.changed);
      const removedMiddle = await read(streams.removedMiddle);
      const forged = await read(streams.forged);
      const truncated = await read(streams.truncated);
      let forgedPosition = 0;
      tamper((db) => {
        // A changed payload: the event's own link breaks.
        db.prepare(
          `UPDATE events SET data = json_set(data, '$.reason', 'nachträglich geändert') WHERE position = ?`,
        ).run(changed[1]!.position);
        // A removed event in the middle: the next event's link breaks.
        db.prepare('DELETE FROM events WHERE position = ?').run(removedMiddle[1]!.position);
        // A forged event at the end with a made-up chain value, the stream head moved along with it.
        const copy = forged[3]!;
        const inserted = db
          .prepare(
            `INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at, chain)
             VALUES (?, 4, ?, ?, 1, ?, ?, ?, ?)`,
          )
          .run(
            streams.forged,
            '019a0000-0000-7000-8000-000000000001',
            copy.type,
            JSON.stringify(copy.data),
            JSON.stringify(copy.metadata),
            copy.recordedAt,
            'f'.repeat(64),
          );
        forgedPosition = Number(inserted.lastInsertRowid);
        db.prepare('UPDATE streams SET revision = 4, chain = ? WHERE stream_id = ?').run(
          'f'.repeat(64),
          streams.forged,
        );
        // The newest event cut off, the stream head set back consistently: the chain alone cannot tell.
        db.prepare('DELETE FROM events WHERE position = ?').run(truncated[3]!.position);
        db.prepare('UPDATE streams SET revision = 2, chain = ? WHERE stream_id = ?').run(
          truncated[2]!.chain,
          streams.truncated,
        );
        // A whole stream removed without trace.
        db.prepare('DELETE FROM events WHERE stream_id = ?').run(streams.removedWhole);
        db.prepare('DELETE FROM streams WHERE stream_id = ?').run(streams.removedWhole);
      });
      damaged[streams.changed] = { revision: 1, position: changed[1]!.position };
      damaged[streams.removedMiddle] = { revision: 2, position: removedMiddle[2]!.position };
      damaged[streams.forged] = { revision: 4, position: forgedPosition };
      damaged[streams.truncated] = { revision: 3, position: null };
      damaged[streams.removedWhole] = { revision: 3, position: null };
    });

    const expectedFindings = (): unknown[] => [
      expect.objectContaining({ streamId: streams.changed, kind: 'chain-broken', ...damaged[streams.changed] }),
      expect.objectContaining({
        streamId: streams.removedMiddle,
        kind: 'chain-broken',
        ...damaged[streams.removedMiddle],
      }),
      expect.objectContaining({ streamId: streams.forged, kind: 'chain-broken', ...damaged[streams.forged] }),
      expect.objectContaining({ streamId: streams.truncated, kind: 'truncated', ...damaged[streams.truncated] }),
      expect.objectContaining({
        streamId: streams.removedWhole,
        kind: 'stream-missing',
        ...damaged[streams.removedWhole],
      }),
    ];
    const byStream = (findings: ChainFinding[]) =>
      [...findings].sort(
        (a, b) => Object.values(streams).indexOf(a.streamId) - Object.values(streams).indexOf(b.streamId),
      );

    it('the per-stream chains alone miss the cut-off tail and the removed stream: the seal is what catches them', async () => {
      expect(await eventStore.verifyStream(streams.truncated)).toMatchObject({ ok: true });
      expect(await eventStore.verifyStream(streams.removedWhole)).toMatchObject({ ok: true, eventsChecked: 0 });
    });

    it('reports each damaged stream with its revision and position to operators; untouched streams stay silent', async () => {
      const response = await verification(tokens.operator);
      expect(response.status).toBe(200);
      expect(response.body.clean).toBe(false);
      expect(byStream(response.body.findings as ChainFinding[])).toEqual(expectedFindings());
      // Technical facts only: no event content in any finding.
      expect(JSON.stringify(response.body)).not.toContain('nachträglich');
      expect(JSON.stringify(response.body)).not.toContain('Prüfplan');
    });

    it('shows auditors their own Jobcenter only', async () => {
      const own = await verification(tokens.auditor);
      expect(own.status).toBe(200);
      expect(byStream(own.body.findings as ChainFinding[])).toEqual(expectedFindings());
      expect(own.body.streamsChecked).toBe(6);

      const other = await verification(tokens.auditorB);
      expect(other.status).toBe(200);
      expect(other.body).toMatchObject({ clean: true, streamsChecked: 1, findings: [] });
      expect((await verification(tokens.auditorB, `?stream=${streams.truncated}`)).status).toBe(404);
      expect((await verification(tokens.auditorB, `?stream=${otherTenantStream}`)).body.clean).toBe(true);
    });

    it('checks one stream on request, and a large store in bounded parts', async () => {
      const one = await verification(tokens.operator, `?stream=${streams.removedWhole}`);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ clean: false, streamsChecked: 1, findings: [expectedFindings()[4]] });
      expect((await verification(tokens.operator, `?stream=${untouchedStream}`)).body.clean).toBe(true);
      expect((await verification(tokens.operator, '?stream=programme-never-existed')).status).toBe(404);

      const findings: ChainFinding[] = [];
      let parts = 0;
      let after: number | null = 0;
      while (after !== null) {
        const part = await verification(tokens.operator, `?after=${after}&limit=3`);
        expect(part.status).toBe(200);
        findings.push(...(part.body.findings as ChainFinding[]));
        after = part.body.next as number | null;
        parts += 1;
      }
      expect(parts).toBeGreaterThan(2);
      expect(byStream(findings)).toEqual(expectedFindings());

      const invalid = await verification(tokens.operator, '?limit=0&colour=blue');
      expect(invalid.status).toBe(400);
    });

    it('the CLI prints one line per finding and exits 1; a clean stream or tenant exits 0', async () => {
      const run = await cli();
      expect(run.code).toBe(1);
      expect(run.out).toHaveLength(5);
      for (const [streamId, at] of Object.entries(damaged)) {
        const line = run.out.find((candidate) => candidate.startsWith(`${streamId}\t`));
        expect(line).toContain(`Revision ${at.revision}\tPosition ${at.position ?? '-'}`);
      }
      expect(run.err.at(-1)).toContain('5 Befunde / findings');

      const one = await cli(['--stream', streams.truncated]);
      expect(one.code).toBe(1);
      expect(one.out).toEqual([expect.stringContaining('truncated')]);
      expect((await cli(['--stream', untouchedStream])).code).toBe(0);
      expect((await cli(['--tenant', 'jc-b'])).code).toBe(0);
      expect((await cli(['--tenant', 'jc-a'])).code).toBe(1);
      expect((await cli(['--colour', 'blue'])).code).toBe(2);
    });
  });

  it('the CLI reports a missing events file instead of calling the store clean', async () => {
    const empty = temporaryDirectories();
    try {
      const err: string[] = [];
      const code = await runCli(
        ['verify-chain'],
        { out: () => undefined, err: (line) => err.push(line), progress: () => undefined },
        { PRUEFPFAD_ENV: 'test', PRUEFPFAD_DATA_DIR: empty.dataDir, PRUEFPFAD_KEY_DIR: empty.keyDir },
      );
      expect(code).toBe(1);
      expect(err).toEqual([expect.stringContaining('no event store at')]);
    } finally {
      empty.remove();
    }
  });

  it('authorisation: auditors and operators only, as the matrix of every route says', async () => {
    for (const roles of [['team_lead'], ['management'], ['employee'], ['area_head']] as const) {
      const token = await mintTokens(config, { caller: { roles: [...roles], tenant: 'jc-a', units: ['team-1'] } });
      expect((await verification(token.caller)).status).toBe(403);
    }
    expect((await http().get('/api/v1/audit/chain-verification')).status).toBe(401);
    await expectAuthorizationMatrix(app, config, { tenant: 'jc-a', units: ['team-1'] });
  });
});
