import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { UnauthenticatedError } from './security.errors.js';
import type { Action as PolicyAction, Principal } from '@pruefpfad/domain';

export const ACTION_METADATA = 'pruefpfad:action';
export const PUBLIC_METADATA = 'pruefpfad:public';

/** Declares the policy action a route performs; the global guard checks the caller's roles against it. */
export const Action = (action: PolicyAction) => SetMetadata(ACTION_METADATA, action);

/** Exempts a route (or a controller) from authentication: only for health, readiness and metrics. */
export const Public = () => SetMetadata(PUBLIC_METADATA, true);

/** The request property the guard stores the verified principal in. */
export const PRINCIPAL_REQUEST_KEY = 'principal';

export interface RequestWithPrincipal {
  [PRINCIPAL_REQUEST_KEY]?: Principal;
}

/** The verified principal of the request, set by AuthGuard (a @Public route has none: asking for it is a 401). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<RequestWithPrincipal>()[PRINCIPAL_REQUEST_KEY];
  if (!principal) throw new UnauthenticatedError('No principal on the request (public route?)');
  return principal;
});
