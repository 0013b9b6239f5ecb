import {
  type AppendResult,
  type EventFilter,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
  type Subscription,
  WrongExpectedRevisionError,
} from '@pruefpfad/event-store';
import { type CheckpointStore, CheckpointRegressionError } from '@pruefpfad/read-store';
import { Backoff, type BackoffOptions, errorMessage, sleep } from './backoff.js';
import type { PoisonEventReport, ProjectionError } from './projection-status.js';

/**
 * Durable reactors: work that spans streams (a draw opening hundreds of review streams, a purge) runs
 * as a checkpointed subscriber that issues idempotent commands. The checkpoint is saved only after the
 * handler succeeded, so a crash re-delivers the events since the last save; the handler's commands must
 * make that redo harmless (append with expected revision `no_stream`, where a conflict means "done").
 */
export interface ReactorContext {
  readonly reactor: string;
  /** 1 on first delivery; higher when the previous attempt threw. */
  readonly attempt: number;
  /** Aborted when the runner stops or is killed: long handlers should stop issuing commands. */
  readonly signal: AbortSignal;
}

export interface ReactorDefinition {
  /** Stable name; the checkpoint is `reactor:<name>`. */
  readonly name: string;
  readonly filter: EventFilter;
  handle(event: RecordedEvent, context: ReactorContext): Promise<void>;
}

/** Thrown by a handler for an event that can never succeed: no retries, straight to poison. */
export class PermanentReactorError extends Error {
  readonly code = 'REACTOR_PERMANENT_FAILURE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentReactorError';
  }
}

export type ReactorState = 'running' | 'failed' | 'stopped';

export interface ReactorStatus {
  readonly name: string;
  /** Checkpoint saved in the store. */
  readonly position: number;
  readonly state: ReactorState;
  readonly handled: number;
  readonly lastError: ProjectionError | null;
}

export interface ReactorRunnerOptions {
  readonly reactor: ReactorDefinition;
  readonly eventStore: EventStore;
  readonly checkpointStore: CheckpointStore;
  /** Events per subscription batch (default 100). */
  readonly batchSize?: number;
  /** Save the checkpoint after this many handled events (default 1: after each one). */
  readonly checkpointEvery?: number;
  /**
   * Bound on progress through events the filter skips (`SubscribeOptions.progressIntervalMs`, default
   * 1 s): each progress batch saves the checkpoint once, so a reactor whose events are rare still keeps
   * its checkpoint near the head (a restart does not scan the stretch again) at one write per interval.
   */
  readonly progressIntervalMs?: number;
  /** Backoff for handler errors; `maxAttempts` (default 8) turns a failing event into a poison event. */
  readonly handlerRetry?: BackoffOptions;
  /** Backoff for store errors (subscription, checkpoint); retried without limit by default. */
  readonly storeRetry?: BackoffOptions;
  readonly onPoison?: (report: PoisonEventReport) => void;
  readonly onStatus?: (status: ReactorStatus) => void;
}

export function reactorCheckpointName(name: string): string {
  return `reactor:${name}`;
}

/** The run was killed: nothing more may be saved. */
class Killed extends Error {}
/** A graceful stop arrived while an event was being retried: it stays unhandled for the next run. */
class Interrupted extends Error {}
class Poisoned extends Error {}

export class ReactorRunner {
  private readonly abort = new AbortController();
  private killed = false;
  private subscription: Subscription | null = null;
  private loop: Promise<void> | null = null;
  private state: ReactorState = 'stopped';
  private saved = 0;
  private handled = 0;
  private lastError: ProjectionError | null = null;
  private readonly checkpointName: string;
  private readonly changeListeners = new Set<(status: ReactorStatus) => void>();

  constructor(private readonly options: ReactorRunnerOptions) {
    this.checkpointName = reactorCheckpointName(options.reactor.name);
  }

  start(): void {
    if (this.loop !== null) return;
    this.state = 'running';
    this.loop = this.run();
  }

  /** Graceful: finishes the event being handled, saves the checkpoint, then stops. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.subscription?.close();
    await this.loop;
  }

  /**
   * Abandons the run at once, as a crash would: nothing more is saved, the handler in flight sees its
   * signal aborted and its outcome is ignored. The next runner resumes from the last saved checkpoint.
   */
  async kill(): Promise<void> {
    this.killed = true;
    await this.stop();
  }

  status(): ReactorStatus {
    return {
      name: this.options.reactor.name,
      position: this.saved,
      state: this.state,
      handled: this.handled,
      lastError: this.lastError,
    };
  }

  /** Resolves when the run ended (stopped, killed or failed). */
  async done(): Promise<void> {
    await this.loop;
  }

