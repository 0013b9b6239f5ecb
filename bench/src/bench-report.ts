import { performance } from 'node:perf_hooks';

/** Output helpers: figures go to stdout, progress to stderr (so `> file` keeps only the figures). */

export function formatRate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString('en-US')}/s`;
}

export function formatCount(count: number): string {
  return Math.round(count).toLocaleString('en-US');
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function formatMb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

export function percent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)} %` : 'n/a';
}

/** True while a progress line occupies the terminal's current line (stderr is a TTY). */
let progressShown = false;

function clearProgress(): void {
  if (progressShown) process.stderr.write('\r\x1b[2K');
  progressShown = false;
}

export function line(text = ''): void {
  clearProgress();
  process.stdout.write(`${text}\n`);
}

export function heading(text: string): void {
  line();
  line(text);
  line('-'.repeat(text.length));
}

/** One labelled figure: `label .......... value   (details)`. */
export function figure(label: string, value: string, details = ''): void {
  line(`  ${label.padEnd(90, ' ')} ${value.padStart(14, ' ')}${details === '' ? '' : `   ${details}`}`);
}

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export function latencies(samplesMs: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(samplesMs).sort();
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] ?? NaN };
}

export function formatLatency(summary: LatencySummary): string {
  return `p50 ${formatMs(summary.p50)}, p90 ${formatMs(summary.p90)}, p99 ${formatMs(summary.p99)}, max ${formatMs(summary.max)}`;
}

/**
 * A single updating progress line on stderr when it is a terminal; otherwise a plain line at most every
 * few seconds, so a log file stays readable.
 */
export class Progress {
  private lastPrinted = performance.now();
  private readonly tty = process.stderr.isTTY;

  constructor(private readonly label: string) {}

  update(done: number, total: number, extra = ''): void {
    const now = performance.now();
    if (now - this.lastPrinted < (this.tty ? 200 : 5000)) return;
    this.lastPrinted = now;
    const text = `  … ${this.label}: ${formatCount(done)} / ${formatCount(total)} (${percent(done, total)})${extra === '' ? '' : ` ${extra}`}`;
    if (this.tty) {
      process.stderr.write(`\r\x1b[2K${text}`);
      progressShown = true;
    } else {
      process.stderr.write(`${text}\n`);
    }
  }

  done(): void {
    clearProgress();
  }
}

/** Wall time of an async or sync piece of work, in milliseconds. */
export async function timed<T>(work: () => Promise<T> | T): Promise<{ readonly result: T; readonly ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}
