import { randomBytes } from 'node:crypto';
import {
  PROGRAMME_EVENT_SCHEMAS,
  programmeDecider,
  type ProgrammeEvent,
  type ProgrammeSettings,
  programmeStreamId,
} from '@pruefpfad/domain';
import { type EventStore, SqliteEventStore, WrongExpectedRevisionError } from '@pruefpfad/event-store';
import { DEFAULT_RULES } from './rules.js';
import { CommandPipeline, FRESH_READ_ATTEMPTS, type AggregateType, type CommandContext } from './command-pipeline.js';
import { uuidV7Ids } from './clock.js';
import { NotFoundError, PreconditionFailedError } from './errors.js';

const programme: AggregateType<
  Parameters<typeof programmeDecider.decide>[0],
  ReturnType<typeof programmeDecider.initialState>,
  Parameters<typeof programmeDecider.evolve>[1]
> = {
  name: 'programme',
  decider: programmeDecider,
  schemas: PROGRAMME_EVENT_SCHEMAS,
  streamId: programmeStreamId,
};
const settings: ProgrammeSettings = {
  ...DEFAULT_RULES.programme,
  title: 'Prüfplan',
  areaId: 'leistung',
  customerProcess: 'leistung-laufend',
  questionnaireId: null,
};
const context = (tenant = 'jc-a'): CommandContext => ({
  tenant,
  actor: { userId: 'u1', role: 'area_head' },
  correlationId: 'c1',
  causationId: null,
});
const clock = { now: () => new Date('2026-05-04T08:00:00Z') };
const define = (id: string) => ({
  aggregateId: id,
  command: { type: 'DefineProgramme' as const, programmeId: id, settings, reason: 'Einführung', note: null },
  context: context(),
});
const revise = (id: string, title: string, expectedRevision?: number) => ({
  aggregateId: id,
  ...(expectedRevision === undefined ? {} : { expectedRevision }),
  command: {
    type: 'ReviseProgramme' as const,
    programmeId: id,
    changes: { title },
    reason: 'r',
    staffCouncil: null,
    note: null,
  },
  context: context(),
});

