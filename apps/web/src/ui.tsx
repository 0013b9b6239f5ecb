import type { Iso8601 } from '@public-ui/components';
import { KolAlert, KolHeading, KolSpin, KolTableStateful, KolTableStateless } from '@public-ui/react-v19';
import { useEffect, useRef, type ReactNode } from 'react';
import { ApiError, NetworkError } from './api';
import { useTexts } from './i18n';

/**
 * The page frame every screen uses: its title becomes the document title and the first heading, which
 * takes focus after navigation so that screen readers announce the new page.
 */
export function Page({ title, children }: { readonly title: string; readonly children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} – Prüfpfad`;
    heading.current?.focus();
  }, [title]);
  return (
    <div className="stack">
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </div>
  );
}

export function Section({
  title,
  level = 2,
  children,
}: {
  readonly title: string;
  readonly level?: 2 | 3;
  readonly children: ReactNode;
}) {
  return (
    <section className="stack">
      <KolHeading _level={level} _label={title} />
      {children}
    </section>
  );
}

export function Loading() {
  const { t } = useTexts();
  return <KolSpin _show _label={t('Wird geladen …', 'Loading …')} />;
}

/** An API error in the user's language: its title, its detail and the fields it names. */
export function ErrorAlert({ error }: { readonly error: unknown }) {
  const { t, pick } = useTexts();
  if (error instanceof ApiError) {
    return (
      <KolAlert _type="error" _variant="card" _label={pick(error.problem.title)} _alert>
        <p>{pick(error.problem.detail)}</p>
        {error.problem.errors && error.problem.errors.length > 0 ? (
          <ul>
            {error.problem.errors.map((field) => (
              <li key={field.field}>
                <code>{field.field}</code>: {pick(field.message)}
              </li>
            ))}
          </ul>
        ) : null}
      </KolAlert>
    );
  }
  if (error instanceof NetworkError) {
    return (
      <KolAlert _type="error" _variant="card" _label={t('Keine Verbindung', 'No connection')} _alert>
        <p>
          {t(
            'Der Server hat nicht geantwortet. Ihre Eingaben sind erhalten; senden Sie erneut – ein zweites Senden schreibt nichts doppelt.',
            'The server did not answer. What you entered is kept; send again – sending twice writes nothing twice.',
          )}
        </p>
      </KolAlert>
    );
  }
  return (
    <KolAlert _type="error" _variant="card" _label={t('Unerwarteter Fehler', 'Unexpected error')} _alert>
      <p>{String(error)}</p>
    </KolAlert>
  );
}

export function Success({ children }: { readonly children: string }) {
  return <KolAlert _type="success" _variant="msg" _label={children} _alert />;
}

export interface Column<Row> {
  readonly key: keyof Row & string;
  readonly label: string;
  /** Makes the cell a link (a real `<a href>`, followed without a page load); null leaves it text. */
  readonly href?: (row: Row) => string | null;
  readonly align?: 'left' | 'right';
}

/** Rows per page of a long table (KoliBri's table scrolls inside itself beyond about 80 % of the window). */
export const ROWS_PER_PAGE = 10;

/**
 * A data table: KoliBri's table (caption, header cells, keyboard-reachable), with link cells built as
 * DOM nodes (never as HTML strings, so no value can inject markup). A table longer than
 * `ROWS_PER_PAGE` is paged with KoliBri's pagination instead of scrolling inside the page, where a
 * keyboard could not reach its hidden rows (WCAG 2.1.1).
 */
export function DataTable<Row extends Record<string, string | number>>({
  label,
  columns,
  rows,
  rowsPerPage = ROWS_PER_PAGE,
}: {
  readonly label: string;
  readonly columns: readonly Column<Row>[];
  readonly rows: readonly Row[];
  /** Fewer for rows of long, wrapping text (a page must fit without scrolling). */
  readonly rowsPerPage?: number;
}) {
  const headers = {
    horizontal: [
      columns.map((column) => ({
        key: column.key,
        label: column.label,
        textAlign: column.align ?? ('left' as const),
        ...(column.href
          ? {
              render: (node: HTMLElement, cell: { label: string }, row: unknown) => {
                const href = column.href!(row as Row);
                if (href === null) {
                  node.replaceChildren(document.createTextNode(cell.label));
                  return;
                }
                const anchor = document.createElement('a');
                anchor.href = href;
                anchor.textContent = cell.label;
                node.replaceChildren(anchor);
              },
            }
          : {}),
      })),
    ],
  };
  const data = rows.map((row) => ({ ...row }));
  if (rows.length <= rowsPerPage) return <KolTableStateless _label={label} _headerCells={headers} _data={data} />;
  return (
    <KolTableStateful
      _label={label}
      _headers={headers}
      _data={data}
      _pagination={{ _page: 1, _pageSize: rowsPerPage, _pageSizeOptions: [rowsPerPage] }}
      _paginationPosition="bottom"
    />
  );
}

/** A date or month text (`2026-03-10`, `2026-03`) as KoliBri's date inputs take it; empty is no value. */
export function isoValue(value: string): Iso8601 | null {
  return value === '' ? null : (value as Iso8601);
}
