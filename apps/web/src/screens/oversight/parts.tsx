import { KolLink } from '@public-ui/react-v19';
import { useTexts, type Texts } from '../../i18n';
import { DataTable, type Column } from '../../ui';

/**
 * Small pieces the oversight screens share: the value a KoliBri input reports, field messages of a
 * command in KoliBri's shape, download links (plain same-origin links to the API's GET endpoints: the
 * session cookie goes along), and the instant format of a log line.
 */

/** The value a KoliBri input reports, as text. */
export const textOf = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

/** `{ _msg, _touched }` for a KoliBri input when the API named its field, else nothing. */
export function fieldMsg(message: string | undefined, pick: Texts['pick']) {
  return message ? { _msg: { _type: 'error' as const, _description: pick(message) }, _touched: true } : {};
}

export function Downloads({ links }: { readonly links: readonly { readonly label: string; readonly href: string }[] }) {
  return (
    <ul className="row downloads">
      {links.map((link) => (
        <li key={link.href}>
          <KolLink _href={link.href} _label={link.label} />
        </li>
      ))}
    </ul>
  );
}

/** An instant as people in Germany read it (date and time, Europe/Berlin). */
export function instant(value: string, language: Texts['language']): string {
  return new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', {
    timeZone: 'Europe/Berlin',
    dateStyle: 'medium',
    timeStyle: 'medium',
  }).format(new Date(value));
}

/** The quarter that ended last before today (Berlin), as reports are owed for it. */
export function lastEndedQuarter(now: Date = new Date()): { readonly year: number; readonly quarter: number } {
  const [year, month] = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Berlin',
    year: 'numeric',
    month: '2-digit',
  })
    .format(now)
    .split('-')
    .map(Number) as [number, number];
  const current = Math.ceil(month / 3);
  return current === 1 ? { year: year - 1, quarter: 4 } : { year, quarter: current - 1 };
}

/** yyyy-mm of the month `offset` months from `month`. */
export function addMonths(month: string, offset: number): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (number - 1) + offset;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** A review's id as people tell reviews apart: its random tail (the head of a UUIDv7 is the creation time, alike for one draw). */
export const shortId = (id: string): string => id.slice(-12);

/** Rows per table part: KoliBri's theme caps a table's height and scrolls it (see `ScrollSafeTable`). */
export const ROWS_PER_PART = 6;

/**
 * `DataTable` that never scrolls. KoliBri's default theme gives the table's scroll container a maximum
 * height with `overflow: auto`, but makes it keyboard-reachable only when it scrolls sideways; a long
 * table scrolls vertically where no keyboard reaches it (axe: scrollable-region-focusable). So a long
 * list is shown as consecutive tables of a few rows, each captioned with the rows it holds.
 */
export function ScrollSafeTable<Row extends Record<string, string | number>>({
  label,
  columns,
  rows,
  rowsPerPart = ROWS_PER_PART,
}: {
  readonly label: string;
  readonly columns: readonly Column<Row>[];
  readonly rows: readonly Row[];
  /** Fewer for rows of long, wrapping text. */
  readonly rowsPerPart?: number;
}) {
  const { t } = useTexts();
  if (rows.length <= rowsPerPart) return <DataTable label={label} columns={columns} rows={rows} />;
  const parts: Row[][] = [];
  for (let start = 0; start < rows.length; start += rowsPerPart) parts.push(rows.slice(start, start + rowsPerPart));
  return (
    <div className="stack">
      {parts.map((part, index) => {
        const from = index * rowsPerPart + 1;
        const to = from + part.length - 1;
        return (
          <DataTable
            key={from}
            label={t(
              `${label} (Zeilen ${from}–${to} von ${rows.length})`,
              `${label} (rows ${from}–${to} of ${rows.length})`,
            )}
            columns={columns}
            rows={part}
          />
        );
      })}
    </div>
  );
}

/**
 * Long unbroken runs (ids, placeholders like «verschlüsselt: review:<id>#1», pseudonyms) get a break
 * opportunity every 20 characters, so a table cell wraps instead of widening the table past its box.
 */
export const breakable = (text: string): string => text.replace(/(\S{20})(?=\S)/g, '$1\u200B');
