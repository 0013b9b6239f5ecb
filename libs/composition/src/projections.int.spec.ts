import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { type AppConfig, loadConfig } from '@pruefpfad/application';
import { ProjectionRunner } from '@pruefpfad/projections';
import { until } from '@pruefpfad/projections/testing';
import { openInfrastructure, type Infrastructure } from './infrastructure.js';
import { startProjections, waitForAllWith, type RunningProjections } from './projections.js';

/**
 * Read-your-writes for every read model at once, as `X-Min-Position` asks for it: in server mode the API
 * only reads checkpoints another process commits, and a checkpoint moves only with the projection's own
 * events, so a position past it must still count as reached when none of its events lies in between.
 */
describe('waiting for every read model', () => {
  describe('server mode: the API reads the checkpoints the projector commits', () => {
    let root: string;
    let config: AppConfig;
    let infrastructure: Infrastructure;
    let projector: ProjectionRunner;
    let api: RunningProjections;

    beforeAll(async () => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-projections-'));
      config = loadConfig({
        PRUEFPFAD_ENV: 'test',
        PRUEFPFAD_DATA_DIR: path.join(root, 'data'),
        PRUEFPFAD_KEY_DIR: path.join(root, 'keys'),
      });
      infrastructure = await openInfrastructure(config);
      // The API side of server mode (only the store mode decides it), on the same stores as the projector.
      api = await startProjections({ ...config, stores: { kind: 'server' } } as unknown as AppConfig, infrastructure);
      projector = new ProjectionRunner({
        definitions: api.definitions,
        eventStore: infrastructure.eventStore,
        documentStore: infrastructure.documents,
        checkpointStore: infrastructure.checkpoints,
      });
      projector.start();
      // Every projection built and following: what comes next reaches them only through the subscription.
      await until(() => projector.status().every((status) => status.state === 'live'), 20_000, 'projector live');
    });

    afterAll(async () => {
      await projector.stop();
      await api.stop();
      await infrastructure.close();
      fs.rmSync(root, { recursive: true, force: true });
    });

    it('counts a position as reached by every read model, also those that handle none of its events', async () => {
      const { position } = await infrastructure.eventStore.append(
        `organisation-jc-a`,
        [
          {
            id: randomUUID(),
            type: 'UnitDefined',
            schemaVersion: 1,
            data: { unitId: 'mi', kind: 'area', parentId: null, name: 'Markt und Integration', process: null },
            metadata: {
              occurredAt: '2026-03-10T09:00:00.000Z',
              actor: { userId: 'setup', role: 'management' },
              tenant: 'jc-a',
              correlationId: 'c',
              causationId: null,
              rulesVersion: 'test',
            },
          },
        ],
        { expectedRevision: 'no_stream' },
      );
      // `programmes` handles no organisation event: its checkpoint never moves for this one.
      expect(api.definitions.find((definition) => definition.name === 'programmes')!.eventTypes).not.toContain(
        'UnitDefined',
      );
      expect(await api.waitForPosition('programmes', position, 2_000)).toBe(true);
      expect(await api.waitForPosition('organisation-units', position, 10_000)).toBe(true);
      expect(await api.waitForAll(position, 10_000)).toEqual([]);
      // A position nothing has reached (not even the store) is reported with the read models behind.
      expect(await api.waitForAll(position + 1_000, 50)).toEqual(api.definitions.map((definition) => definition.name));
    });

    it("reports a read model live whose checkpoint lags only by other read models' events", async () => {
      // The projector stops: from now on no checkpoint moves, also not through progress batches.
      await projector.stop();
      await infrastructure.eventStore.append(
        `organisation-jc-a`,
        [
          {
            id: randomUUID(),
            type: 'UnitDefined',
            schemaVersion: 1,
            data: { unitId: 'team-1', kind: 'team', parentId: 'mi', name: 'Team 1', process: null },
            metadata: {
              occurredAt: '2026-03-10T09:05:00.000Z',
              actor: { userId: 'setup', role: 'management' },
              tenant: 'jc-a',
              correlationId: 'c',
              causationId: null,
              rulesVersion: 'test',
            },
          },
        ],
        { expectedRevision: 0 },
      );
      const status = await api.status();
      const head = await infrastructure.eventStore.headPosition();
      const programmes = status.find((entry) => entry.name === 'programmes')!;
      expect(programmes.position).toBeLessThan(head);
      expect(programmes).toMatchObject({ state: 'live', lag: 0 });
      expect(status.find((entry) => entry.name === 'organisation-units')).toMatchObject({ state: 'catching-up' });
    });
  });

  describe('the highest position every read model reached is remembered', () => {
    it('asks each read model once per new position; lagging ones are named and not remembered', async () => {
      const asked: string[] = [];
      let behind = new Set(['b']);
      const waitForAll = waitForAllWith(['a', 'b', 'c'], (name, position) => {
        asked.push(`${name}@${position}`);
        return Promise.resolve(!behind.has(name));
      });
      expect(await waitForAll(10, 100)).toEqual(['b']);
      behind = new Set();
      expect(await waitForAll(10, 100)).toEqual([]);
      asked.length = 0;
      expect(await waitForAll(10, 100)).toEqual([]);
      expect(await waitForAll(7, 100)).toEqual([]);
      expect(asked).toEqual([]);
      expect(await waitForAll(11, 100)).toEqual([]);
      expect(asked).toEqual(['a@11', 'b@11', 'c@11']);
    });
  });
});
