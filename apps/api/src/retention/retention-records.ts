import { Inject, Injectable } from '@nestjs/common';
import { ReviewPurgedError } from '@pruefpfad/application';
import { type LegalHoldDoc, legalHoldId, type PurgeRecordDoc, purgeRecordId, RETENTION } from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { DOCUMENT_STORE } from '../runtime/tokens.js';

/** Purge records and legal holds, for every feature that answers for a review. */
@Injectable()
export class RetentionRecords {
  constructor(@Inject(DOCUMENT_STORE) private readonly documents: DocumentStore) {}

  async purgeRecord(tenant: string, reviewId: string): Promise<PurgeRecordDoc | null> {
    const doc = (await this.documents.get(RETENTION, purgeRecordId(tenant, reviewId))) as PurgeRecordDoc | null;
    return doc?.kind === 'purge' ? doc : null;
  }

  async legalHold(tenant: string, reviewId: string): Promise<LegalHoldDoc | null> {
    const doc = (await this.documents.get(RETENTION, legalHoldId(tenant, reviewId))) as LegalHoldDoc | null;
    return doc?.kind === 'hold' ? doc : null;
  }

  /**
   * Call where a review of `tenant` was not found: a purged review answers 410 with its purge record (no
   * content), anything else stays the caller's 404. The record names only the review id and dates, so it
   * tells nobody more than that the id once existed in their own tenant.
   */
  /** The same for a measure: purged with its review, it answers 410 with the review's purge record. */
  async assertMeasureNotPurged(tenant: string, measureId: string): Promise<void> {
    const [record] = (await this.documents.find(
      RETENTION,
      { tenant, kind: 'purge', state: 'purged', measureIds: measureId },
      { limit: 1 },
    )) as PurgeRecordDoc[];
    if (record !== undefined)
      throw new ReviewPurgedError(record.reviewId, {
        purgedAt: record.purgedAt,
        retentionEndedOn: record.retentionEndedOn,
        trigger: record.trigger,
      });
  }

  async assertNotPurged(tenant: string, reviewId: string): Promise<void> {
    const record = await this.purgeRecord(tenant, reviewId);
    if (record?.state === 'purged')
      throw new ReviewPurgedError(reviewId, {
        purgedAt: record.purgedAt,
        retentionEndedOn: record.retentionEndedOn,
        trigger: record.trigger,
      });
  }
}
