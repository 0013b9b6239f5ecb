import { sleep } from './backoff.js';
import type { DocumentLease } from './lease.js';

/** Work that runs only while its lease is held: started on acquiring, stopped when the lease is lost. */
export interface LeasedWorkHandle {
  /**
   * `lost`: another process may already run the work, so nothing may be written on the way out;
   * `shutdown`: this process gives the lease up and may finish cleanly (e.g. a last chain seal).
   */
  stop(why: 'lost' | 'shutdown'): Promise<void>;
}

export interface LeasedWorkOptions {
  readonly lease: DocumentLease;
  /** Starts the work; called each time the lease is (re)acquired. */
  readonly start: () => LeasedWorkHandle;
  readonly onChange?: (event: { readonly holding: boolean; readonly reason: string }) => void;
  /** How often the lease is renewed or tried (default a third of its TTL). */
  readonly intervalMs?: number;
}

/**
 * Exactly one process at a time does work guarded by a lease (server mode: several projectors share the
 * durable reactors and the chain sealer, which are safe to run twice but should not): the holder renews
 * every third of the TTL; another process tries as often and takes over once the holder stopped renewing
 * (crash) or released it (shutdown). A renewal that finds the lease taken stops the work at once.
 */
export class LeasedWork {
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  private handle: LeasedWorkHandle | null = null;

  constructor(private readonly options: LeasedWorkOptions) {}

  get holding(): boolean {
    return this.handle !== null;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops the work (if running), releases the lease and ends the loop. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    await this.release('shutdown', 'stopped');
    await this.options.lease.release().catch(() => undefined);
  }

  private async run(): Promise<void> {
    const { lease } = this.options;
    const interval = this.options.intervalMs ?? lease.ttlMs / 3;
    while (!this.abort.signal.aborted) {
      try {
        if (this.handle === null) {
          if (await lease.acquire()) {
            if (this.abort.signal.aborted) break;
            this.handle = this.options.start();
            this.options.onChange?.({ holding: true, reason: 'acquired' });
          }
        } else {
          await lease.renew();
        }
      } catch (error) {
        // A lost lease (or a store that failed to confirm it): another process may run the work now.
        await this.release('lost', `lease not renewed: ${error instanceof Error ? error.message : String(error)}`);
      }
      await sleep(interval, this.abort.signal);
    }
  }

  private async release(why: 'lost' | 'shutdown', reason: string): Promise<void> {
    const handle = this.handle;
    if (handle === null) return;
    this.handle = null;
    await handle.stop(why);
    this.options.onChange?.({ holding: false, reason });
  }
}
