import { Inject, Injectable } from '@nestjs/common';
import { berlinDate, type Clock, NotFoundError } from '@pruefpfad/application';
import { AREA_HEAD_MEASURES, type Principal, type Sealed } from '@pruefpfad/domain';
import type { Envelope } from '@pruefpfad/privacy';
import {
  type MeasureDoc,
  MEASURES,
  ORGANISATION_UNITS,
  type OrganisationUnitDoc,
  organisationUnitDocId,
} from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { RetentionRecords } from '../retention/retention-records.js';
import { AccessLog } from '../access-log/access-log.service.js';
import { CLOCK, DOCUMENT_STORE, ENVELOPE } from '../runtime/tokens.js';

/** How much of a measure a caller sees: the team's leadership everything, the area head no owners. */
export interface Disclosure {
  /** Team lead, or deputy while deputising: owners in clear (000:90, 000:93). */
  readonly owners: boolean;
  /** Free text of measures the area head decides (training, qualification): they wrote it. */
  readonly areaHeadText: boolean;
}

export interface MeasureView {
  readonly id: string;
  readonly revision: number;
  readonly teamId: string;
  readonly areaId: string;
  readonly reviewId: string | null;
  readonly kind: MeasureDoc['kind'];
  readonly scope: MeasureDoc['scope'];
  readonly status: MeasureDoc['status'];
  readonly dueDate: string;
  readonly agreedOn: string;
  readonly closedOn: string | null;
  /** Open and due before today (Europe/Berlin), at the time of the query. */
  readonly overdue: boolean;
  /** Only for the team's leadership; the field is absent otherwise. */
  readonly owner?: unknown;
  readonly description?: unknown;
  readonly closingNote?: unknown;
  readonly followUps: readonly { readonly date: string; readonly note?: unknown }[];
}

export interface TeamMeasureCounts {
  readonly teamId: string;
  readonly name: string;
  readonly open: number;
  readonly overdue: number;
}

export interface AreaMeasureCounts {
  readonly areaId: string;
  /** The day "overdue" was judged against. */
  readonly asOf: string;
  readonly teams: readonly TeamMeasureCounts[];
  readonly total: { readonly open: number; readonly overdue: number };
}

