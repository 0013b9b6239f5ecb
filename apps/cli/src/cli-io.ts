/** Output of CLI commands: results to stdout (pipeable), messages and progress to stderr. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Rewrites one status line (a progress bar) on a terminal; plain lines otherwise. */
  progress(line: string): void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  progress: (line) => {
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${line}`);
    else process.stderr.write(`${line}\n`);
  },
};

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
