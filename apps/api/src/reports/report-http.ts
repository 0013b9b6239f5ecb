import { StreamableFile } from '@nestjs/common';
import type { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import type { CommandContext, CommandResult } from '@pruefpfad/application';
import type { ReportCommand } from '@pruefpfad/domain';
import { setEtag } from '../commands/etag.js';
import { ExecuteCommand } from '../commands/execute-command.js';
import type { PrintableReport } from './printable-report.js';
import { reportAggregate } from './report.aggregate.js';
import { renderCsv } from './report-csv.js';
import { renderPdf } from './report-pdf.js';

/** What the report controllers answer alike: submissions and downloads. */

export type HeaderMap = Record<string, string | undefined>;

/** Appends a submission to the report's stream; answers with its `Location` and the new `ETag`. */
export async function submitReport(
  commands: CommandBus,
  command: ReportCommand,
  context: CommandContext,
  response: Response,
  location: string,
): Promise<CommandResult> {
  const result = await commands.execute(
    new ExecuteCommand(reportAggregate, { aggregateId: command.reportId, command, context }),
  );
  response.setHeader('Location', location);
  setEtag(response, result.revision);
  return result;
}

export async function pdfDownload(report: PrintableReport, createdAt: Date): Promise<StreamableFile> {
  return new StreamableFile(await renderPdf(report, createdAt), {
    type: 'application/pdf',
    disposition: `attachment; filename="${report.fileName}.pdf"`,
  });
}

export function csvDownload(report: PrintableReport): StreamableFile {
  return new StreamableFile(Buffer.from(renderCsv(report), 'utf8'), {
    type: 'text/csv; charset=utf-8',
    disposition: `attachment; filename="${report.fileName}.csv"`,
  });
}
