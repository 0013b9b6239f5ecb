import { Inject, Injectable, Logger, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { decide, isAction } from '@pruefpfad/domain';
import {
  ACTION_METADATA,
  PRINCIPAL_REQUEST_KEY,
  PUBLIC_METADATA,
  type RequestWithPrincipal,
} from './security.decorators.js';
import { assertCsrf } from './csrf.js';
import { ActionForbiddenError, RouteWithoutActionError, UnauthenticatedError } from './security.errors.js';
import {
  AUTHENTICATION_REQUEST_KEY,
  type HttpRequestLike as BaseRequest,
  type HttpResponseLike,
  type RequestAuthentication,
  SESSION_AUTHENTICATOR,
  type SessionAuthenticator,
  UNSAFE_METHODS,
} from './session-authenticator.js';
import { TOKEN_VERIFIER, type TokenVerifier } from './token-verifier.js';

interface HttpRequestLike extends RequestWithPrincipal, BaseRequest {
  [AUTHENTICATION_REQUEST_KEY]?: RequestAuthentication;
}

const BEARER = /^Bearer +([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)\s*$/i;

/**
 * The one global guard. Deny by default: a route passes only when it is @Public, or when the caller
 * has a valid bearer token or browser session and one of its roles holds the route's @Action. A bearer
 * token wins over a cookie (browsers never add one on their own, so it needs no CSRF token); a
 * cookie-authenticated write must send the session's CSRF token and, with an `Origin`, come from here. Scope checks against the
 * resource (tenant, unit → 404) need the resource and happen in the handler (`assertCanAccess`).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('AuthGuard');

  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
    @Optional() @Inject(SESSION_AUTHENTICATOR) private readonly sessions: SessionAuthenticator | null = null,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_METADATA, targets) === true) return true;
    // Only HTTP is served; any other transport would bypass the bearer check below.
    if (context.getType() !== 'http') throw new UnauthenticatedError(`Unsupported context ${context.getType()}`);

    const request = context.switchToHttp().getRequest<HttpRequestLike>();
    const authentication = await this.authenticate(request, context.switchToHttp().getResponse<HttpResponseLike>());
    const { principal } = authentication;

    const action: unknown = this.reflector.getAllAndOverride<unknown>(ACTION_METADATA, targets);
    if (!isAction(action)) {
      const route = `${context.getClass().name}.${context.getHandler().name}`;
      this.logger.error(
        `Route ${route} (${request.method ?? '?'} ${request.originalUrl ?? '?'}) declares no known @Action and is not @Public: denied`,
      );
      throw new RouteWithoutActionError(route);
    }
    const decision = decide(principal, action);
    if (!decision.allowed) throw new ActionForbiddenError(action);
    if (authentication.via !== 'bearer' && UNSAFE_METHODS.has((request.method ?? 'GET').toUpperCase())) {
      assertCsrf(request, authentication.csrfToken, this.sessions?.expectedOrigin(request) ?? '');
    }

    request[PRINCIPAL_REQUEST_KEY] = principal;
    request[AUTHENTICATION_REQUEST_KEY] = authentication;
    return true;
  }

  private async authenticate(request: HttpRequestLike, response: HttpResponseLike): Promise<RequestAuthentication> {
    const header = request.headers.authorization;
    if (typeof header === 'string') {
      const match = BEARER.exec(header);
      if (!match?.[1]) throw new UnauthenticatedError('Authorization header is not a Bearer JWT');
      return { via: 'bearer', principal: await this.verifier.verify(match[1]) };
    }
    const session = this.sessions ? await this.sessions.authenticate(request, response) : null;
    if (session) return session;
    throw new UnauthenticatedError('Neither an Authorization header nor a session cookie');
  }
}
