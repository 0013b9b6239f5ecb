import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { type NewEvent, SqliteEventStore } from '@pruefpfad/event-store';
import { type DocumentStore, EmbeddedReadStore } from '@pruefpfad/read-store';
import {
  attemptCausationId,
  IDEMPOTENCY_COLLECTION,
  IdempotencyKeyReusedError,
  IdempotencyService,
  IdempotentRequestAppliedError,
  IdempotentRequestInProgressError,
} from './idempotency.service.js';

describe('IdempotencyService (embedded read store)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-idem-'));
  const store = EmbeddedReadStore.open({ file: path.join(dir, 'read.sqlite') });
  let now = new Date('2026-03-01T10:00:00.000Z');
  let events: SqliteEventStore;
  let service: IdempotencyService;

  beforeAll(async () => {
    events = await SqliteEventStore.open({ file: path.join(dir, 'events.sqlite'), chainKey: randomBytes(32) });
    service = new IdempotencyService(store.documents, { now: () => now }, events);
  });
  const scope = { tenant: 'jc-a', subject: 'u1', key: 'k-1' };
  const request = { method: 'POST', path: '/api/v1/programmes', body: { a: 1 } };

  afterAll(async () => {
    await events.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('executes once per key and replays the stored answer', async () => {
    let executions = 0;
    const execute = () => {
      executions += 1;
      return Promise.resolve({ status: 201, body: { id: 'x', n: executions }, headers: { etag: '"0"' } });
    };
    const first = await service.run(scope, request, execute);
    const again = await service.run(scope, request, execute);
    expect(executions).toBe(1);
    expect(first).toEqual({
      replayed: false,
      response: { status: 201, body: { id: 'x', n: 1 }, headers: { etag: '"0"' } },
    });
    expect(again).toEqual({ replayed: true, response: first.response });
  });

  it('serialises concurrent requests with one key: the second replays the first', async () => {
    let executions = 0;
    const execute = async () => {
      executions += 1;
      await Promise.resolve();
      return { status: 201, body: { n: executions }, headers: {} };
    };
    const key = { ...scope, key: 'k-concurrent' };
    const [a, b] = await Promise.all([service.run(key, request, execute), service.run(key, request, execute)]);
    expect(executions).toBe(1);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(b.response).toEqual(a.response);
  });

  it('scopes keys to tenant and subject, and refuses a key reused for another request', async () => {
    const execute = () => Promise.resolve({ status: 201, body: {}, headers: {} });
    await expect(service.run(scope, { ...request, body: { a: 2 } }, execute)).rejects.toBeInstanceOf(
      IdempotencyKeyReusedError,
    );
    expect((await service.run({ ...scope, subject: 'u2' }, { ...request, body: { a: 2 } }, execute)).replayed).toBe(
      false,
    );
    expect((await service.run({ ...scope, tenant: 'jc-b' }, { ...request, body: { a: 2 } }, execute)).replayed).toBe(
      false,
    );
  });

  it('does not remember refused requests, so a corrected retry may reuse the key', async () => {
    const key = { ...scope, key: 'k-refused' };
    await service.run(key, request, () => Promise.resolve({ status: 400, body: {}, headers: {} }));
    const retry = await service.run(key, request, () =>
      Promise.resolve({ status: 201, body: { ok: true }, headers: {} }),
    );
    expect(retry).toEqual({ replayed: false, response: { status: 201, body: { ok: true }, headers: {} } });
  });

  it('forgets keys after 24 hours and sweeps expired records', async () => {
    const key = { ...scope, key: 'k-expiring' };
    const execute = () => Promise.resolve({ status: 201, body: { at: now.toISOString() }, headers: {} });
    await service.run(key, request, execute);
    const before = await store.documents.count(IDEMPOTENCY_COLLECTION);
    now = new Date(now.getTime() + 24 * 60 * 60 * 1000 + 1);
    expect((await service.run(key, { ...request, body: { other: true } }, execute)).replayed).toBe(false);
    const removed = await service.sweep();
    expect(removed).toBe(before - 1);
    expect(await store.documents.count(IDEMPOTENCY_COLLECTION)).toBe(1);
  });

  it('sweeps only the expired record it read, not one a request claimed anew meanwhile', async () => {
    const key = { ...scope, key: 'k-swept-while-claimed' };
    const execute = () => Promise.resolve({ status: 201, body: { at: now.toISOString() }, headers: {} });
    await service.run(key, request, execute);
    now = new Date(now.getTime() + 24 * 60 * 60 * 1000 + 1);
    // Between the sweep's read and its delete, the same key is used again (a new record, a new expiry).
    const racing: DocumentStore = Object.create(store.documents) as DocumentStore;
    racing.find = async (...args: Parameters<DocumentStore['find']>) => {
      const found = await store.documents.find(...args);
      await service.run(key, request, execute);
      return found;
    };
    const sweeper = new IdempotencyService(racing, { now: () => now }, events);
    await sweeper.sweep();
    expect((await service.run(key, request, () => Promise.reject(new Error('not again')))).replayed).toBe(true);
  });

  it('rejects malformed keys', async () => {
    const execute = () => Promise.resolve({ status: 201, body: {}, headers: {} });
    await expect(service.run({ ...scope, key: 'mit leerzeichen' }, request, execute)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(service.run({ ...scope, key: '' }, request, execute)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  describe('after an attempt whose outcome is unknown', () => {
    /** What KurrentDB's client throws when an append's deadline passed: the append may have been committed. */
    const deadlineExceeded = () =>
      Object.assign(new Error('Deadline exceeded'), { type: 'deadline-exceeded' as const });
    let streams = 0;

    /** Appends one event as a command of this attempt would (the attempt as causation). */
    async function appendAs(attempt: string, tenant = scope.tenant): Promise<number> {
      const event: NewEvent = {
        id: randomUUID(),
        type: 'ThingNoted',
        schemaVersion: 1,
        data: {},
        metadata: {
          occurredAt: now.toISOString(),
          actor: { userId: scope.subject, role: 'team_lead' },
          tenant,
          correlationId: randomUUID(),
          causationId: attemptCausationId(attempt),
          rulesVersion: 'test',
        },
      };
      streams += 1;
      return (await events.append(`thing-${streams}-${randomUUID()}`, [event], { expectedRevision: 'no_stream' }))
        .position;
    }

    it('does not carry out a retry whose first attempt committed; it names the position instead', async () => {
      const key = { ...scope, key: 'k-committed-unknown' };
      let executions = 0;
      let committedAt = 0;
      await expect(
        service.run(key, request, async (attempt) => {
          executions += 1;
          committedAt = await appendAs(attempt);
          throw deadlineExceeded();
        }),
      ).rejects.toMatchObject({ type: 'deadline-exceeded' });
      // Other writes after it do not hide it.
      await appendAs(randomUUID());

      const retry = () =>
        service.run(key, request, () => {
          executions += 1;
          return Promise.resolve({ status: 201, body: { second: true }, headers: {} });
        });
      // Right away the append might still land: come back later.
      await expect(retry()).rejects.toBeInstanceOf(IdempotentRequestInProgressError);
      now = new Date(now.getTime() + 31_000);
      const applied = await retry().catch((error: unknown) => error);
      expect(applied).toBeInstanceOf(IdempotentRequestAppliedError);
      expect((applied as IdempotentRequestAppliedError).problemExtensions).toEqual({ position: committedAt });
      // And so it stays, without searching again.
      await expect(retry()).rejects.toBeInstanceOf(IdempotentRequestAppliedError);
      expect(executions).toBe(1);
    });

    it('runs a retry whose first attempt stored nothing as a new attempt, once the outcome has settled', async () => {
      const key = { ...scope, key: 'k-lost-unknown' };
      await expect(service.run(key, request, () => Promise.reject(deadlineExceeded()))).rejects.toMatchObject({
        type: 'deadline-exceeded',
      });
      now = new Date(now.getTime() + 31_000);
      let seen: string | null = null;
      const retry = await service.run(key, request, (attempt) => {
        seen = attempt;
        return Promise.resolve({ status: 201, body: { second: true }, headers: {} });
      });
      expect(retry).toEqual({ replayed: false, response: { status: 201, body: { second: true }, headers: {} } });
      expect(seen).not.toBeNull();
      expect((await service.run(key, request, () => Promise.reject(new Error('not again')))).replayed).toBe(true);
    });

    it("does not count another tenant's event with the same causation", async () => {
      const key = { ...scope, key: 'k-foreign-causation' };
      await expect(
        service.run(key, request, async (attempt) => {
          await appendAs(attempt, 'jc-other');
          throw deadlineExceeded();
        }),
      ).rejects.toMatchObject({ type: 'deadline-exceeded' });
      now = new Date(now.getTime() + 31_000);
      const retry = await service.run(key, request, () => Promise.resolve({ status: 201, body: {}, headers: {} }));
      expect(retry.replayed).toBe(false);
    });

    it("asks a retry to come back while another instance's attempt may still run, and takes over after its lifetime", async () => {
      const key = { ...scope, key: 'k-other-instance' };
      const other = new IdempotencyService(store.documents, { now: () => now }, events);
      let finishOther!: () => void;
      const otherRunning = other.run(
        key,
        request,
        () =>
          new Promise((resolve) => {
            finishOther = () => resolve({ status: 201, body: { by: 'other' }, headers: {} });
          }),
      );
      // The other instance's record is written before its command runs.
      await waitFor(async () => (await store.documents.count(IDEMPOTENCY_COLLECTION, { state: 'pending' })) > 0);
      const early = await service
        .run(key, request, () => Promise.resolve({ status: 201, body: {}, headers: {} }))
        .catch((error: unknown) => error);
      expect(early).toBeInstanceOf(IdempotentRequestInProgressError);
      expect((early as IdempotentRequestInProgressError).retryAfterSeconds).toBe(60);
      finishOther();
      await otherRunning;
      const replay = await service.run(key, request, () => Promise.reject(new Error('not again')));
      expect(replay).toEqual({ replayed: true, response: { status: 201, body: { by: 'other' }, headers: {} } });
    });

    it('lets exactly one of two instances take over the same record', async () => {
      const key = { ...scope, key: 'k-two-takers' };
      const dying = new IdempotencyService(store.documents, { now: () => now }, events);
      void dying.run(key, request, () => new Promise(() => undefined));
      await waitFor(async () => (await store.documents.count(IDEMPOTENCY_COLLECTION, { state: 'pending' })) > 0);
      now = new Date(now.getTime() + 61_000);
      const a = new IdempotencyService(store.documents, { now: () => now }, events);
      const b = new IdempotencyService(store.documents, { now: () => now }, events);
      let executions = 0;
      const execute = async () => {
        executions += 1;
        await new Promise<void>((resolve) => setImmediate(resolve));
        return { status: 201, body: {}, headers: {} };
      };
      const outcomes = await Promise.allSettled([a.run(key, request, execute), b.run(key, request, execute)]);
      expect(executions).toBe(1);
      expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = outcomes.find((outcome) => outcome.status === 'rejected');
      expect(refused?.reason).toBeInstanceOf(IdempotentRequestInProgressError);
    });

    it('takes over from an attempt whose process died, once its lifetime passed and nothing of it is stored', async () => {
      const key = { ...scope, key: 'k-died' };
      const dying = new IdempotencyService(store.documents, { now: () => now }, events);
      // The process dies while its command runs: the promise never settles, the record stays pending.
      void dying.run(key, request, () => new Promise(() => undefined));
      await waitFor(async () => (await store.documents.count(IDEMPOTENCY_COLLECTION, { state: 'pending' })) > 0);
      now = new Date(now.getTime() + 61_000);
      const retry = await service.run(key, request, () =>
        Promise.resolve({ status: 201, body: { n: 2 }, headers: {} }),
      );
      expect(retry.replayed).toBe(false);
    });
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000; i += 1) {
    if (await condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error('condition not met');
}