/** Reads measures from the `measures` read model (never from events); decrypts only what the caller may see. */
@Injectable()
export class MeasuresQueries {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(ENVELOPE) private readonly envelope: Envelope,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly accessLog: AccessLog,
    private readonly retention: RetentionRecords,
  ) {}

  today(): string {
    return berlinDate(this.clock.now());
  }

  /**
   * The measure if it belongs to the caller's tenant (team reach is checked by the caller with ActingRights);
   * one purged with its review answers 410 with the purge record.
   */
  async find(principal: Principal, measureId: string): Promise<MeasureDoc> {
    const doc = (await this.documents.get(MEASURES, measureId)) as MeasureDoc | null;
    if (!doc || doc.tenant !== principal.tenant) {
      await this.retention.assertMeasureNotPurged(principal.tenant, measureId);
      throw new NotFoundError(`measure ${measureId}`);
    }
    return doc;
  }

  async view(doc: MeasureDoc, disclosure: Disclosure): Promise<MeasureView> {
    const [view] = await this.toViews([doc], disclosure, 'measure-detail');
    return view!;
  }

  async listForTeam(
    tenant: string,
    teamId: string,
    status: MeasureDoc['status'] | undefined,
    disclosure: Disclosure,
  ): Promise<MeasureView[]> {
    const docs = (await this.documents.find(
      MEASURES,
      { tenant, teamId, ...(status === undefined ? {} : { status }) },
      { sort: { dueDate: 1, _id: 1 } },
    )) as MeasureDoc[];
    return this.toViews(docs, disclosure, 'measure-list');
  }

  /** Per team of the area: open and overdue measures. Counts only: no owner, no text, no employee. */
  async countsForArea(tenant: string, area: OrganisationUnitDoc): Promise<AreaMeasureCounts> {
    const teams = (await this.documents.find(
      ORGANISATION_UNITS,
      { tenant, kind: 'team', parentId: area.unitId },
      { sort: { unitId: 1 } },
    )) as OrganisationUnitDoc[];
    const asOf = this.today();
    const rows = await this.documents.aggregate(MEASURES, [
      { $match: { tenant, status: 'open', teamId: { $in: teams.map((team) => team.unitId) } } },
      {
        $group: {
          _id: '$teamId',
          open: { $sum: 1 },
          overdue: { $sum: { $cond: [{ $lt: ['$dueDate', asOf] }, 1, 0] } },
        },
      },
    ]);
    const byTeam = new Map(rows.map((row) => [String(row['_id']), row]));
    const counts = teams.map((team) => {
      const row = byTeam.get(team.unitId);
      return {
        teamId: team.unitId,
        name: team.name,
        open: Number(row?.['open'] ?? 0),
        overdue: Number(row?.['overdue'] ?? 0),
      };
    });
    return {
      areaId: area.unitId,
      asOf,
      teams: counts,
      total: {
        open: counts.reduce((sum, team) => sum + team.open, 0),
        overdue: counts.reduce((sum, team) => sum + team.overdue, 0),
      },
    };
  }

  async area(tenant: string, areaId: string): Promise<OrganisationUnitDoc> {
    const doc = (await this.documents.get(
      ORGANISATION_UNITS,
      organisationUnitDocId(tenant, areaId),
    )) as OrganisationUnitDoc | null;
    if (!doc || doc.kind !== 'area') throw new NotFoundError(`area ${areaId}`);
    return doc;
  }

  private async toViews(
    docs: readonly MeasureDoc[],
    disclosure: Disclosure,
    purpose: 'measure-detail' | 'measure-list',
  ): Promise<MeasureView[]> {
    const today = this.today();
    // Names of the fields opened and the measures they belong to, for the access log.
    const opened = new Set<string>();
    const openedMeasures = new Map<string, MeasureDoc>();
    const open = async (doc: MeasureDoc, sealed: Sealed | null, field: string): Promise<unknown> => {
      if (sealed === null) return null;
      opened.add(field);
      openedMeasures.set(doc._id, doc);
      return this.envelope.openOrNull(sealed);
    };
    const views = await Promise.all(
      docs.map(async (doc): Promise<MeasureView> => {
        const text = disclosure.owners || (disclosure.areaHeadText && AREA_HEAD_MEASURES.includes(doc.kind));
        return {
          id: doc._id,
          revision: doc.streamRevision,
          teamId: doc.teamId,
          areaId: doc.areaId,
          reviewId: doc.reviewId,
          kind: doc.kind,
          scope: doc.scope,
          status: doc.status,
          dueDate: doc.dueDate,
          agreedOn: doc.agreedOn,
          closedOn: doc.closedOn,
          overdue: doc.status === 'open' && doc.dueDate < today,
          ...(disclosure.owners ? { owner: await open(doc, doc.owner, 'owner') } : {}),
          ...(text
            ? {
                description: await open(doc, doc.description, 'description'),
                closingNote: await open(doc, doc.closingNote, 'closingNote'),
              }
            : {}),
          followUps: await Promise.all(
            doc.followUps.map(async (followUp) =>
              text
                ? { date: followUp.date, note: await open(doc, followUp.note, 'followUps.note') }
                : { date: followUp.date },
            ),
          ),
        };
      }),
    );
    // Reads of personal data are recorded in the access log (ids and field names only, no content).
    if (openedMeasures.size > 0)
      this.accessLog.note({
        purpose,
        resources: docs
          .filter((doc) => openedMeasures.has(doc._id))
          .map((doc) => ({ kind: 'measure', id: doc._id, reviewId: doc.reviewId })),
        fields: [...opened],
      });
    return views;
  }
}
