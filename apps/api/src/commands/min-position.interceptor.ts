import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { from, switchMap, type Observable } from 'rxjs';
import { PUBLIC_METADATA } from '../security/security.decorators.js';
import { minPositionHeader } from './min-position.js';
import { ReadModelFreshness } from './read-model-freshness.js';

/**
 * Read-your-writes for every route, commands and queries alike: a request naming the position of the
 * client's last write (`X-Min-Position`) runs only once every read model the API reads has reached it
 * (bounded by `maxWaitMs`, else 503 PROJECTION_LAGGING; a malformed value is a 400). So a client that
 * sends it never gets a 404 or a stale answer for what it has just written, whichever lookup a handler
 * makes. Runs after authentication (guards come first), so an anonymous caller cannot make the server
 * wait; public routes (liveness, readiness, metrics) never wait. Commands that decide take their facts
 * from streams anyway; this covers their lookups and every query.
 */
@Injectable()
export class MinPositionInterceptor implements NestInterceptor {
  constructor(
    private readonly freshness: ReadModelFreshness,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_METADATA, targets) === true) return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const position = minPositionHeader({ 'x-min-position': request.header('x-min-position') });
    if (position === undefined) return next.handle();
    return from(this.freshness.awaitAll(position)).pipe(switchMap(() => next.handle()));
  }
}
