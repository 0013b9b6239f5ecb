import { timingSafeEqual } from 'node:crypto';
import { HttpException, HttpStatus } from '@nestjs/common';
import type { HttpRequestLike } from './session-authenticator.js';

export const CSRF_HEADER = 'x-csrf-token';

function header(request: HttpRequestLike, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Refused browser write (403, code `CSRF_REFUSED`): the text tells the developer of a client what is missing. */
export class CsrfRefusedError extends HttpException {
  constructor(detail: string) {
    super(detail, HttpStatus.FORBIDDEN, { errorCode: 'CSRF_REFUSED' });
    this.name = 'CsrfRefusedError';
  }
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.byteLength === right.byteLength && timingSafeEqual(left, right);
}

/**
 * An `Origin` header, when present, must be the service's own origin. Browsers send it with every
 * cross-origin request and with same-origin writes; a missing one (older clients, some same-origin
 * requests) is left to the CSRF token.
 */
export function assertOwnOrigin(request: HttpRequestLike, expectedOrigin: string): void {
  const origin = header(request, 'origin');
  if (origin !== undefined && origin !== expectedOrigin) {
    throw new CsrfRefusedError(
      `Anfrage von fremder Herkunft (${origin}) abgewiesen. / Request from a foreign origin (${origin}) refused.`,
    );
  }
}

/** Double-submit check of a cookie-authenticated write: `X-CSRF-Token` equals the session's token. */
export function assertCsrf(request: HttpRequestLike, csrfToken: string, expectedOrigin: string): void {
  assertOwnOrigin(request, expectedOrigin);
  const sent = header(request, CSRF_HEADER);
  if (sent === undefined || sent === '') {
    throw new CsrfRefusedError(
      'Der Header X-CSRF-Token fehlt; den Wert nennt GET /api/v1/session (csrfToken). / ' +
        'The X-CSRF-Token header is missing; GET /api/v1/session tells its value (csrfToken).',
    );
  }
  if (!sameString(sent, csrfToken)) {
    throw new CsrfRefusedError(
      'Der Header X-CSRF-Token passt nicht zur Sitzung. / The X-CSRF-Token header does not match the session.',
    );
  }
}
