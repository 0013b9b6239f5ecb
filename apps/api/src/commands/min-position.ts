/** Error with a stable code: mapped to 400 by the problem-details filter. */
export class InvalidMinPositionError extends Error {
  readonly code = 'VALIDATION_FAILED';
  readonly errors = [{ field: 'X-Min-Position', message: 'eine nicht-negative ganze Zahl / a non-negative integer' }];
  constructor() {
    super('Ungültiger X-Min-Position-Header / Invalid X-Min-Position header');
    this.name = 'InvalidMinPositionError';
  }
}

/**
 * Read-your-writes: the position a command answered with, sent back by the client on any later request;
 * `MinPositionInterceptor` makes the request wait (bounded) until every read model has projected it.
 */
export function minPositionHeader(headers: Record<string, string | undefined>): number | undefined {
  const raw = headers['x-min-position'];
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw new InvalidMinPositionError();
  return Number(raw);
}

export class ProjectionLaggingError extends Error {
  readonly code = 'PROJECTION_LAGGING';
  constructor(
    readonly projection: string,
    readonly position: number,
  ) {
    super(
      `Die Ansicht ${projection} hat Position ${position} noch nicht erreicht; bitte erneut versuchen. / ` +
        `The read model ${projection} has not reached position ${position} yet; please retry.`,
    );
    this.name = 'ProjectionLaggingError';
  }
}
