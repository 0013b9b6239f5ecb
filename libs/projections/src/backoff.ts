/**
 * Bounded exponential backoff for store errors: a database that is briefly unavailable (MongoDB
 * failover, a locked SQLite file) must not turn into a hot retry loop, nor into a projection that gives
 * up for good. Delays double from `initialMs` up to `maxMs`; full jitter spreads concurrent retriers.
 */
export interface BackoffOptions {
  readonly initialMs?: number;
  readonly maxMs?: number;
  /** Give up after this many consecutive failures (default: never; the error stays visible in status). */
  readonly maxAttempts?: number;
  /** 0..1: share of each delay that is randomised (default 0.2). */
  readonly jitter?: number;
}

export class Backoff {
  private failures = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly maxAttempts: number;
  private readonly jitter: number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 100;
    this.maxMs = options.maxMs ?? 10_000;
    this.maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
    this.jitter = options.jitter ?? 0.2;
  }

  /** Consecutive failures since the last success. */
  get attempts(): number {
    return this.failures;
  }

  get exhausted(): boolean {
    return this.failures >= this.maxAttempts;
  }

  reset(): void {
    this.failures = 0;
  }

  /** Records a failure and returns how long to wait before the next attempt. */
  fail(): number {
    this.failures += 1;
    const base = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.failures - 1, 30));
    return Math.round(base * (1 - this.jitter * Math.random()));
  }
}

/** Resolves after `ms`, or early (without error) when `signal` aborts, so shutdown never waits out a backoff. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
