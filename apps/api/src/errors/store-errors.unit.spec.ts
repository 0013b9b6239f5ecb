import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import {
  AccessDeniedError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  UnavailableError,
  convertToCommandError,
} from '@kurrent/kurrentdb-client';
import {
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoServerError,
  MongoServerSelectionError,
  MongoWriteConcernError,
} from 'mongodb';
import { toProblem } from './problem-details.js';
import { classifyStoreError } from './store-errors.js';

/** A gRPC error as `@grpc/grpc-js` hands it to the KurrentDB client (`callErrorFromStatus`). */
function grpcError(code: status, details: string, entries: Record<string, string> = {}): ServiceError {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(entries)) metadata.set(key, value);
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata });
}

/** As the KurrentDB client converts it before throwing (`utils/CommandError.convertToCommandError`). */
function kurrent(code: status, details: string, entries: Record<string, string> = {}): Error {
  return convertToCommandError(grpcError(code, details, entries));
}

describe('classifyStoreError: KurrentDB client errors', () => {
  it('NotLeader (a follower refused the write) → retry soon; nothing was written', () => {
    const error = kurrent(status.NOT_FOUND, 'Leader info available', {
      exception: 'not-leader',
      'leader-endpoint-host': 'node2',
      'leader-endpoint-port': '2113',
    });
    expect(error).toBeInstanceOf(NotLeaderError);
    expect(classifyStoreError(error)).toEqual({
      kind: 'unavailable',
      store: 'kurrentdb',
      reason: 'not-leader',
      retryAfterSeconds: 1,
      writeMayHaveCommitted: false,
    });
  });

  it('Unavailable (connection lost) → transient; a write may have been committed', () => {
    const error = kurrent(status.UNAVAILABLE, 'Connection dropped');
    expect(error).toBeInstanceOf(UnavailableError);
    expect(classifyStoreError(error)).toMatchObject({ kind: 'unavailable', writeMayHaveCommitted: true });
  });

  it.each(['Server Is Not Ready', 'Server Is Too Busy'])(
    '"%s" → transient; the server refused, nothing was written',
    (details) => {
      const error = kurrent(status.UNAVAILABLE, details);
      expect(error).toBeInstanceOf(UnavailableError);
      expect(classifyStoreError(error)).toMatchObject({
        kind: 'unavailable',
        reason: 'server-not-ready',
        writeMayHaveCommitted: false,
      });
    },
  );

  it('DeadlineExceeded (e.g. during an append) → transient; the outcome is unknown', () => {
    const error = kurrent(status.DEADLINE_EXCEEDED, 'Deadline exceeded');
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(classifyStoreError(error)).toMatchObject({ reason: 'deadline-exceeded', writeMayHaveCommitted: true });
  });

  it('MaxAppendSizeExceeded → not transient: too large', () => {
    const error = kurrent(status.INVALID_ARGUMENT, 'Maximum append size exceeded', {
      exception: 'maximum-append-size-exceeded',
      'maximum-append-size': '1048576',
    });
    expect(error).toBeInstanceOf(MaxAppendSizeExceededError);
    expect(classifyStoreError(error)).toEqual({
      kind: 'append-too-large',
      store: 'kurrentdb',
      reason: 'maximum-append-size-exceeded',
    });
    expect(classifyStoreError(MaxAppendSizeExceededError.fromMaxAppendSize(1_048_576))).toMatchObject({
      kind: 'append-too-large',
    });
  });

  it.each([
    [status.UNAVAILABLE, true],
    [status.DEADLINE_EXCEEDED, true],
    [status.ABORTED, true],
    [status.RESOURCE_EXHAUSTED, false],
  ])('a raw gRPC error with transient code %s → transient (may have committed: %s)', (code, committed) => {
    expect(classifyStoreError(grpcError(code, 'raw'))).toMatchObject({
      kind: 'unavailable',
      store: 'kurrentdb',
      writeMayHaveCommitted: committed,
    });
  });

  it('cluster discovery that found no node → transient; nothing was sent', () => {
    expect(classifyStoreError(new Error('Failed to discover after 10 attempts.'))).toMatchObject({
      kind: 'unavailable',
      reason: 'discovery-failed',
      writeMayHaveCommitted: false,
    });
  });

  it('leaves errors that are not transient alone (access denied, raw INVALID_ARGUMENT, plain errors)', () => {
    const denied = kurrent(status.PERMISSION_DENIED, 'Access denied', { exception: 'access-denied' });
    expect(denied).toBeInstanceOf(AccessDeniedError);
    expect(classifyStoreError(denied)).toBeNull();
    expect(classifyStoreError(grpcError(status.INVALID_ARGUMENT, 'bad'))).toBeNull();
    expect(classifyStoreError(new Error('boom'))).toBeNull();
    expect(classifyStoreError(Object.assign(new Error('x'), { code: 'CONCURRENCY_CONFLICT' }))).toBeNull();
  });

  it('finds a store error in the cause chain', () => {
    const wrapped = new Error('append failed', { cause: kurrent(status.DEADLINE_EXCEEDED, 'Deadline exceeded') });
    expect(classifyStoreError(wrapped)).toMatchObject({ reason: 'deadline-exceeded' });
  });
});

