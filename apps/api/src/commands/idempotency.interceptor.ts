import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { IdempotencyService } from './idempotency.service.js';
import { PRINCIPAL_REQUEST_KEY, type RequestWithPrincipal } from '../security/security.decorators.js';

const REMEMBERED_HEADERS = ['etag', 'location'] as const;

/** Applies `Idempotency-Key` to every unsafe method; requests without the header pass through untouched. */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly idempotency: IdempotencyService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const key = request.header('idempotency-key');
    if (key === undefined || !['POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method)) return next.handle();
    const principal = (request as Request & RequestWithPrincipal)[PRINCIPAL_REQUEST_KEY];
    if (!principal) return next.handle();

    return from(
      this.idempotency
        .run(
          { tenant: principal.tenant, subject: principal.subject, key },
          { method: request.method, path: request.originalUrl, body: request.body as unknown },
          async () => {
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
