import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { Observable, from, mergeMap } from 'rxjs';
import { PRINCIPAL_REQUEST_KEY, type RequestWithPrincipal } from '../security/security.decorators.js';
import { AccessLog, type AccessScope } from './access-log.service.js';

interface HttpRequestLike extends RequestWithPrincipal {
  readonly method?: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

function pathsOf(target: object): string[] {
  const value: unknown = Reflect.getMetadata(PATH_METADATA, target);
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' ? [value] : [''];
}

/**
 * The route template from the controller's and handler's declarations (`/api/v1/reviews/:id`), never the
 * request URL: the URL carries ids and query values, the log keeps only where the read came through.
 */
export function routeTemplate(controller: object, handler: object): string {
  const parts = [pathsOf(controller)[0] ?? '', pathsOf(handler)[0] ?? ''];
  const joined = `/${parts.filter((part) => part.length > 0).join('/')}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

/**
 * Gives each authenticated HTTP request an access scope and, after the handler answered and before the
 * answer is written, records the personal data it opened (one event per request). A failed append turns
 * the answer into a 503 (`ACCESS_LOG_UNAVAILABLE`).
 */
@Injectable()
export class AccessLogInterceptor implements NestInterceptor {
  constructor(private readonly accessLog: AccessLog) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<HttpRequestLike>();
    const principal = request[PRINCIPAL_REQUEST_KEY];
    if (principal === undefined) return next.handle();
    const headers: Record<string, string | undefined> = {};
    const correlation = request.headers['x-correlation-id'];
    if (typeof correlation === 'string') headers['x-correlation-id'] = correlation;
    const scope: AccessScope = {
      principal,
      endpoint: `${(request.method ?? 'GET').toUpperCase()} ${routeTemplate(context.getClass(), context.getHandler())}`,
      headers,
      notes: [],
    };
    // `next.handle()` is called inside the scope: Nest binds the handler to the async context it is
    // created in, so the query code the handler awaits sees this request's scope.
    const handled = this.accessLog.run(scope, () => next.handle());
    return handled.pipe(mergeMap((value: unknown) => from(this.accessLog.flush(scope).then(() => value))));
  }
}
