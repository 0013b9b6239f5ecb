import { type CommandContext, uuidV7Ids } from '@pruefpfad/application';
import type { Principal } from '@pruefpfad/domain';
import { ATTEMPT_HEADER, attemptCausationId } from './idempotency.service.js';

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * Metadata of a command from the authenticated principal and the request: a client may pass its own
 * `X-Correlation-Id` (to tie a UI action to its events); otherwise a new one starts here. The causation
 * of an idempotent request's events is its attempt (see `IdempotencyService`).
 */
export function commandContext(principal: Principal, headers: Record<string, string | undefined>): CommandContext {
  const supplied = headers['x-correlation-id'];
  const attempt = headers[ATTEMPT_HEADER];
  return {
    tenant: principal.tenant,
    actor: { userId: principal.subject, role: principal.roles[0] ?? 'employee' },
    correlationId: supplied !== undefined && CORRELATION_ID.test(supplied) ? supplied : uuidV7Ids.next(),
    // An idempotent request's attempt (set by the idempotency interceptor only): a retry after an unknown
    // outcome finds the attempt's events by it.
    causationId: attempt !== undefined ? attemptCausationId(attempt) : null,
  };
}