describe('CommandPipeline', () => {
  let store: SqliteEventStore;

  beforeEach(async () => {
    store = await SqliteEventStore.open({ file: ':memory:', chainKey: randomBytes(32) });
  });
  afterEach(() => store.close());

  it('decides on the folded stream and appends with the expected revision, stamping metadata', async () => {
    const pipeline = new CommandPipeline(store, clock, uuidV7Ids, '2026.1');
    const id = uuidV7Ids.next();
    expect(await pipeline.execute(programme, define(id))).toMatchObject({ id, revision: 0 });
    expect(await pipeline.execute(programme, revise(id, 'Neu', 0))).toMatchObject({ revision: 1 });
    const events = await store.readStream(programmeStreamId(id));
    expect(events.map((event) => event.type)).toEqual(['ProgrammeDefined', 'ProgrammeRevised']);
    expect(events[1]!.metadata).toEqual({
      occurredAt: '2026-05-04T08:00:00.000Z',
      actor: { userId: 'u1', role: 'area_head' },
      tenant: 'jc-a',
      correlationId: 'c1',
      causationId: null,
      rulesVersion: '2026.1',
    });
  });

  it('refuses a stale If-Match with 412 semantics and writes nothing', async () => {
    const pipeline = new CommandPipeline(store, clock, uuidV7Ids, '2026.1');
    const id = uuidV7Ids.next();
    await pipeline.execute(programme, define(id));
    await expect(pipeline.execute(programme, revise(id, 'Neu', 5))).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(await store.readStream(programmeStreamId(id))).toHaveLength(1);
  });

  it('treats another tenant’s stream as not found', async () => {
    const pipeline = new CommandPipeline(store, clock, uuidV7Ids, '2026.1');
    const id = uuidV7Ids.next();
    await pipeline.execute(programme, define(id));
    await expect(pipeline.execute(programme, { ...revise(id, 'x'), context: context('jc-b') })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('recovers from a stale cached state when another writer appended meanwhile (no lost update)', async () => {
    const first = new CommandPipeline(store, clock, uuidV7Ids, '2026.1');
    const second = new CommandPipeline(store, clock, uuidV7Ids, '2026.1');
    const id = uuidV7Ids.next();
    await first.execute(programme, define(id)); // `first` caches revision 0
    await second.execute(programme, revise(id, 'Von B')); // revision 1, behind `first`'s back
    // `first` decides on its cache, the append is refused, it re-reads and decides again on revision 1.
    expect(await first.execute(programme, revise(id, 'Von A'))).toMatchObject({ revision: 2 });
    const revisions = (await store.readStream(programmeStreamId(id))).map(
      (event) => (event.data as { revision?: number }).revision,
    );
    expect(revisions).toEqual([undefined, 1, 2]);
  });

  describe('a command that loses the race to append (no state cache: every attempt reads the stream)', () => {
    /** The store as the pipeline sees it: before each of the next `times` appends, a rival revises first. */
    function racedBy(id: string, times: number): EventStore {
      const rival = new CommandPipeline(store, clock, uuidV7Ids, '2026.1');
      let left = times;
      return new Proxy(store, {
        get(target, property) {
          if (property === 'append')
            return async (...args: Parameters<EventStore['append']>) => {
              if (left > 0) {
                left -= 1;
                await rival.execute(programme, revise(id, `Rivale ${left}`));
              }
              return target.append(...args);
            };
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
    }

    it('is read again and decided anew on the winner’s state, up to FRESH_READ_ATTEMPTS times', async () => {
      const id = uuidV7Ids.next();
      await new CommandPipeline(store, clock, uuidV7Ids, '2026.1').execute(programme, define(id));
      const pipeline = new CommandPipeline(racedBy(id, FRESH_READ_ATTEMPTS - 1), clock, uuidV7Ids, '2026.1', {
        stateCacheSize: 0,
      });
      expect(await pipeline.execute(programme, revise(id, 'Unsere'))).toMatchObject({ revision: FRESH_READ_ATTEMPTS });
      const titles = (await store.readStream(programmeStreamId(id))).map(
        (event) => (event.data as { changes?: { title?: string } }).changes?.title,
      );
      expect(titles.at(-1)).toBe('Unsere');
    });

    it('is refused with WrongExpectedRevisionError (409) when the stream keeps changing, and writes nothing', async () => {
      const id = uuidV7Ids.next();
      await new CommandPipeline(store, clock, uuidV7Ids, '2026.1').execute(programme, define(id));
      const pipeline = new CommandPipeline(racedBy(id, FRESH_READ_ATTEMPTS), clock, uuidV7Ids, '2026.1', {
        stateCacheSize: 0,
      });
      await expect(pipeline.execute(programme, revise(id, 'Unsere'))).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      const titles = (await store.readStream(programmeStreamId(id))).map(
        (event) => (event.data as { changes?: { title?: string } }).changes?.title,
      );
      expect(titles).not.toContain('Unsere');
      expect(titles).toHaveLength(1 + FRESH_READ_ATTEMPTS);
    });

    it('with If-Match: the newer state fails the precondition (412), not a conflict', async () => {
      const id = uuidV7Ids.next();
      await new CommandPipeline(store, clock, uuidV7Ids, '2026.1').execute(programme, define(id));
      const pipeline = new CommandPipeline(racedBy(id, 1), clock, uuidV7Ids, '2026.1', { stateCacheSize: 0 });
      await expect(pipeline.execute(programme, revise(id, 'Unsere', 0))).rejects.toBeInstanceOf(
        PreconditionFailedError,
      );
      expect(await store.readStream(programmeStreamId(id))).toHaveLength(2);
    });
  });

  it("keeps the cached state per aggregate type: two types folding one stream never see each other's state", async () => {
    // Another fold of the same stream (here one that appends what it is given, as set-up code does).
    const recorder: AggregateType<readonly ProgrammeEvent[], null, ProgrammeEvent> = {
      name: 'programme-recorder',
      decider: { initialState: () => null, evolve: () => null, decide: (events) => events },
      schemas: PROGRAMME_EVENT_SCHEMAS,
      streamId: programmeStreamId,
    };
    const pipeline = new CommandPipeline(store, clock, uuidV7Ids, '2026.1');
    const id = uuidV7Ids.next();
    await pipeline.execute(programme, define(id));
    await pipeline.execute(recorder, {
      aggregateId: id,
      command: [
        {
          type: 'ProgrammeRevised',
          data: {
            programmeId: id,
            revision: 1,
            changes: { title: 'Von außen' },
            reason: 'r',
            staffCouncil: null,
            note: null,
            revisedAt: '2026-05-04T08:00:00.000Z',
          },
        },
      ],
      context: context(),
    });
    // The programme's own command decides on the programme's fold of both events, not on the recorder's null.
    expect(await pipeline.execute(programme, revise(id, 'Neu'))).toMatchObject({ revision: 2 });
    const revised = await store.readStream(programmeStreamId(id));
    expect(revised.map((event) => (event.data as { revision?: number }).revision)).toEqual([undefined, 1, 2]);
  });

  it('gives the same answers without a state cache', async () => {
    const pipeline = new CommandPipeline(store, clock, uuidV7Ids, '2026.1', { stateCacheSize: 0 });
    const id = uuidV7Ids.next();
    await pipeline.execute(programme, define(id));
    await expect(pipeline.execute(programme, define(id))).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    expect(await pipeline.execute(programme, revise(id, 'Neu'))).toMatchObject({ revision: 1 });
  });
});
