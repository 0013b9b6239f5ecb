import { Inject, Injectable } from '@nestjs/common';
import { AccessLog } from '../access-log/access-log.service.js';
import { NotFoundError } from '@pruefpfad/application';
import type { Principal, ProgrammeSettings } from '@pruefpfad/domain';
import type { Envelope } from '@pruefpfad/privacy';
import { type ProgrammeDoc, programmesProjection } from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { DOCUMENT_STORE, ENVELOPE } from '../runtime/tokens.js';

export interface ProgrammeView {
  readonly id: string;
  readonly revision: number;
  readonly areaId: string;
  readonly settings: ProgrammeSettings;
  readonly definedAt: string;
  readonly updatedAt: string;
  readonly note: string | null;
  readonly changeLog: readonly {
    readonly revision: number;
    readonly at: string;
    readonly byRole: string;
    readonly reason: string;
    readonly changes: Partial<ProgrammeSettings>;
    readonly staffCouncil: { readonly date: string; readonly outcome: string } | null;
    readonly note: string | null;
  }[];
}

/** Reads programmes from the projection, never from events; free text is decrypted after authorisation. */
@Injectable()
export class ProgrammesQueries {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(ENVELOPE) private readonly envelope: Envelope,
    private readonly accessLog: AccessLog,
  ) {}

  /** The document of the caller's tenant, or 404 (another tenant's programme does not exist for them). */
  async find(principal: Principal, programmeId: string): Promise<ProgrammeDoc> {
    const doc = (await this.documents.get(programmesProjection.name, programmeId)) as ProgrammeDoc | null;
    if (!doc || doc.tenant !== principal.tenant) throw new NotFoundError(`programme ${programmeId}`);
    return doc;
  }

  async view(principal: Principal, programmeId: string): Promise<ProgrammeView> {
    return this.toView(await this.find(principal, programmeId));
  }

  async list(principal: Principal): Promise<ProgrammeView[]> {
    const docs = (await this.documents.find(
      programmesProjection.name,
      { tenant: principal.tenant },
      { sort: { definedAt: 1 } },
    )) as ProgrammeDoc[];
    return Promise.all(docs.map((doc) => this.toView(doc)));
  }

  private async toView(doc: ProgrammeDoc): Promise<ProgrammeView> {
    const open = async (sealed: ProgrammeDoc['note']): Promise<string | null> => {
      if (sealed === null) return null;
      // Free text may name people: every read that shows a note is in the access log.
      this.accessLog.note({
        purpose: 'programme',
        resources: [{ kind: 'programme', id: doc._id, reviewId: null }],
        fields: ['note'],
      });
      return (await this.envelope.openOrNull(sealed)) as string | null;
    };
    return {
      id: doc._id,
      revision: doc.streamRevision,
      areaId: doc.areaId,
      settings: doc.settings,
      definedAt: doc.definedAt,
      updatedAt: doc.updatedAt,
      note: await open(doc.note),
      changeLog: await Promise.all(doc.changeLog.map(async (change) => ({ ...change, note: await open(change.note) }))),
    };
  }
}
