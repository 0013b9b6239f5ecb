/** Application-level refusals with stable codes (mapped to HTTP in one table in apps/api/src/errors). */
export class PreconditionFailedError extends Error {
  readonly code = 'PRECONDITION_FAILED';
  constructor(
    readonly expected: number,
    readonly actual: number | null,
  ) {
    super(
      `Die Ressource wurde inzwischen geändert (erwartet Revision ${expected}, aktuell ${actual ?? 'keine'}). / ` +
        `The resource has changed (expected revision ${expected}, current ${actual ?? 'none'}).`,
    );
    this.name = 'PreconditionFailedError';
  }
}

export class NotFoundError extends Error {
  readonly code = 'NOT_FOUND';
  constructor(what: string) {
    super(`Nicht gefunden: ${what} / Not found: ${what}`);
    this.name = 'NotFoundError';
  }
}

/** A review destroyed after its retention period (000:92): answered 410 with its purge record. */
export class ReviewPurgedError extends Error {
  readonly code = 'REVIEW_PURGED';
  readonly problemExtensions: Readonly<Record<string, unknown>>;
  constructor(
    readonly reviewId: string,
    record: { readonly purgedAt: string | null; readonly retentionEndedOn: string; readonly trigger: string },
  ) {
    super(
      `Die Prüfung ${reviewId} wurde nach Ablauf der Aufbewahrungsfrist (${record.retentionEndedOn}) gelöscht. / ` +
        `Review ${reviewId} was purged after its retention period ended (${record.retentionEndedOn}).`,
    );
    this.name = 'ReviewPurgedError';
    this.problemExtensions = { purge: { reviewId, ...record } };
  }
}
