import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedReadStore } from '@pruefpfad/read-store';
import { IDEMPOTENCY_COLLECTION, IdempotencyKeyReusedError, IdempotencyService } from './idempotency.service.js';

describe('IdempotencyService (embedded read store)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-idem-'));
  const store = EmbeddedReadStore.open({ file: path.join(dir, 'read.sqlite') });
  let now = new Date('2026-03-01T10:00:00.000Z');
  const service = new IdempotencyService(store.documents, { now: () => now });
  const scope = { tenant: 'jc-a', subject: 'u1', key: 'k-1' };
  const request = { method: 'POST', path: '/api/v1/programmes', body: { a: 1 } };

  afterAll(async () => {
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

  it('rejects malformed keys', async () => {
    const execute = () => Promise.resolve({ status: 201, body: {}, headers: {} });
    await expect(service.run({ ...scope, key: 'mit leerzeichen' }, request, execute)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(service.run({ ...scope, key: '' }, request, execute)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
