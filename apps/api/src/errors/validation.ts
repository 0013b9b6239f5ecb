import { ValidationPipe, type ValidationError, type ValidationPipeOptions } from '@nestjs/common';
import type { FieldError } from './problem-details.js';

/** Bad input, listing every offending field path (`address.street`, `items.0.name`); mapped to 400. */
export class RequestValidationError extends Error {
  readonly code = 'VALIDATION_FAILED';
  constructor(readonly errors: readonly FieldError[]) {
    super('Die Anfrage enthält ungültige oder unbekannte Felder. / The request contains invalid or unknown fields.');
    this.name = 'RequestValidationError';
  }
}

/** Enough to find every mistake in a real form; a flood of errors in a hostile body is cut off. */
const MAX_FIELD_ERRORS = 100;

function messageOf(error: ValidationError): string {
  const constraints = error.constraints ?? {};
  // Translated: the one message a client meets most often, caused by forbidNonWhitelisted.
  if ('whitelistValidation' in constraints) return 'Unbekanntes Feld / Unknown field';
  const messages = Object.values(constraints);
  return messages.length > 0 ? messages.join('; ') : 'Ungültiger Wert / Invalid value';
}

/** Flattens class-validator's tree into field paths; leaves and nodes with own constraints both count. */
export function flattenValidationErrors(errors: readonly ValidationError[], parentPath = ''): FieldError[] {
  const result: FieldError[] = [];
  const visit = (list: readonly ValidationError[], prefix: string): void => {
    for (const error of list) {
      if (result.length >= MAX_FIELD_ERRORS) return;
      const field = prefix ? `${prefix}.${error.property}` : error.property;
      const children = error.children ?? [];
      if (error.constraints !== undefined || children.length === 0) result.push({ field, message: messageOf(error) });
      visit(children, field);
    }
  };
  visit(errors, parentPath);
  return result;
}

/**
 * The one validation pipe for DTOs: unknown fields are rejected (not silently dropped), payloads are
 * turned into DTO instances, and failures become a `RequestValidationError` (problem details, 400).
 */
export function createValidationPipe(
  options: Omit<ValidationPipeOptions, 'whitelist' | 'forbidNonWhitelisted' | 'exceptionFactory'> = {},
): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    // No validation target or value in errors: values may be personal data.
    validationError: { target: false, value: false },
    ...options,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors: ValidationError[]) => new RequestValidationError(flattenValidationErrors(errors)),
  });
}
