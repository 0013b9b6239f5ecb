/** The access log could not record a read of personal data: the read fails (fail closed, 503). */
export class AccessLogUnavailableError extends Error {
  readonly code = 'ACCESS_LOG_UNAVAILABLE';
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`Access log unavailable: ${reason}`, options);
    this.name = 'AccessLogUnavailableError';
  }
}
