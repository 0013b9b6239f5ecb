/**
 * Shared by the fault suites that run against real KurrentDB and MongoDB containers (*.server.e2e.spec.ts):
 * pinned images, containers on a fixed host port (a restarted container keeps its address, so the clients
 * under test reconnect to the same one), events without any domain, and a read model whose documents
 * record every event applied to them, so a lost or doubled event shows in the documents.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import net from 'node:net';
import { KurrentDbContainer, type StartedKurrentDbContainer } from '@testcontainers/kurrentdb';
import { MongoDBContainer, type StartedMongoDBContainer } from '@testcontainers/mongodb';
import type { EventFilter, EventMetadata, EventStore, NewEvent, RecordedEvent } from '@pruefpfad/event-store';
import type { Doc } from '@pruefpfad/read-store';
import type { ProjectionDefinition } from '@pruefpfad/projections';

/** The KurrentDB LTS line docker-compose.yml runs (README "Supported server versions"). */
export const KURRENTDB_IMAGE = 'docker.kurrent.io/kurrent-lts/kurrentdb:26.0.3';
/** The MongoDB line docker-compose.yml runs. */
export const MONGO_IMAGE = 'mongo:8.0.15';

export const KURRENTDB_PORT = 2113;
export const MONGODB_PORT = 27017;

/** A TCP port that was free a moment ago, for a container's fixed host binding. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port assigned')),
      );
    });
  });
}

/**
 * A KurrentDB single node (the module's insecure defaults, system projections off as in docker-compose.yml)
 * bound to a fixed host port: `restart()` keeps the address, so a client opened before the restart is the
 * client that must recover.
 */
export async function startKurrentDb(
  options: { readonly environment?: Record<string, string> } = {},
): Promise<StartedKurrentDbContainer> {
  const hostPort = await freePort();
  return new KurrentDbContainer(KURRENTDB_IMAGE)
    .withEnvironment({
      KURRENTDB_RUN_PROJECTIONS: 'None',
      KURRENTDB_START_STANDARD_PROJECTIONS: 'false',
      ...options.environment,
    })
    .withExposedPorts({ container: KURRENTDB_PORT, host: hostPort })
    .start();
}

/** A MongoDB single-node replica set (the module initiates rs0) on a fixed host port. */
export async function startMongoDb(): Promise<StartedMongoDBContainer> {
  const hostPort = await freePort();
  return new MongoDBContainer(MONGO_IMAGE).withExposedPorts({ container: MONGODB_PORT, host: hostPort }).start();
}

/** The driver must not follow the replica set's member name (the container's host name) from outside. */
export function mongoUri(container: StartedMongoDBContainer, query = ''): string {
  return `${container.getConnectionString()}/?directConnection=true${query === '' ? '' : `&${query}`}`;
}

export const CHAIN_KEY = randomBytes(32);

const METADATA: EventMetadata = {
  occurredAt: '2026-03-02T08:00:00.000Z',
  actor: { userId: 'fault-suite', role: 'operator' },
  tenant: 'jc-faults',
  correlationId: 'fault-suite',
  causationId: null,
  rulesVersion: 'fault-suite',
};

export function newEvent(type: string, data: Record<string, unknown>): NewEvent {
  return { id: randomUUID(), type, schemaVersion: 1, data, metadata: METADATA };
}

/** Event types of the ledger read model. */
export const LEDGER_EVENT = 'LedgerEntryRecorded';

export interface LedgerDoc extends Doc {
  readonly entries: number;
  /** Every `seq` applied, in order: a doubled event would appear twice, a lost one not at all. */
  readonly seqs: readonly number[];
  readonly sum: number;
}

/** One document per ledger (`data.ledger`), recording each entry applied to it. */
export function ledgerProjection(name = 'ledger'): ProjectionDefinition<LedgerDoc> {
  return {
    name,
    version: 1,
    eventTypes: [LEDGER_EVENT],
    documentIds: (event) => [String((event.data as { ledger: string }).ledger)],
    evolve(doc, event, id) {
      const { seq, amount } = event.data as { seq: number; amount: number };
      return {
        _id: id,
        entries: (doc?.entries ?? 0) + 1,
        seqs: [...(doc?.seqs ?? []), seq],
        sum: (doc?.sum ?? 0) + amount,
      };
    },
  };
}

/** Entry `seq` of ledger `seq % ledgers`, in stream `ledger-<prefix>-<ledger>`. */
export function ledgerEntry(prefix: string, seq: number, ledgers: number): { streamId: string; event: NewEvent } {
  const ledger = `${prefix}-${seq % ledgers}`;
  return { streamId: `ledger-${ledger}`, event: newEvent(LEDGER_EVENT, { ledger, seq, amount: seq % 7 }) };
}

/** The ledger documents `events` must produce: what every run, with or without faults, has to converge to. */
export function expectedLedgers(events: readonly RecordedEvent[]): LedgerDoc[] {
  const projection = ledgerProjection();
  const docs = new Map<string, LedgerDoc>();
  for (const event of events) {
    if (event.type !== LEDGER_EVENT) continue;
    for (const id of projection.documentIds(event)) {
      const next = projection.evolve(docs.get(id) ?? null, event, id);
      if (next !== null) docs.set(id, next);
    }
  }
  return [...docs.values()].sort((a, b) => a._id.localeCompare(b._id));
}

/** Every event `readAll` returns after position 0 (paged), optionally filtered. */
export async function readEverything(store: EventStore, filter?: EventFilter): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let after = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 1000, ...(filter === undefined ? {} : { filter }) });
    events.push(...page.events);
    if (page.isEnd) return events;
    after = page.lastPosition;
  }
}

/** Documents without the runner's bookkeeping, sorted by id, for comparing two read stores. */
export function withoutBookkeeping(docs: readonly Doc[]): Doc[] {
  return docs
    .map(
      (doc) => Object.fromEntries(Object.entries(doc).filter(([key]) => !key.startsWith('_') || key === '_id')) as Doc,
    )
    .sort((a, b) => a._id.localeCompare(b._id));
}

/**
 * Polls `probe` (which may talk to a server) every `intervalMs` until it answers true; fails naming `what`
 * after `timeoutMs`. Errors of the probe count as "not yet" and the last one is reported.
 */
export async function eventually(
  what: string,
  timeoutMs: number,
  probe: () => Promise<boolean> | boolean,
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      if (await probe()) return;
    } catch (error) {
      last = error instanceof Error ? `: last error ${error.name}: ${error.message}` : '';
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Rejects with `what` when `promise` has not settled within `timeoutMs` (a hang becomes a failure). */
export async function within<T>(what: string, timeoutMs: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: not settled within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
