import { StreamableFile } from '@nestjs/common';
import type { Principal } from '@pruefpfad/domain';
import type { ReviewHistory } from './review-history.service.js';

/**
 * An audit export an auditor can file: the histories of one review or of a unit's quarter as JSON (the
 * full record as the caller may see it, with each event's chain value, so the file can later be checked
 * against the store) or as CSV (one row per event with its German and English line).
 */
export const AUDIT_EXPORT_FORMAT = 'pruefpfad/audit-export/v1';

export interface AuditExport {
  readonly format: typeof AUDIT_EXPORT_FORMAT;
  readonly scope:
    | { readonly kind: 'review'; readonly reviewId: string }
    | { readonly kind: 'unit-quarter'; readonly unitId: string; readonly year: number; readonly quarter: number };
  readonly tenant: string;
  readonly exportedAt: string;
  /** Roles, not the person: the export carries no identity of whoever made it. */
  readonly exportedByRoles: readonly string[];
  readonly reviews: readonly ReviewHistory[];
}

export function auditExport(
  principal: Principal,
  scope: AuditExport['scope'],
  exportedAt: Date,
  reviews: readonly ReviewHistory[],
): AuditExport {
  return {
    format: AUDIT_EXPORT_FORMAT,
    scope,
    tenant: principal.tenant,
    exportedAt: exportedAt.toISOString(),
    exportedByRoles: principal.roles,
    reviews,
  };
}

export const AUDIT_CSV_HEADER = [
  'Prüfung / review',
  'Position',
  'Strom / stream',
  'Revision',
  'Ereignis / event',
  'Schema',
  'Zeitpunkt / occurred at',
  'Erfasst / recorded at',
  'Akteur / actor',
  'Rolle / role',
  'Korrelation / correlation',
  'Auslöser / causation',
  'Beschreibung',
  'Description',
] as const;

/**
 * Semicolon-separated with a byte-order mark, as German spreadsheet programs expect; cells a spreadsheet
 * would run as a formula are prefixed with an apostrophe (CSV injection).
 */
function cell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[";\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function auditCsv(file: AuditExport): string {
  const rows = file.reviews.flatMap((review) =>
    review.events.map((event) =>
      [
        review.reviewId,
        event.position,
        event.streamId,
        event.revision,
        event.type,
        event.schemaVersion,
        event.occurredAt,
        event.recordedAt,
        event.actor.user,
        event.actor.role,
        event.correlationId,
        event.causationId,
        event.line.de,
        event.line.en,
      ]
        .map(cell)
        .join(';'),
    ),
  );
  return `\uFEFF${[AUDIT_CSV_HEADER.map(cell).join(';'), ...rows].join('\r\n')}\r\n`;
}

export function jsonDownload(file: AuditExport, fileName: string): StreamableFile {
  return new StreamableFile(Buffer.from(`${JSON.stringify(file, null, 2)}\n`, 'utf8'), {
    type: 'application/json; charset=utf-8',
    disposition: `attachment; filename="${fileName}.json"`,
  });
}

export function csvDownload(file: AuditExport, fileName: string): StreamableFile {
  return new StreamableFile(Buffer.from(auditCsv(file), 'utf8'), {
    type: 'text/csv; charset=utf-8',
    disposition: `attachment; filename="${fileName}.csv"`,
  });
}
