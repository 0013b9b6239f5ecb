import type { Response } from 'express';

/** Error with a stable code: the problem-details filter maps it to 400. */
export class InvalidIfMatchError extends Error {
  readonly code = 'VALIDATION_FAILED';
  readonly errors = [{ field: 'If-Match', message: 'erwartet / expected "<revision>" (a quoted whole number)' }];
  constructor() {
    super('Ungültiger If-Match-Header / Invalid If-Match header');
    this.name = 'InvalidIfMatchError';
  }
}

/** `ETag` is the stream revision, quoted (a strong validator). */
export function setEtag(response: Response, revision: number | null): void {
  if (revision !== null) response.setHeader('ETag', `"${revision}"`);
}

/** `If-Match: "3"` → 3; absent → undefined. Weak validators and lists are refused: writes need exactness. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^"(\d{1,15})"$/.exec(header.trim());
  if (!match) throw new InvalidIfMatchError();
  return Number(match[1]);
}
