import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@pruefpfad/domain';
import { ACCESS_LOG, type AccessLogDoc } from '@pruefpfad/projections';
import type { DocumentStore, Filter } from '@pruefpfad/read-store';
import { RequestValidationError } from '../errors/validation.js';
import { DOCUMENT_STORE } from '../runtime/tokens.js';
import { ACCESS_LOG_DEFAULT_LIMIT, type AccessLogEntryDto, type AccessLogQueryDto } from './access-log.dto.js';

export interface AccessLogPage {
  readonly items: readonly AccessLogEntryDto[];
  /** Pass as `after` for the next (older) page; null on the last page. */
  readonly next: number | null;
}

/** The access log of the caller's tenant from the `access-log` read model, newest first. */
@Injectable()
export class AccessLogQueries {
  constructor(@Inject(DOCUMENT_STORE) private readonly documents: DocumentStore) {}

  async list(principal: Principal, query: AccessLogQueryDto): Promise<AccessLogPage> {
    if (query.from !== undefined && query.to !== undefined && query.from > query.to)
      throw new RequestValidationError([
        { field: 'from', message: 'from liegt nach to / from is after to' },
        { field: 'to', message: 'from liegt nach to / from is after to' },
      ]);
    const limit = query.limit ?? ACCESS_LOG_DEFAULT_LIMIT;
    const day: Record<string, string> = {};
    if (query.from !== undefined) day['$gte'] = query.from;
    if (query.to !== undefined) day['$lte'] = query.to;
    const filter: Filter = {
      tenant: principal.tenant,
      ...(query.review === undefined ? {} : { reviewIds: query.review }),
      ...(query.actor === undefined ? {} : { 'actor.subject': query.actor }),
      ...(Object.keys(day).length === 0 ? {} : { day }),
      ...(query.after === undefined ? {} : { position: { $lt: query.after } }),
    };
    // One more than asked tells whether an older page exists.
    const docs = (await this.documents.find(ACCESS_LOG, filter, {
      sort: { position: -1 },
      limit: limit + 1,
    })) as AccessLogDoc[];
    const page = docs.slice(0, limit);
    return {
      items: page.map((doc) => ({
        id: doc._id,
        at: doc.at,
        actor: { subject: doc.actor.subject, role: doc.actor.role },
        purpose: doc.purpose,
        endpoint: doc.endpoint,
        resources: doc.resources.map((resource) => ({ ...resource })),
        fields: [...doc.fields],
        correlationId: doc.correlationId,
        streamId: doc.streamId,
      })),
      next: docs.length > limit ? (page[page.length - 1]?.position ?? null) : null,
    };
  }
}
