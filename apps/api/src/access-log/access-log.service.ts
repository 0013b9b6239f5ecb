import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { type AppConfig, berlinDate, type Clock, type IdGenerator } from '@pruefpfad/application';
import {
  ACCESS_LOG_EVENT_SCHEMAS,
  accessLogStreamId,
  type AccessNote,
  mergeAccessNotes,
  type Principal,
} from '@pruefpfad/domain';
import type { EventStore, NewEvent } from '@pruefpfad/event-store';
import { commandContext } from '../commands/command-context.js';
import { APP_CONFIG, CLOCK, EVENT_STORE, ID_GENERATOR } from '../runtime/tokens.js';
import { AccessLogUnavailableError } from './access-log.errors.js';

/** One HTTP request's reads of personal data, collected while the handler runs. */
export interface AccessScope {
  readonly principal: Principal;
  /** Route template with method, e.g. `GET /api/v1/reviews/:id`. */
  readonly endpoint: string;
  readonly headers: Record<string, string | undefined>;
  readonly notes: AccessNote[];
}

/**
 * The access log (Zugriffsprotokoll). Query code calls `note()` for what it opens; `AccessLogInterceptor`
 * runs each request in a scope and, once the handler has produced its answer and before anything is sent,
 * appends ONE `PersonalDataAccessed` event for the whole request. If that append fails the request fails
 * (fail closed): decrypted data is never sent without its log entry.
 */
@Injectable()
export class AccessLog {
  private readonly scopes = new AsyncLocalStorage<AccessScope>();

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs `fn` (the request's handler) with `scope` as the current request's scope. */
  run<T>(scope: AccessScope, fn: () => T): T {
    return this.scopes.run(scope, fn);
  }

  /**
   * Records that the current request opens personal data. Outside a request scope nothing could be
   * logged, so opening is refused (a programming error that must not leak data silently).
   */
  note(note: AccessNote): void {
    const scope = this.scopes.getStore();
    if (scope === undefined) throw new AccessLogUnavailableError('personal data opened outside an HTTP request scope');
    scope.notes.push(note);
  }

  /** Appends the request's one event, if it opened anything. Throws `AccessLogUnavailableError` on failure. */
  async flush(scope: AccessScope): Promise<void> {
    const data = mergeAccessNotes(scope.notes, scope.endpoint);
    if (data === null) return;
    const instant = this.clock.now();
    const context = commandContext(scope.principal, scope.headers);
    const event: NewEvent = {
      id: this.ids.next(),
      type: 'PersonalDataAccessed',
      schemaVersion: ACCESS_LOG_EVENT_SCHEMAS.PersonalDataAccessed,
      data,
      metadata: {
        occurredAt: instant.toISOString(),
        actor: context.actor,
        tenant: scope.principal.tenant,
        correlationId: context.correlationId,
        causationId: null,
        rulesVersion: this.config.rulesVersion,
      },
    };
    const streamId = accessLogStreamId(scope.principal.tenant, berlinDate(instant).slice(0, 7));
    try {
      await this.eventStore.append(streamId, [event], { expectedRevision: 'any' });
    } catch (error) {
      throw new AccessLogUnavailableError(`append to ${streamId} failed`, { cause: error });
    }
  }
}