describe('classifyStoreError: MongoDB driver errors', () => {
  it('MongoServerSelectionError → transient; nothing was sent', () => {
    const error = new MongoServerSelectionError(
      'Server selection timed out after 30000 ms',
      // The driver passes its TopologyDescription (a type-only export); its `error` is null on a timeout.
      { type: 'ReplicaSetNoPrimary', servers: new Map(), error: null } as never,
    );
    expect(classifyStoreError(error)).toEqual({
      kind: 'unavailable',
      store: 'mongodb',
      reason: 'MongoServerSelectionError',
      retryAfterSeconds: 5,
      writeMayHaveCommitted: false,
    });
  });

  it('network errors → transient; unknown outcome unless the connection failed before its handshake', () => {
    expect(classifyStoreError(new MongoNetworkError('connection reset'))).toMatchObject({
      reason: 'MongoNetworkError',
      writeMayHaveCommitted: true,
    });
    expect(classifyStoreError(new MongoNetworkTimeoutError('timed out'))).toMatchObject({
      writeMayHaveCommitted: true,
    });
    expect(classifyStoreError(new MongoNetworkError('refused', { beforeHandshake: true }))).toMatchObject({
      writeMayHaveCommitted: false,
    });
  });

  it('TransientTransactionError → transient; the transaction was aborted as a whole', () => {
    const error = new MongoServerError({
      code: 251,
      codeName: 'NoSuchTransaction',
      errmsg: 'Transaction was aborted',
      errorLabels: ['TransientTransactionError'],
    });
    expect(error.hasErrorLabel('TransientTransactionError')).toBe(true);
    expect(classifyStoreError(error)).toMatchObject({ kind: 'unavailable', writeMayHaveCommitted: false });
  });

  it('UnknownTransactionCommitResult → transient; the commit outcome is unknown', () => {
    const error = new MongoServerError({
      code: 50,
      errmsg: 'operation exceeded time limit',
      errorLabels: ['UnknownTransactionCommitResult'],
    });
    expect(classifyStoreError(error)).toMatchObject({
      reason: 'UnknownTransactionCommitResult',
      writeMayHaveCommitted: true,
    });
  });

  it('RetryableWriteError with NotWritablePrimary → transient; the node refused it', () => {
    const error = new MongoServerError({
      code: 10107,
      codeName: 'NotWritablePrimary',
      errmsg: 'not primary',
      errorLabels: ['RetryableWriteError'],
    });
    expect(classifyStoreError(error)).toMatchObject({ kind: 'unavailable', writeMayHaveCommitted: false });
  });

  it('RetryableWriteError with NoWritesPerformed → nothing was written', () => {
    const error = new MongoServerError({
      code: 11602,
      errmsg: 'interrupted due to repl state change',
      errorLabels: ['RetryableWriteError', 'NoWritesPerformed'],
    });
    expect(classifyStoreError(error)).toMatchObject({ kind: 'unavailable', writeMayHaveCommitted: false });
  });

  it('a write concern timeout → transient; applied on the primary but not acknowledged', () => {
    const error = new MongoWriteConcernError({
      ok: 1,
      writeConcernError: { code: 64, errmsg: 'waiting for replication timed out' },
    });
    expect(classifyStoreError(error)).toMatchObject({ kind: 'unavailable', writeMayHaveCommitted: true });
  });

  it('leaves errors that are not transient alone (duplicate key, validation)', () => {
    expect(classifyStoreError(new MongoServerError({ code: 11000, errmsg: 'E11000 duplicate key' }))).toBeNull();
    expect(classifyStoreError(new MongoServerError({ code: 121, errmsg: 'Document failed validation' }))).toBeNull();
  });
});

describe('toProblem: store errors', () => {
  it('DeadlineExceeded during a write → 503, Retry-After, commitUnknown: true', () => {
    const outcome = toProblem(kurrent(status.DEADLINE_EXCEEDED, 'Deadline exceeded'), '/api/v1/reviews', undefined, {
      method: 'POST',
    });
    expect(outcome.problem).toMatchObject({
      status: 503,
      code: 'STORE_UNAVAILABLE',
      store: 'kurrentdb',
      commitUnknown: true,
      retryAfter: 2,
    });
    expect(outcome.problem.detail).toMatch(/unbekannt.* \/ .*unknown/);
    expect(outcome.headers).toEqual({ 'Retry-After': '2' });
    expect(outcome.serverFault).toBe(true);
  });

  it('NotLeader during a write → 503 with commitUnknown: false', () => {
    const error = kurrent(status.NOT_FOUND, 'Leader info available', {
      exception: 'not-leader',
      'leader-endpoint-host': 'node2',
      'leader-endpoint-port': '2113',
    });
    const outcome = toProblem(error, '/x', undefined, { method: 'POST' });
    expect(outcome.problem).toMatchObject({ status: 503, code: 'STORE_UNAVAILABLE', commitUnknown: false });
    expect(outcome.problem.detail).toMatch(/nicht gespeichert.* \/ .*not stored/);
    expect(outcome.headers).toEqual({ 'Retry-After': '1' });
  });

  it('a MongoDB network error during a read → 503 with commitUnknown: false', () => {
    const outcome = toProblem(new MongoNetworkError('connection reset'), '/x', undefined, { method: 'GET' });
    expect(outcome.problem).toMatchObject({ status: 503, store: 'mongodb', commitUnknown: false });
    expect(outcome.headers?.['Retry-After']).toBe('2');
  });

  it('MaxAppendSizeExceeded → 413 with a German and English text, no Retry-After', () => {
    const outcome = toProblem(MaxAppendSizeExceededError.fromMaxAppendSize(1_048_576), '/x', undefined, {
      method: 'POST',
    });
    expect(outcome.problem).toMatchObject({ status: 413, code: 'STORE_APPEND_TOO_LARGE' });
    expect(outcome.problem.detail).toMatch(/zu umfangreich.* \/ .*too large/);
    expect(outcome.headers).toBeUndefined();
    expect(outcome.serverFault).toBe(false);
  });

  it('an unknown error stays a 500', () => {
    expect(toProblem(new Error('boom'), '/x', undefined, { method: 'POST' }).problem.status).toBe(500);
  });
});
