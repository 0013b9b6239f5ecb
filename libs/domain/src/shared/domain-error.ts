/**
 * A command refused by the domain. `code` is stable (clients and the HTTP mapping rely on it);
 * `message` is German first, English second, because it reaches people.
 */
export type DomainErrorCode = 'RULE_VIOLATION' | 'NOT_FOUND' | 'ALREADY_EXISTS' | 'VALIDATION_FAILED';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    /** RFC 9457 extension members the client receives with the problem (of `details`, only `fields` is sent). */
    readonly problemExtensions?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function ruleViolation(german: string, english: string, details?: Record<string, unknown>): DomainError {
  return new DomainError('RULE_VIOLATION', `${german} / ${english}`, details);
}
