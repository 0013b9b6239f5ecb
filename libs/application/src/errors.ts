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
