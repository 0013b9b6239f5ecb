/**
 * MongoDB primary step-down during projection commits (a real MongoDB 8.0 single-node replica set in a
 * container; `replSetStepDown` with `force`, so the only node gives up being primary for a few seconds).
 *
 * Proves: the projection runner, as server mode's projector runs it (with its lease in MongoDB), recovers
 * from a primary that steps down while it commits batches (documents and checkpoint in one transaction):
 * it reaches the head again, never fails, and its read model converges to exactly the documents a run
 * without a step-down builds from the same events, which are the fold of every event applied once.
 *
 * The events come from the embedded event store on purpose: the fault under test is MongoDB's alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StartedMongoDBContainer } from '@testcontainers/mongodb';
import { MongoClient } from 'mongodb';
import { SqliteEventStore } from '@pruefpfad/event-store';
import { ProjectionRunner, type ProjectionStatus } from '@pruefpfad/projections';
import { MongoReadStore } from '@pruefpfad/read-store';
import { describeWithContainers } from './support/container-runtime.js';
import {
  CHAIN_KEY,
  eventually,
  expectedLedgers,
  LEDGER_EVENT,
  ledgerEntry,
  ledgerProjection,
  mongoUri,
  readEverything,
  startMongoDb,
  withoutBookkeeping,
} from './support/server-fixtures.js';

const STEP_DOWN_SECONDS = 10;

describeWithContainers('MongoDB primary step-down during projection commits', () => {
  let container: StartedMongoDBContainer;
  let dir: string;
  let events: SqliteEventStore;
  let admin: MongoClient;

  beforeAll(async () => {
    container = await startMongoDb();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-stepdown-'));
    events = await SqliteEventStore.open({
      file: path.join(dir, 'events.db'),
      chainKey: CHAIN_KEY,
      pollIntervalMs: 20,
    });
    admin = new MongoClient(mongoUri(container));
    await admin.connect();
  }, 300_000);

  afterAll(async () => {
    await admin?.close();
    await events?.close();
    await container?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function appendLedger(from: number, to: number): Promise<void> {
    for (let seq = from; seq < to; seq += 1) {
      const { streamId, event } = ledgerEntry('stepdown', seq, 25);
      await events.append(streamId, [event], { expectedRevision: 'any' });
    }
  }

  async function isWritablePrimary(): Promise<boolean> {
    const hello = await admin.db('admin').command({ hello: 1 });
    return hello['isWritablePrimary'] === true;
  }

  /** A projector on its own connection to database `database`, as apps/projector runs it (with its lease). */
  async function projector(database: string) {
    const readStore = await MongoReadStore.open({ uri: mongoUri(container), database });
    const statuses: ProjectionStatus[] = [];
    const runner = new ProjectionRunner({
      definitions: [ledgerProjection()],
      eventStore: events,
      documentStore: readStore.documents,
      checkpointStore: readStore.checkpoints,
      batchSize: 20,
      lease: { ttlMs: 30_000 },
      retry: { initialMs: 100, maxMs: 2_000 },
      onStatus: (status) => statuses.push(status),
    });
    return { readStore, runner, statuses };
  }

  async function caughtUp(runner: ProjectionRunner, timeoutMs: number): Promise<void> {
    const head = await events.headPosition();
    await eventually(`ledger projection at head ${head}`, timeoutMs, () => {
      const status = runner.statusOf('ledger');
      if (status.state === 'failed') throw new Error(`projection failed: ${status.lastError?.message}`);
      return status.state === 'live' && status.position >= head;
    });
  }

  it('recovers from a step-down in the middle of its commits and converges to the documents of an undisturbed run', async () => {
    await appendLedger(0, 1_000);
    const disturbed = await projector('ledger_stepdown');
    disturbed.runner.start();
    let total = 1_000;
    try {
      await eventually('the first commits', 60_000, () => disturbed.runner.statusOf('ledger').position > 0);
      // A steady stream of events from now until a primary is back (and at least 1,000 more): the runner
      // is committing batches when the primary steps down, whatever the speed of the machine.
      let primaryBack = false;
      const writer = (async () => {
        while (!primaryBack || total < 2_000) {
          await appendLedger(total, total + 1);
          total += 1;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })();

      // The shell's connection may be cut by the step-down, so its exit code says little; the hello below does.
      const stepDown = await container.exec([
        'mongosh',
        '--quiet',
        '--eval',
        `db.adminCommand({ replSetStepDown: ${STEP_DOWN_SECONDS}, secondaryCatchUpPeriodSecs: 0, force: true })`,
      ]);
      await eventually(
        `the node to give up primary (mongosh said: ${stepDown.output.trim()})`,
        5_000,
        async () => !(await isWritablePrimary()),
        50,
      );
      await eventually('a primary again', (STEP_DOWN_SECONDS + 60) * 1000, isWritablePrimary, 250);
      primaryBack = true;
      await writer;
      await caughtUp(disturbed.runner, 120_000);
      expect(disturbed.statuses.some((status) => status.state === 'failed')).toBe(false);
    } finally {
      await disturbed.runner.stop();
    }

    const undisturbed = await projector('ledger_reference');
    undisturbed.runner.start();
    try {
      await caughtUp(undisturbed.runner, 120_000);
    } finally {
      await undisturbed.runner.stop();
    }

    const docsOf = async (store: MongoReadStore) =>
      withoutBookkeeping(await store.documents.find(await store.documents.resolve('ledger')));
    const afterStepDown = await docsOf(disturbed.readStore);
    const reference = await docsOf(undisturbed.readStore);
    expect(afterStepDown).toEqual(reference);
    expect(afterStepDown).toEqual(expectedLedgers(await readEverything(events, { eventTypes: [LEDGER_EVENT] })));
    const applied = afterStepDown.flatMap((doc) => doc['seqs'] as number[]).sort((a, b) => a - b);
    expect(applied).toEqual([...Array(total).keys()]);
    // The checkpoints agree too: both stand at the store's head.
    const head = await events.headPosition();
    for (const store of [disturbed.readStore, undisturbed.readStore]) {
      const physical = await store.documents.resolve('ledger');
      expect((await store.checkpoints.load(physical))?.position).toBe(head);
    }
    await disturbed.readStore.close();
    await undisturbed.readStore.close();
  }, 420_000);
});
