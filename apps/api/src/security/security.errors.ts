/** Stable codes, mapped to HTTP in apps/api/src/errors/problem-details.ts. */

/** No token, or one that fails verification or carries claims we do not accept (401). */
export class UnauthenticatedError extends Error {
  readonly code = 'UNAUTHENTICATED';
  constructor(reason: string, options?: { cause?: unknown }) {
    // The reason is for the log; the response carries a fixed text so it does not coach an attacker.
    super(reason, options);
    this.name = 'UnauthenticatedError';
  }
}

/** The identity provider's keys cannot be fetched: the fault is ours or the IdP's, not the client's (503). */
export class AuthenticationUnavailableError extends Error {
  readonly code = 'AUTHENTICATION_UNAVAILABLE';
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'AuthenticationUnavailableError';
  }
}

/** The principal's roles do not include the route's action (403). */
export class ActionForbiddenError extends Error {
  readonly code = 'FORBIDDEN';
  constructor(readonly action: string) {
    super(`Ihre Rolle darf diese Aktion nicht ausführen: ${action} / Your role may not perform this action: ${action}`);
    this.name = 'ActionForbiddenError';
  }
}

/** A route that is neither public nor declares an action: a server misconfiguration, closed by default (403). */
export class RouteWithoutActionError extends Error {
  readonly code = 'ROUTE_WITHOUT_ACTION';
  constructor(readonly route: string) {
    super(`Route ${route} declares no @Action and is not @Public`);
    this.name = 'RouteWithoutActionError';
  }
}