  onStatus(listener: (status: ReactorStatus) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private get stopping(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    const storeBackoff = new Backoff(this.options.storeRetry);
    let loaded = false;
    while (!this.stopping) {
      try {
        if (!loaded) {
          this.saved = (await this.options.checkpointStore.load(this.checkpointName))?.position ?? 0;
          loaded = true;
        }
        await this.follow(storeBackoff);
      } catch (error) {
        if (error instanceof Killed || error instanceof Interrupted) break;
        if (error instanceof Poisoned) return;
        // Another runner of this reactor saved a later checkpoint (the CLI's purge beside the service, or a
        // projector that took the lease over): its steps are done, go on from there instead of redoing
        // them and being refused again.
        if (error instanceof CheckpointRegressionError) {
          loaded = false;
          continue;
        }
        const delay = storeBackoff.fail();
        this.lastError = {
          message: errorMessage(error),
          at: new Date().toISOString(),
          attempts: storeBackoff.attempts,
        };
        this.notify();
        if (storeBackoff.exhausted) {
          this.state = 'failed';
          this.notify();
          return;
        }
        await sleep(delay, this.abort.signal);
      }
    }
    if (this.state !== 'failed') this.state = 'stopped';
    this.notify();
  }

  /** One subscription from the saved checkpoint. Events after it that were handled but not saved are redone. */
  private async follow(storeBackoff: Backoff): Promise<void> {
    const { reactor, eventStore, checkpointStore } = this.options;
    const every = Math.max(1, this.options.checkpointEvery ?? 1);
    const subscription = eventStore.subscribeToAll({
      after: this.saved,
      filter: reactor.filter,
      batchSize: this.options.batchSize ?? 100,
      progressIntervalMs: this.options.progressIntervalMs,
    });
    this.subscription = subscription;
    if (this.stopping) await subscription.close();
    let pending = this.saved;
    let unsaved = 0;
    const save = async (): Promise<void> => {
      if (this.killed) throw new Killed();
      if (pending <= this.saved) return;
      await checkpointStore.save(this.checkpointName, pending);
      this.saved = pending;
      unsaved = 0;
      this.notify();
    };
    try {
      for await (const batch of subscription) {
        if (this.stopping) break;
        for (const event of batch.events) {
          if (this.stopping) break;
          try {
            await this.handle(event);
          } catch (error) {
            // Keep what was handled before the poison event, so only it is delivered again.
            if (error instanceof Poisoned) await save();
            if (!(error instanceof Interrupted)) throw error;
            break;
          }
          pending = event.position;
          unsaved += 1;
          this.handled += 1;
          if (unsaved >= every) await save();
        }
        if (this.stopping) break;
        // Through filtered-out stretches too, so a restart does not scan them again.
        pending = Math.max(pending, batch.lastPosition);
        await save();
        storeBackoff.reset();
        if (this.lastError?.attempts !== undefined) this.lastError = null;
      }
      await save();
    } finally {
      this.subscription = null;
      await subscription.close();
    }
  }

  /** Runs the handler with retries; throws Killed or Poisoned to end the run. */
  private async handle(event: RecordedEvent): Promise<void> {
    const backoff = new Backoff({ maxAttempts: 8, ...this.options.handlerRetry });
    for (;;) {
      if (this.killed) throw new Killed();
      try {
        await this.options.reactor.handle(event, {
          reactor: this.options.reactor.name,
          attempt: backoff.attempts + 1,
          signal: this.abort.signal,
        });
        if (this.killed) throw new Killed();
        return;
      } catch (error) {
        if (error instanceof Killed || this.killed) throw new Killed();
        const delay = backoff.fail();
        this.lastError = { message: errorMessage(error), at: new Date().toISOString(), attempts: backoff.attempts };
        if (error instanceof PermanentReactorError || backoff.exhausted) {
          const report: PoisonEventReport = {
            projection: this.options.reactor.name,
            collection: this.checkpointName,
            eventId: event.id,
            eventType: event.type,
            streamId: event.streamId,
            position: event.position,
            documentId: null,
            error: errorMessage(error),
            at: new Date().toISOString(),
          };
          this.lastError = { message: report.error, at: report.at, poison: report };
          this.state = 'failed';
          this.options.onPoison?.(report);
          this.notify();
          throw new Poisoned(report.error);
        }
        this.notify();
        // A graceful stop during a retry leaves the event for the next run (its checkpoint is not saved).
        if (this.stopping) throw new Interrupted();
        await sleep(delay, this.abort.signal);
        if (this.stopping) throw new Interrupted();
      }
    }
  }

  private notify(): void {
    const status = this.status();
    this.options.onStatus?.(status);
    for (const listener of this.changeListeners) listener(status);
  }
}

/**
 * Appends `events` to a stream that must not exist yet. A `WrongExpectedRevisionError` means an
 * earlier delivery of the same reactor event already opened it: that is success, not an error, as long
 * as stream ids are derived from the event (never random).
 */
export async function appendOnce(
  eventStore: EventStore,
  streamId: string,
  events: readonly NewEvent[],
): Promise<{ readonly outcome: 'appended'; readonly result: AppendResult } | { readonly outcome: 'already-done' }> {
  try {
    return {
      outcome: 'appended',
      result: await eventStore.append(streamId, events, { expectedRevision: 'no_stream' }),
    };
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) return { outcome: 'already-done' };
    throw error;
  }
}
