import { Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { ATTEMPT_HEADER, IdempotencyService } from './idempotency.service.js';
import { PRINCIPAL_REQUEST_KEY, type RequestWithPrincipal } from '../security/security.decorators.js';

const REMEMBERED_HEADERS = ['etag', 'location'] as const;

const QUERY_BY_POST = 'pruefpfad:query-by-post';

/**
 * Marks a POST that only reads (e.g. a lookup by customer number, sent as a body so the number stays out
 * of URLs): it changes nothing, so `Idempotency-Key` has nothing to protect, and its answer, which may hold
 * decrypted personal data, must never be stored for a replay (that would keep personal data in clear for
 * 24 h and replay it without an access-log entry).
 */
export const QueryByPost = () => SetMetadata(QUERY_BY_POST, true);

/** Applies `Idempotency-Key` to every unsafe method; requests without the header pass through untouched. */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    // Internal: only this interceptor names an attempt (a client's value would mislabel its events).
    delete request.headers[ATTEMPT_HEADER];
    if (this.reflector.get<boolean | undefined>(QUERY_BY_POST, context.getHandler()) === true) return next.handle();
    const key = request.header('idempotency-key');
    if (key === undefined || !['POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method)) return next.handle();
    const principal = (request as Request & RequestWithPrincipal)[PRINCIPAL_REQUEST_KEY];
    if (!principal) return next.handle();

    return from(
      this.idempotency
        .run(
          { tenant: principal.tenant, subject: principal.subject, key },
          { method: request.method, path: request.originalUrl, body: request.body as unknown },
          async (attempt) => {
            request.headers[ATTEMPT_HEADER] = attempt;
            const body: unknown = await lastValueFrom(next.handle() as Observable<unknown>, {
              defaultValue: undefined,
            });
            const headers: Record<string, string> = {};
            for (const name of REMEMBERED_HEADERS) {
              const value = response.getHeader(name);
              if (typeof value === 'string') headers[name] = value;
            }
            return { status: response.statusCode, body, headers };
          },
        )
        .then(({ replayed, response: stored }) => {
          if (replayed) {
            response.status(stored.status);
            for (const [name, value] of Object.entries(stored.headers)) response.setHeader(name, value);
            response.setHeader('Idempotent-Replayed', 'true');
          }
          return stored.body;
        }),
    );
  }
}
