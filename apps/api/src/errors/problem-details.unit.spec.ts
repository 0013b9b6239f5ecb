import fs from 'node:fs';
import path from 'node:path';
import {
  BadRequestException,
  ConflictException,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
} from '@nestjs/common';
import { PreconditionFailedError } from '@pruefpfad/application';
import { AccessDeniedError, DomainError, ruleViolation } from '@pruefpfad/domain';
import { InvalidAppendError, StreamDeletedError, WrongExpectedRevisionError } from '@pruefpfad/event-store';
import { KeyDestroyedError } from '@pruefpfad/privacy';
import { PROBLEM_CODES, problemType, toProblem, type ProblemTable } from './problem-details.js';
import { RequestValidationError } from './validation.js';

class CodedError extends Error {
  constructor(
    readonly code: string,
    message = 'Nachricht / message',
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

describe('toProblem: the code table', () => {
  it.each(Object.entries(PROBLEM_CODES))('%s → its status, title and type', (code, mapping) => {
    const { problem, serverFault } = toProblem(new CodedError(code), '/x');
    expect(problem).toMatchObject({
      code,
      status: mapping.status,
      title: mapping.title,
      type: problemType(code),
      instance: '/x',
    });
    expect(problem.detail).toBe('detail' in mapping ? mapping.detail : 'Nachricht / message');
    expect(serverFault).toBe(mapping.status >= 500);
  });

  it('lists every code an HTTP exception of the service carries (none falls back to its bare status)', () => {
    const sources = fs
      .readdirSync(path.resolve(import.meta.dirname, '..'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
      .map((file) => fs.readFileSync(path.resolve(import.meta.dirname, '..', file), 'utf8'));
    const carried = new Set(sources.flatMap((text) => [...text.matchAll(/errorCode: '([A-Z_]+)'/g)].map((m) => m[1]!)));
    expect(carried.size).toBeGreaterThan(0);
    expect([...carried].filter((code) => !(code in PROBLEM_CODES))).toEqual([]);
  });

  it('has German and English in every title', () => {
    for (const mapping of Object.values(PROBLEM_CODES)) expect(mapping.title).toMatch(/^.+ \/ .+$/);
  });

  it.each([
    ['CONCURRENCY_CONFLICT', 409, () => new WrongExpectedRevisionError('review-1', 3, 5)],
    ['STREAM_DELETED', 410, () => new StreamDeletedError('review-1')],
    ['INVALID_APPEND', 400, () => new InvalidAppendError('bad event type')],
    ['KEY_DESTROYED', 410, () => new KeyDestroyedError('review-1')],
    ['NOT_FOUND', 404, () => new AccessDeniedError('not-found', 'programme.read')],
    ['FORBIDDEN', 403, () => new AccessDeniedError('forbidden', 'programme.define')],
    ['PRECONDITION_FAILED', 412, () => new PreconditionFailedError(3, 5)],
    ['ALREADY_EXISTS', 409, () => new DomainError('ALREADY_EXISTS', 'Existiert / Exists')],
    ['IDEMPOTENCY_KEY_REUSED', 422, () => new CodedError('IDEMPOTENCY_KEY_REUSED')],
    ['RULE_VIOLATION', 422, () => ruleViolation('Nicht erlaubt.', 'Not allowed.')],
    [
      'VALIDATION_FAILED',
      400,
      () => new DomainError('VALIDATION_FAILED', 'Ungültig / Invalid', { fields: { a: 'b' } }),
    ],
  ] as const)('maps the real error classes: %s → %i', (code, status, error) => {
    expect(toProblem(error(), '/x').problem).toMatchObject({ status, code });
  });

  it('does not leak internal messages where the table fixes the detail', () => {
    const problem = toProblem(new WrongExpectedRevisionError('review-42', 3, 5), '/x').problem;
    expect(problem.detail).not.toContain('review-42');
  });

  it('words a resource out of reach exactly like a missing one', () => {
    const outOfReach = toProblem(new AccessDeniedError('not-found', 'programme.read'), '/p/1').problem;
    const missing = toProblem(
      new CodedError('NOT_FOUND', 'Nicht gefunden: Prüfplan p-1 / Not found: programme p-1'),
      '/p/1',
    ).problem;
    const nestMissing = toProblem(new NotFoundException('Cannot GET /p/1'), '/p/1').problem;
    expect(outOfReach).toEqual(missing);
    expect(nestMissing).toEqual(missing);
  });

  it('lists field errors of validation failures, from either shape', () => {
    const fromPipe = toProblem(
      new RequestValidationError([{ field: 'a.b', message: 'Unbekanntes Feld / Unknown field' }]),
      '/x',
    );
    expect(fromPipe.problem).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'a.b', message: 'Unbekanntes Feld / Unknown field' }],
    });
    const fromDomain = toProblem(
      new CodedError('VALIDATION_FAILED', 'Ungültig / Invalid', { fields: { retentionMonths: 'must be ≥ 1' } }),
      '/x',
    );
    expect(fromDomain.problem.errors).toEqual([{ field: 'retentionMonths', message: 'must be ≥ 1' }]);
  });

  it('accepts extra codes through the table it is given, never through the prototype', () => {
    const table: ProblemTable = {
      ...PROBLEM_CODES,
      SAMPLE_ALREADY_DRAWN: { status: 409, title: 'Bereits gezogen / Already drawn' },
    };
    expect(toProblem(new CodedError('SAMPLE_ALREADY_DRAWN'), '/x', table).problem.status).toBe(409);
    expect(toProblem(new CodedError('SAMPLE_ALREADY_DRAWN'), '/x').problem.status).toBe(500);
    expect(toProblem(new CodedError('constructor'), '/x').problem.status).toBe(500);
    expect(toProblem(new CodedError('toString'), '/x').problem.status).toBe(500);
  });
});

