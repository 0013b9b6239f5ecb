import type { NextFunction, Request, Response } from 'express';
import type { FieldError } from './problem-details.js';
import { RequestValidationError } from './validation.js';

/** Bounds on the shape of parsed input (JSON bodies, query strings); see `AppConfig.input`. */
export interface InputShapeLimits {
  /** Containers (objects, arrays) nested in each other; the body itself is level 1. */
  readonly maxDepth: number;
  readonly maxArrayLength: number;
  readonly maxObjectKeys: number;
}

/**
 * Names that class-transformer drops without a word (its guard against prototype pollution), so the
 * validation pipe's "unknown field" check never sees them and the rest of the request would be written.
 * No DTO has such a field: they are refused wherever they occur.
 */
export const FORBIDDEN_FIELD_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const FORBIDDEN_FIELD_MESSAGE = 'Unzulässiger Feldname / Forbidden field name';

/** Enough to name every forbidden field of a real mistake; a hostile flood is cut off. */
const MAX_FORBIDDEN_REPORTED = 100;

/** Input whose shape exceeds a configured limit; mapped to 400 `INPUT_LIMIT_EXCEEDED`. */
export class InputLimitError extends Error {
  readonly code = 'INPUT_LIMIT_EXCEEDED';
  readonly errors: readonly FieldError[];
  constructor(field: string, german: string, english: string) {
    super(`${german} / ${english}`);
    this.name = 'InputLimitError';
    this.errors = [{ field, message: this.message }];
  }
}

/** A container on the walk's own stack: the path is rebuilt from the parent links only for an error. */
interface Frame {
  readonly value: object;
  readonly depth: number;
  readonly parent: Frame | null;
  readonly key: string;
}

function pathOf(frame: Frame | null, key?: string): string[] {
  const segments = key === undefined ? [] : [key];
  for (let current = frame; current !== null && current.parent !== null; current = current.parent)
    segments.push(current.key);
  return segments.reverse();
}

/**
 * Walks parsed input iteratively (an explicit stack, so that no nesting can overflow this check the way
 * it overflowed class-transformer's recursion) and throws on the first limit exceeded, or, after the
 * walk, on every forbidden field name found. `where` names the input for messages and for a violation
 * at the top (`body`, `query`). Runs before anything else reads the input.
 */
export function assertInputShape(input: unknown, limits: InputShapeLimits, where: 'body' | 'query'): void {
  if (typeof input !== 'object' || input === null) return;
  const label =
    where === 'body'
      ? { de: 'Der Anfragetext', en: 'The request body' }
      : { de: 'Die Abfrageparameter', en: 'The query string' };
  const fieldOf = (frame: Frame | null, key?: string) => pathOf(frame, key).join('.') || where;
  const forbidden: FieldError[] = [];
  const stack: Frame[] = [{ value: input, depth: 1, parent: null, key: '' }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    if (frame.depth > limits.maxDepth)
      throw new InputLimitError(
        fieldOf(frame),
        `${label.de} ist tiefer als ${limits.maxDepth} Ebenen verschachtelt`,
        `${label.en} is nested deeper than ${limits.maxDepth} levels`,
      );
    const push = (key: string, child: unknown) => {
      if (typeof child === 'object' && child !== null)
        stack.push({ value: child, depth: frame.depth + 1, parent: frame, key });
    };
    if (Array.isArray(frame.value)) {
      const list = frame.value as unknown[];
      if (list.length > limits.maxArrayLength)
        throw new InputLimitError(
          fieldOf(frame),
          `Eine Liste hat mehr als ${limits.maxArrayLength} Einträge`,
          `A list has more than ${limits.maxArrayLength} entries`,
        );
      list.forEach((item, index) => push(String(index), item));
      continue;
    }
    const keys = Object.keys(frame.value);
    if (keys.length > limits.maxObjectKeys)
      throw new InputLimitError(
        fieldOf(frame),
        `Ein Objekt hat mehr als ${limits.maxObjectKeys} Felder`,
        `An object has more than ${limits.maxObjectKeys} fields`,
      );
    for (const key of keys) {
      if (FORBIDDEN_FIELD_NAMES.has(key) && forbidden.length < MAX_FORBIDDEN_REPORTED)
        forbidden.push({ field: fieldOf(frame, key), message: FORBIDDEN_FIELD_MESSAGE });
      push(key, (frame.value as Record<string, unknown>)[key]);
    }
  }
  if (forbidden.length > 0) throw new RequestValidationError(forbidden);
}

/**
 * Express middleware placed right after the JSON body parser, before Nest's pipes: the one check of every
 * parsed body and query string, whichever route or decorator reads them later (`@Body()`, `@Query()`, or
 * `@Req()` as the population import does). Errors go to the problem-details filter.
 */
export function inputShapeGuard(limits: InputShapeLimits) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    try {
      assertInputShape(request.body as unknown, limits, 'body');
      // Express 5 parses the query string on each read of `request.query` (its "simple" parser: flat keys).
      assertInputShape(request.query, limits, 'query');
      next();
    } catch (error) {
      next(error);
    }
  };
}
