import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { decide, isAction, type Principal } from '@pruefpfad/domain';
import {
  ACTION_METADATA,
  PRINCIPAL_REQUEST_KEY,
  PUBLIC_METADATA,
  type RequestWithPrincipal,
} from './security.decorators.js';
import { ActionForbiddenError, RouteWithoutActionError, UnauthenticatedError } from './security.errors.js';
import { TOKEN_VERIFIER, type TokenVerifier } from './token-verifier.js';

interface HttpRequestLike extends RequestWithPrincipal {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly method?: string;
  readonly originalUrl?: string;
}

const BEARER = /^Bearer +([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)\s*$/i;

/**
 * The one global guard. Deny by default: a route passes only when it is @Public, or when the caller
 * has a valid bearer token and one of its roles holds the route's @Action. Scope checks against the
 * resource (tenant, unit → 404) need the resource and happen in the handler (`assertCanAccess`).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('AuthGuard');

  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_METADATA, targets) === true) return true;
    // Only HTTP is served; any other transport would bypass the bearer check below.
    if (context.getType() !== 'http') throw new UnauthenticatedError(`Unsupported context ${context.getType()}`);

    const request = context.switchToHttp().getRequest<HttpRequestLike>();
    const principal = await this.authenticate(request);

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

    request[PRINCIPAL_REQUEST_KEY] = principal;
    return true;
  }

  private async authenticate(request: HttpRequestLike): Promise<Principal> {
    const header = request.headers.authorization;
    if (typeof header !== 'string') throw new UnauthenticatedError('No Authorization header');
    const match = BEARER.exec(header);
    if (!match?.[1]) throw new UnauthenticatedError('Authorization header is not a Bearer JWT');
    return this.verifier.verify(match[1]);
  }
}
