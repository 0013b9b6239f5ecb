import PDFDocument from 'pdfkit';
import type { PrintableReport, PrintableRow } from './printable-report.js';

const MARGIN = 50;

function groupBySection(rows: readonly PrintableRow[]): Map<string, PrintableRow[]> {
  const sections = new Map<string, PrintableRow[]>();
  for (const row of rows) sections.set(row.section, [...(sections.get(row.section) ?? []), row]);
  return sections;
}

/** Renders the report with pdfkit's built-in Helvetica (WinAnsi covers German umlauts and §). */
export function renderPdf(report: PrintableReport, createdAt: Date): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    lang: 'de-DE',
    info: { Title: `${report.title} ${report.subtitle}`, Author: 'Prüfpfad', CreationDate: createdAt },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;

  doc.font('Helvetica-Bold').fontSize(18).text(report.title);
  doc.font('Helvetica').fontSize(12).text(report.subtitle).moveDown(0.5);
  if (report.draft) doc.fillColor('#a00000').text('Entwurf – noch nicht abgegeben').fillColor('black').moveDown(0.5);
  doc.fontSize(10);
  for (const [label, value] of report.facts)
    doc.font('Helvetica-Bold').text(`${label}: `, { continued: true }).font('Helvetica').text(value);

  for (const [section, rows] of groupBySection(report.rows)) {
    doc.moveDown(1).font('Helvetica-Bold').fontSize(13).text(section, MARGIN).fontSize(10).moveDown(0.3);
    for (const row of rows) {
      const left = [row.category, row.characteristic, row.label].filter((part) => part !== '').join(' · ');
      // Texts (assessment, descriptions, notes) as paragraphs; counts as label … value lines.
      if (row.value.length > 12) {
        doc.font('Helvetica-Bold').text(left, MARGIN, undefined, { width });
        doc.font('Helvetica').text(row.value, MARGIN, undefined, { width }).moveDown(0.3);
      } else {
        const y = doc.y;
        doc.font('Helvetica').text(left, MARGIN, y, { width: width - 110 });
        const after = doc.y;
        doc.text(row.value, MARGIN + width - 100, y, { width: 100, align: 'right' });
        doc.y = Math.max(after, doc.y);
      }
    }
  }
  doc.moveDown(2).fontSize(8).fillColor('#555555');
  doc.text('Anonymisierter Bericht ohne personenbezogene Daten.', MARGIN);
  doc.end();
  return done;
}
