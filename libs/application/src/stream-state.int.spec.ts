import { randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import { PROGRAMME_EVENT_SCHEMAS, programmeDecider, type ProgrammeEvent, programmeStreamId } from '@pruefpfad/domain';
import { SqliteEventStore } from '@pruefpfad/event-store';
import { uuidV7Ids } from './clock.js';
import { CommandPipeline, type AggregateType } from './command-pipeline.js';
import { DEFAULT_RULES } from './rules.js';
import { StreamStates, type StreamFold } from './stream-state.js';

const programme: AggregateType<
  Parameters<typeof programmeDecider.decide>[0],
  ReturnType<typeof programmeDecider.initialState>,
  ProgrammeEvent
> = { name: 'programme', decider: programmeDecider, schemas: PROGRAMME_EVENT_SCHEMAS, streamId: programmeStreamId };

/** Another fold of the same stream: how many events it has seen. */
const counted: StreamFold<number, ProgrammeEvent> = {
  name: 'programme-count',
  streamId: programmeStreamId,
  decider: { initialState: () => 0, evolve: (count) => count + 1 },
};

const context = { tenant: 'jc-a', actor: { userId: 'u1', role: 'area_head' }, correlationId: 'c', causationId: null };

describe('StreamStates', () => {
  let store: SqliteEventStore;
  let pipeline: CommandPipeline;

  beforeEach(async () => {
    store = await SqliteEventStore.open({ file: ':memory:', chainKey: randomBytes(32) });
    pipeline = new CommandPipeline(store, { now: () => new Date('2026-05-04T08:00:00Z') }, uuidV7Ids, '2026.1');
  });
  afterEach(() => store.close());

  const define = (id: string) =>
    pipeline.execute(programme, {
      aggregateId: id,
      command: {
        type: 'DefineProgramme',
        programmeId: id,
        settings: {
          ...DEFAULT_RULES.programme,
          title: 'Plan',
          areaId: 'mi',
          customerProcess: 'x',
          questionnaireId: null,
        },
        reason: 'Einführung',
        note: null,
      },
      context,
    });
  const retitle = (id: string, title: string) =>
    pipeline.execute(programme, {
      aggregateId: id,
      command: {
        type: 'ReviseProgramme',
        programmeId: id,
        changes: { title },
        reason: 'r',
        staffCouncil: null,
        note: null,
      },
      context,
    });

  it('folds a stream once, then reads only what was appended since: every read sees the latest event', async () => {
    const states = new StreamStates(store);
    const id = uuidV7Ids.next();
    expect(await states.read(programme, id)).toBeNull();
    await define(id);
    const readStream = jest.spyOn(store, 'readStream');
    const first = await states.read(programme, id);
    expect(first).toMatchObject({ revision: 0, tenant: 'jc-a', state: { status: 'defined' } });
    await retitle(id, 'Neu');
    const second = await states.read(programme, id);
    expect(second).toMatchObject({ revision: 1, state: { settings: { title: 'Neu' } } });
    expect(await states.read(programme, id)).toBe(second);
    expect(readStream.mock.calls.map(([, options]) => options)).toEqual([{}, { fromRevision: 1 }, { fromRevision: 2 }]);
    // Another fold of the same stream keeps its own state.
    expect(await states.read(counted, id)).toMatchObject({ revision: 1, state: 2 });
    readStream.mockRestore();
  });
});
