/**
 * What a projection reports about itself: shared by the in-process runner, the worker thread (posted as a
 * structured clone) and the host, so these are plain data types only.
 */
export type ProjectionState =
  /** Reading history, or building a new collection before it serves. */
  | 'catching-up'
  /** Reached the head of the store once; now following new events. */
  | 'live'
  /** Server mode: another process holds the lease for this projection. */
  | 'standby'
  /** Stopped on a poison event (or a retry budget ran out); needs an operator. */
  | 'failed'
  | 'stopped';

/** An event whose `documentIds` or `evolve` threw: the projection stops on it rather than skip it. */
export interface PoisonEventReport {
  readonly projection: string;
  readonly collection: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly streamId: string;
  readonly position: number;
  readonly documentId: string | null;
  readonly error: string;
  readonly at: string;
}

export interface ProjectionError {
  readonly message: string;
  readonly at: string;
  /** Set when the error is a poison event. */
  readonly poison?: PoisonEventReport;
  /** Consecutive failed attempts of a store operation (retried with backoff). */
  readonly attempts?: number;
}

export interface RebuildProgress {
  readonly projection: string;
  readonly target: string;
  /** Events folded by this run (a resumed rebuild counts from where it resumed). */
  readonly eventsDone: number;
  readonly eventsPerSecond: number;
  /** Checkpoint of the target collection. */
  readonly position: number;
  readonly startPosition: number;
  readonly headPosition: number;
  /** Estimate from the position rate (positions are not event counts on every store); null until known. */
  readonly etaSeconds: number | null;
  readonly percent: number;
  readonly elapsedMs: number;
  /** A store error being retried right now, if any. */
  readonly lastError: ProjectionError | null;
}

export interface ProjectionStatus {
  readonly name: string;
  readonly version: number;
  /** Physical collection this runner writes (the one that serves, once live). */
  readonly collection: string | null;
  /** Every event up to this position is reflected in the collection. */
  readonly position: number;
  readonly headPosition: number;
  /** Positions behind the head (on KurrentDB positions are log offsets, so this is not an event count). */
  readonly lag: number;
  readonly state: ProjectionState;
  readonly lastError: ProjectionError | null;
  /** Events folded since start. */
  readonly eventsProcessed: number;
  /** A rebuild running in this process (an automatic one after a version change, or an operator's). */
  readonly rebuild: RebuildProgress | null;
}

export class PoisonEventError extends Error {
  readonly code = 'PROJECTION_POISON_EVENT';
  constructor(readonly report: PoisonEventReport) {
    super(
      `Projection ${report.projection} stopped on event ${report.eventId} (${report.eventType}, position ${report.position}): ${report.error}`,
    );
    this.name = 'PoisonEventError';
  }
}

export class RebuildInProgressError extends Error {
  readonly code = 'REBUILD_IN_PROGRESS';
  constructor(
    readonly projection: string,
    readonly holder: string,
    readonly expiresAt: string,
  ) {
    super(`A rebuild of ${projection} is already running (owner ${holder}, lease until ${expiresAt})`);
    this.name = 'RebuildInProgressError';
  }
}

export class LeaseLostError extends Error {
  readonly code = 'LEASE_LOST';
  constructor(
    readonly key: string,
    readonly owner: string,
  ) {
    super(`Lease ${key} is no longer held by ${owner}`);
    this.name = 'LeaseLostError';
  }
}

export class UnknownProjectionError extends Error {
  readonly code = 'UNKNOWN_PROJECTION';
  constructor(readonly projection: string) {
    super(`Unknown projection ${projection}`);
    this.name = 'UnknownProjectionError';
  }
}
