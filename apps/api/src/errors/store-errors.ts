/**
 * Which errors of the KurrentDB and MongoDB clients are the store being briefly out of reach (a 503
 * the client may retry) and which are a write that can never fit (413), and whether a write may have
 * been committed before the error.
 *
 * Classified by the drivers' documented properties, never by `instanceof`: the API does not import
 * the drivers (the adapters are chosen at the composition root), and an error that crossed a worker
 * thread or was re-thrown by another copy of a driver keeps its properties but not its prototype.
 * - `@kurrent/kurrentdb-client` (1.x, `utils/CommandError`): command errors carry `type` (`ErrorType`:
 *   `not-leader`, `unavailable`, `deadline-exceeded`, `timeout` for gRPC ABORTED, `cancelled`,
 *   `maximum-append-size-exceeded`, ...); gRPC errors it does not convert arrive raw as a
 *   `ServiceError` with a numeric `code` (`@grpc/grpc-js` `status`), `details` and `metadata`. A server
 *   that is starting or overloaded answers UNAVAILABLE with "Server Is Not Ready" / "Server Is Too Busy".
 * - `mongodb` (7.x, `lib/error.js`): every error has `errorLabels`/`hasErrorLabel` (`MongoErrorLabel`),
 *   server errors a numeric `code` (`MONGODB_ERROR_CODES`), and each class a fixed `name`.
 */
export type StoreFault =
  | {
      readonly kind: 'unavailable';
      readonly store: 'kurrentdb' | 'mongodb';
      /** The driver's name for it, for the log and the answer (no case data). */
      readonly reason: string;
      readonly retryAfterSeconds: number;
      /**
       * The request may have reached the server and been committed before the error: a write's outcome
       * is unknown. False only where the driver documents that nothing was done (refused before
       * executing, a transaction aborted as a whole, `NoWritesPerformed`).
       */
      readonly writeMayHaveCommitted: boolean;
    }
  | { readonly kind: 'append-too-large'; readonly store: 'kurrentdb'; readonly reason: string };

type Unavailable = Extract<StoreFault, { kind: 'unavailable' }>;

/** `@grpc/grpc-js` status codes the KurrentDB client treats as the server being out of reach. */
const GRPC = {
  CANCELLED: 1,
  DEADLINE_EXCEEDED: 4,
  RESOURCE_EXHAUSTED: 8,
  ABORTED: 10,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

/** KurrentDB refuses work it has not started with these messages (UNAVAILABLE): nothing was written. */
const KURRENT_REFUSED = /server is (not ready|too busy)/i;

/** MongoDB server codes (`MONGODB_ERROR_CODES`) of a node that refused before executing anything. */
const MONGO_REFUSED_CODES = new Set([
  10107, // NotWritablePrimary
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
  10058, // LegacyNotPrimary
  91, // ShutdownInProgress
  134, // ReadConcernMajorityNotAvailableYet
]);

/** Codes the driver retries (`RETRYABLE_READ_ERROR_CODES` = retryable writes) or that end a write unseen. */
const MONGO_TRANSIENT_CODES = new Set([
  ...MONGO_REFUSED_CODES,
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  50, // MaxTimeMSExpired
  64, // WriteConcernTimeout (WriteConcernFailed before 8.1): applied on the primary, not yet acknowledged
]);

/** Driver error classes (by `name`) that mean "no usable server right now". */
const MONGO_UNREACHABLE_NAMES = new Map<string, boolean>([
  // name → may a write have been committed?
  ['MongoServerSelectionError', false],
  ['MongoNotConnectedError', false],
  ['MongoTopologyClosedError', false],
  ['MongoClientClosedError', false],
  ['MongoServerClosedError', false],
  ['MongoStalePrimaryError', false],
  ['MongoNetworkError', true],
  ['MongoNetworkTimeoutError', true],
  ['MongoOperationTimeoutError', true],
]);

const MONGO_TRANSIENT_LABELS = [
  'UnknownTransactionCommitResult',
  'TransientTransactionError',
  'RetryableWriteError',
  'RetryableError',
  'SystemOverloadedError',
  'PoolRequestedRetry',
  'ResetPool',
] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function messageOf(error: Record<string, unknown>): string {
  return typeof error.message === 'string' ? error.message : '';
}

/** The fault of `error` or of the first error in its `cause` chain that is one. */
export function classifyStoreError(error: unknown): StoreFault | null {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && isRecord(current); depth += 1) {
    const fault = classifyMongo(current) ?? classifyKurrent(current);
    if (fault !== null) return fault;
    current = current.cause;
  }
  return null;
}

