import { Catch, Inject, Injectable, Logger, Optional, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { PROBLEM_CODES, PROBLEM_CONTENT_TYPE, toProblem, type ProblemTable } from './problem-details.js';

export const PROBLEM_TABLE = Symbol('PROBLEM_TABLE');

/**
 * The one global exception filter: everything thrown while serving HTTP leaves as RFC 9457 problem
 * details. Server faults are logged with their stack; the client only gets a generic message.
 */
@Catch()
@Injectable()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Optional() @Inject(PROBLEM_TABLE) private readonly table: ProblemTable = PROBLEM_CODES,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') {
      this.logger.error(`Unhandled error outside HTTP: ${describe(exception)}`, stackOf(exception));
      return;
    }
    const http = host.switchToHttp();
    const request = http.getRequest<unknown>();
    const response = http.getResponse<unknown>();
    const adapter = this.adapterHost.httpAdapter;
    const method = String(adapter.getRequestMethod(request));
    const url = String(adapter.getRequestUrl(request));
    // The query string may hold personal data (search terms): the instance is the path alone.
    const instance = url.split(/[?#]/, 1)[0] ?? '';

    const { problem, serverFault, headers } = toProblem(exception, instance, this.table, { method });
    if (serverFault)
      this.logger.error(`${method} ${instance} → ${problem.status}: ${describe(exception)}`, stackOf(exception));

    if (adapter.isHeadersSent(response)) {
      // Part of a response is out already: nothing sane can follow it, so the connection is ended.
      this.logger.error(`${method} ${instance}: error after the response had started: ${describe(exception)}`);
      adapter.end(response);
      return;
    }
    adapter.setHeader(response, 'Content-Type', PROBLEM_CONTENT_TYPE);
    adapter.setHeader(response, 'Cache-Control', 'no-store');
    if (problem.status === 401) adapter.setHeader(response, 'WWW-Authenticate', 'Bearer realm="pruefpfad"');
    for (const [name, value] of Object.entries(headers ?? {})) adapter.setHeader(response, name, value);
    adapter.reply(response, problem, problem.status);
  }
}

function describe(exception: unknown): string {
  if (exception instanceof Error) return `${exception.name}: ${exception.message}`;
  return String(exception);
}

function stackOf(exception: unknown): string | undefined {
  return exception instanceof Error ? exception.stack : undefined;
}
