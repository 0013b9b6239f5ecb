import { Inject, Injectable } from '@nestjs/common';
import { type Clock, NotFoundError, ReviewPurgedError } from '@pruefpfad/application';
import {
  AccessDeniedError,
  assertCanAccess,
  monthsOfQuarter,
  type Principal,
  type Quarter,
  type Resource,
} from '@pruefpfad/domain';
import {
  ORGANISATION_UNITS,
  type OrganisationUnitDoc,
  organisationUnitDocId,
  type ReviewDoc,
  REVIEWS,
} from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { CLOCK, DOCUMENT_STORE } from '../runtime/tokens.js';
import { auditExport, type AuditExport } from './audit-export.js';
import { ReviewHistoryService, type ReviewHistory } from './review-history.service.js';

/** Builds the export files: one review, or every review of a unit (team or area) sampled in a quarter. */
@Injectable()
export class AuditExportsService {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly histories: ReviewHistoryService,
  ) {}

  async review(principal: Principal, reviewId: string): Promise<AuditExport> {
    const history = await this.histories.history(principal, reviewId, 'audit.export.read');
    return auditExport(principal, { kind: 'review', reviewId }, this.clock.now(), [history]);
  }

  /**
   * Reviews are listed from the `reviews` read model (sample month in the quarter, withdrawn ones
   * included: they are part of the record); each history is read from the streams.
   */
  async unitQuarter(principal: Principal, unitId: string, year: number, quarter: Quarter): Promise<AuditExport> {
    const unit = await this.unit(principal, unitId);
    const resource: Resource =
      unit.kind === 'team'
        ? { tenant: unit.tenant, unit: unit.unitId, parentUnits: unit.parentId === null ? [] : [unit.parentId] }
        : { tenant: unit.tenant, unit: unit.unitId };
    assertCanAccess(principal, 'audit.export.read', resource);
    const docs = (await this.documents.find(
      REVIEWS,
      {
        tenant: principal.tenant,
        month: { $in: monthsOfQuarter(year, quarter) },
        ...(unit.kind === 'team' ? { teamId: unitId } : { areaId: unitId }),
      },
      { sort: { month: 1, teamId: 1, _id: 1 } },
    )) as ReviewDoc[];
    const histories: ReviewHistory[] = [];
    for (const doc of docs) {
      try {
        histories.push(await this.histories.history(principal, doc._id, 'audit.export.read'));
      } catch (error) {
        // Purged between the listing and the read, or its team has since moved out of the caller's reach.
        const gone =
          error instanceof NotFoundError ||
          error instanceof ReviewPurgedError ||
          (error instanceof AccessDeniedError && error.code === 'NOT_FOUND');
        if (!gone) throw error;
      }
    }
    return auditExport(principal, { kind: 'unit-quarter', unitId, year, quarter }, this.clock.now(), histories);
  }

  private async unit(principal: Principal, unitId: string): Promise<OrganisationUnitDoc> {
    const doc = (await this.documents.get(
      ORGANISATION_UNITS,
      organisationUnitDocId(principal.tenant, unitId),
    )) as OrganisationUnitDoc | null;
    if (!doc || doc.tenant !== principal.tenant) throw new NotFoundError(`unit ${unitId}`);
    return doc;
  }
}