describe('toProblem: everything else', () => {
  it('unknown errors and Node system errors become a generic 500 marked as server fault', () => {
    const secret = new Error('connect ECONNREFUSED 10.0.0.7:2113 password=hunter2');
    for (const error of [
      secret,
      Object.assign(new Error('ENOENT /etc/x'), { code: 'ENOENT' }),
      'a string',
      null,
      undefined,
      42,
    ]) {
      const { problem, serverFault } = toProblem(error, '/x');
      expect(serverFault).toBe(true);
      expect(problem).toEqual({
        type: problemType('INTERNAL_ERROR'),
        title: 'Interner Fehler / Internal server error',
        status: 500,
        detail: 'Ein unerwarteter Fehler ist aufgetreten. / An unexpected error occurred.',
        instance: '/x',
        code: 'INTERNAL_ERROR',
      });
    }
  });

  it('Nest HTTP exceptions keep their status; a 5xx keeps its status but not its message', () => {
    expect(toProblem(new ConflictException('Schon da / Already there'), '/x').problem).toMatchObject({
      status: 409,
      code: 'CONFLICT',
      title: 'Konflikt / Conflict',
      detail: 'Schon da / Already there',
    });
    expect(toProblem(new BadRequestException(['a must be a string', 'b is missing']), '/x').problem.detail).toBe(
      'a must be a string; b is missing',
    );
    const fault = toProblem(new InternalServerErrorException('db password wrong'), '/x');
    expect(fault.serverFault).toBe(true);
    expect(JSON.stringify(fault.problem)).not.toContain('password');
    expect(toProblem(new HttpException('teapot', 418), '/x').problem).toMatchObject({
      status: 418,
      code: 'HTTP_418',
      title: "Fehler 418 / I'm a Teapot",
    });
    expect(toProblem(new HttpException('x', 409, { errorCode: 'CONCURRENCY_CONFLICT' }), '/x').problem).toMatchObject({
      status: 409,
      code: 'CONCURRENCY_CONFLICT',
    });
  });

  it('malformed JSON never echoes the body back', () => {
    const parseError = Object.assign(new SyntaxError('Unexpected token \'M\', "Max Mustermann" is not valid JSON'), {
      status: 400,
      type: 'entity.parse.failed',
    });
    for (const error of [parseError, new BadRequestException(parseError.message, { cause: parseError })]) {
      const { problem } = toProblem(error, '/x');
      expect(problem).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
      expect(JSON.stringify(problem)).not.toContain('Mustermann');
    }
  });

  it('oversized bodies are 413, raw or mapped by the adapter', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      statusCode: 413,
      expose: true,
      type: 'entity.too.large',
    });
    expect(toProblem(tooLarge, '/x').problem).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(
      toProblem(new HttpException('request entity too large', 413, { cause: tooLarge }), '/x').problem,
    ).toMatchObject({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    });
  });

  it('other client errors from middleware pass when meant for the client, are hidden when not', () => {
    const unsupported = Object.assign(new Error('unsupported charset "X"'), { status: 415, expose: true });
    expect(toProblem(unsupported, '/x').problem).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    const hidden = Object.assign(new Error('internal'), { status: 400, expose: false });
    expect(toProblem(hidden, '/x').problem.status).toBe(500);
  });
});

describe('read-your-writes timeouts', () => {
  it('maps a lagging read model to 503 with its stable code, never a 500', async () => {
    const { ProjectionLaggingError } = await import('../commands/min-position.js');
    const outcome = toProblem(new ProjectionLaggingError('programmes', 42), '/api/v1/programmes');
    expect(outcome.problem).toMatchObject({ status: 503, code: 'PROJECTION_LAGGING' });
  });
});
