import { ConsoleLogger, type LogLevel } from '@nestjs/common';

const LEVELS: Record<'debug' | 'info' | 'warn' | 'error', LogLevel[]> = {
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
  info: ['fatal', 'error', 'warn', 'log'],
  warn: ['fatal', 'error', 'warn'],
  error: ['fatal', 'error'],
};

/** Structured JSON logs (one object per line) through Nest's own logger, so every module logs alike. */
export function createJsonLogger(level: keyof typeof LEVELS, context = 'Pruefpfad'): ConsoleLogger {
  return new ConsoleLogger(context, { json: true, colors: false, logLevels: LEVELS[level] });
}
