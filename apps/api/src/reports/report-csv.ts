import type { PrintableReport } from './printable-report.js';

export const CSV_HEADER = ['Abschnitt', 'Merkmal', 'Kategorie', 'Ausprägung', 'Wert'] as const;

/**
 * Semicolon-separated with a byte-order mark, as German spreadsheet programs expect. Cells that a
 * spreadsheet would run as a formula are prefixed with an apostrophe (CSV injection).
 */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[";\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function renderCsv(report: PrintableReport): string {
  const lines = [
    CSV_HEADER.join(';'),
    ...report.rows.map((row) =>
      [row.section, row.label, row.category, row.characteristic, row.value].map(cell).join(';'),
    ),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