function labelsOf(error: Record<string, unknown>): readonly string[] | null {
  if (typeof error.hasErrorLabel !== 'function') return null;
  const labels = error.errorLabels;
  return Array.isArray(labels) ? labels.filter((label): label is string => typeof label === 'string') : [];
}

function classifyMongo(error: Record<string, unknown>): Unavailable | null {
  const labels = labelsOf(error);
  if (labels === null) return null; // not a MongoError
  const name = typeof error.name === 'string' ? error.name : 'MongoError';
  const noWrites = labels.includes('NoWritesPerformed');
  const unavailable = (reason: string, mayHaveCommitted: boolean, retryAfterSeconds = 2): Unavailable => ({
    kind: 'unavailable',
    store: 'mongodb',
    reason,
    retryAfterSeconds,
    writeMayHaveCommitted: mayHaveCommitted && !noWrites,
  });
  // The commit was sent and its answer lost: exactly the unknown outcome.
  if (labels.includes('UnknownTransactionCommitResult')) return unavailable('UnknownTransactionCommitResult', true);
  // The server aborted the whole transaction: nothing of it is committed.
  if (labels.includes('TransientTransactionError')) return unavailable('TransientTransactionError', false);
  const byName = MONGO_UNREACHABLE_NAMES.get(name);
  if (byName !== undefined) {
    // A connection that failed before its handshake never carried the operation.
    const beforeHandshake = error.beforeHandshake === true;
    return unavailable(name, byName && !beforeHandshake, name === 'MongoServerSelectionError' ? 5 : 2);
  }
  const code = typeof error.code === 'number' ? error.code : Number.NaN;
  if (MONGO_TRANSIENT_CODES.has(code)) return unavailable(`${name} ${code}`, !MONGO_REFUSED_CODES.has(code));
  const label = MONGO_TRANSIENT_LABELS.find((candidate) => labels.includes(candidate));
  if (label !== undefined) return unavailable(label, true);
  return null;
}

function classifyKurrent(error: Record<string, unknown>): StoreFault | null {
  const type = typeof error.type === 'string' ? error.type : null;
  const code = typeof error.code === 'number' ? error.code : null;
  const refused =
    KURRENT_REFUSED.test(messageOf(error)) ||
    (typeof error.details === 'string' && KURRENT_REFUSED.test(error.details));
  const unavailable = (reason: string, mayHaveCommitted: boolean, retryAfterSeconds = 2): Unavailable => ({
    kind: 'unavailable',
    store: 'kurrentdb',
    reason,
    retryAfterSeconds,
    writeMayHaveCommitted: mayHaveCommitted && !refused,
  });
  if (type !== null) {
    switch (type) {
      case 'maximum-append-size-exceeded':
      case 'transaction-max-size-exceeded':
      case 'append-record-size-exceeded':
        return { kind: 'append-too-large', store: 'kurrentdb', reason: type };
      // A follower refused the write; the client reconnects to the leader on the next call.
      case 'not-leader':
        return unavailable(type, false, 1);
      case 'unavailable':
      case 'deadline-exceeded':
      case 'timeout':
        return unavailable(refused ? 'server-not-ready' : type, true);
      // CANCELLED by the server (the client's own cancellations are not converted to this type).
      case 'cancelled':
        return unavailable(type, true);
      default:
        return null;
    }
  }
  // A raw gRPC ServiceError the client passed through unconverted.
  if (code !== null && typeof error.details === 'string' && isRecord(error.metadata)) {
    switch (code) {
      case GRPC.RESOURCE_EXHAUSTED:
        return unavailable('grpc-resource-exhausted', false);
      case GRPC.UNAVAILABLE:
      case GRPC.INTERNAL:
      case GRPC.DEADLINE_EXCEEDED:
      case GRPC.ABORTED:
      case GRPC.CANCELLED:
        return unavailable(refused ? 'server-not-ready' : `grpc-${code}`, true);
      default:
        return null;
    }
  }
  // Cluster discovery found no node to talk to (`Client/discovery.js`); nothing was sent.
  if (/^Failed to discover after \d+ attempts/.test(messageOf(error))) return unavailable('discovery-failed', false, 5);
  return null;
}
