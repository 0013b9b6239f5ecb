import { KolButton, KolForm, KolInputDate, KolInputText, KolSelect } from '@public-ui/react-v19';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../../api';
import { useTexts } from '../../i18n';
import { DataTable, ErrorAlert, isoValue, Loading, Page, Section, Success } from '../../ui';
import { Downloads, instant, shortId } from './parts';
import { reviewRecordPath } from './review-record';
import { lastEndedQuarter } from '../../calendar';
import { fieldProps, messageFor, textOf } from '../../forms';

interface ChainReport {
  readonly clean: boolean;
  readonly streamsChecked: number;
  readonly eventsChecked: number;
  readonly seals: {
    readonly count: number;
    readonly lastSealNumber: number | null;
    readonly sealedThrough: number | null;
    readonly lastSealedAt: string | null;
  };
  readonly findings: readonly {
    readonly streamId: string;
    readonly kind: string;
    readonly revision: number | null;
    readonly position: number | null;
    readonly reason: string;
  }[];
  readonly streamsPurged: number;
  readonly next: number | null;
}

/** Auditor (own Jobcenter) and operator (whole store): the HMAC chains and seals, checked in parts. */
export function ChainVerificationPage() {
  const { t, language } = useTexts();
  const [stream, setStream] = useState('');
  const [run, setRun] = useState<{ readonly stream: string; readonly after: number; readonly count: number } | null>(
    null,
  );
  const report = useQuery({
    queryKey: ['oversight', 'chain', run],
    queryFn: ({ signal }) => {
      const query = new URLSearchParams({ after: String(run!.after) });
      if (run!.stream !== '') query.set('stream', run!.stream);
      return get<ChainReport>(`/api/v1/audit/chain-verification?${query.toString()}`, signal);
    },
    enabled: run !== null,
    staleTime: Infinity,
  });
  const data = report.data;
  return (
    <Page title={t('Kettenprüfung', 'Chain verification')}>
      <p>
        {t(
          'Prüft die Hash-Verkettung jedes Ereignisstroms und die Siegel. Gezeigt werden nur technische Angaben (Strom, Revision, Position, Grund), nie Inhalte.',
          'Checks the hash chain of every event stream and the seals. Only technical facts are shown (stream, revision, position, reason), never content.',
        )}
      </p>
      <KolForm
        _on={{
          onSubmit: () =>
            setRun((previous) => ({ stream: stream.trim(), after: 0, count: (previous?.count ?? 0) + 1 })),
        }}
      >
        <div className="stack">
          <KolInputText
            _label={t('Nur diesen Strom prüfen (optional)', 'Check this stream only (optional)')}
            _hint={t('z. B. review-<Kennung>; leer: alle Ströme', 'e.g. review-<id>; empty: every stream')}
            _value={stream}
            _on={{ onInput: (_event: Event, next: unknown) => setStream(textOf(next)) }}
          />
          <KolButton
            _type="submit"
            _variant="primary"
            _label={t('Ketten prüfen', 'Verify chains')}
            _disabled={report.isFetching}
          />
        </div>
      </KolForm>
      {report.isFetching ? <Loading /> : null}
      {report.error ? <ErrorAlert error={report.error} /> : null}
      {data && !report.isFetching ? (
        <Section title={t('Ergebnis', 'Result')}>
          {data.clean ? (
            <Success>
              {t(
                `Keine Auffälligkeiten: ${data.streamsChecked} Ströme, ${data.eventsChecked} Ereignisse geprüft.`,
                `No findings: ${data.streamsChecked} streams, ${data.eventsChecked} events checked.`,
              )}
            </Success>
          ) : (
            <p role="alert">
              {t(
                `${data.findings.length} Auffälligkeiten in ${data.streamsChecked} Strömen (${data.eventsChecked} Ereignisse).`,
                `${data.findings.length} findings in ${data.streamsChecked} streams (${data.eventsChecked} events).`,
              )}
            </p>
          )}
          <dl className="facts">
            <dt>{t('Siegel', 'Seals')}</dt>
            <dd>
              {data.seals.count}
              {data.seals.lastSealedAt
                ? t(
                    `, zuletzt ${instant(data.seals.lastSealedAt, language)} bis Position ${data.seals.sealedThrough ?? '–'}`,
                    `, last ${instant(data.seals.lastSealedAt, language)} through position ${data.seals.sealedThrough ?? '–'}`,
                  )
                : ''}
            </dd>
            <dt>{t('Nach Aufbewahrungsfrist gelöscht', 'Purged after retention')}</dt>
            <dd>{data.streamsPurged}</dd>
          </dl>
          {data.findings.length > 0 ? (
            <DataTable
              label={t('Auffälligkeiten', 'Findings')}
              columns={[
                { key: 'stream', label: t('Strom', 'Stream') },
                { key: 'kind', label: t('Art', 'Kind') },
                { key: 'revision', label: t('Revision', 'Revision'), align: 'right' },
                { key: 'reason', label: t('Grund', 'Reason') },
              ]}
              rows={data.findings.map((finding) => ({
                stream: finding.streamId,
                kind: finding.kind,
                revision: finding.revision ?? '–',
                reason: finding.reason,
              }))}
            />
          ) : null}
          {data.next !== null ? (
            <KolButton
              _label={t('Nächsten Teil prüfen', 'Check the next part')}
              _on={{ onClick: () => setRun((previous) => previous && { ...previous, after: data.next! }) }}
            />
          ) : null}
        </Section>
      ) : null}
    </Page>
  );
}

interface AccessLogEntry {
  readonly id: string;
  readonly at: string;
  readonly actor: { readonly subject: string; readonly role: string };
  readonly purpose: string;
  readonly endpoint: string;
  readonly resources: readonly { readonly kind: string; readonly id: string; readonly reviewId: string | null }[];
  readonly fields: readonly string[];
}

interface AccessLogPage {
  readonly items: readonly AccessLogEntry[];
  readonly next: number | null;
}

interface AccessFilter {
  readonly review: string;
  readonly actor: string;
  readonly from: string;
  readonly to: string;
}

const EMPTY_FILTER: AccessFilter = { review: '', actor: '', from: '', to: '' };

/** Auditor: who read personal data, when, through which endpoint and why (newest first, paged). */
export function AccessLogPage() {
  const { t, pick, language } = useTexts();
  const [draft, setDraft] = useState<AccessFilter>(EMPTY_FILTER);
  const [filter, setFilter] = useState<AccessFilter>(EMPTY_FILTER);
  const log = useInfiniteQuery({
    queryKey: ['oversight', 'access-log', filter],
    initialPageParam: 0,
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams();
      for (const key of Object.keys(filter) as (keyof AccessFilter)[])
        if (filter[key].trim() !== '') query.set(key, filter[key].trim());
      if (pageParam > 0) query.set('after', String(pageParam));
      return get<AccessLogPage>(`/api/v1/access-log?${query.toString()}`, signal);
    },
    getNextPageParam: (page) => page.next ?? undefined,
  });
  const set = (key: keyof AccessFilter) => (_event: Event, next: unknown) =>
    setDraft((current) => ({ ...current, [key]: textOf(next) }));
  const fieldMessage = (field: string) => fieldProps(messageFor(log.error, field), pick);
  const entries = log.data?.pages.flatMap((page) => page.items) ?? [];
  const reviewOf = (entry: AccessLogEntry) => entry.resources.find((resource) => resource.reviewId)?.reviewId ?? null;
  return (
    <Page title={t('Zugriffsprotokoll', 'Access log')}>
      <p>
        {t(
          'Lesezugriffe auf personenbezogene Daten dieses Jobcenters, die neuesten zuerst. Das Protokoll enthält keine Kundendaten.',
          'Reads of personal data of this Jobcenter, newest first. The log holds no customer data.',
        )}
      </p>
      <KolForm _on={{ onSubmit: () => setFilter(draft) }}>
        <div className="stack">
          <div className="row">
            <KolInputText
              _label={t('Prüfung (Kennung)', 'Review (id)')}
              _value={draft.review}
              _on={{ onInput: set('review') }}
              {...fieldMessage('review')}
            />
            <KolInputText
              _label={t('Person (Kennung)', 'Person (subject)')}
              _value={draft.actor}
              _on={{ onInput: set('actor') }}
              {...fieldMessage('actor')}
            />
            <KolInputDate
              _type="date"
              _label={t('Von', 'From')}
              _value={isoValue(draft.from)}
              _on={{ onInput: set('from') }}
              {...fieldMessage('from')}
            />
            <KolInputDate
              _type="date"
              _label={t('Bis', 'To')}
              _value={isoValue(draft.to)}
              _on={{ onInput: set('to') }}
              {...fieldMessage('to')}
            />
          </div>
          <KolButton _type="submit" _variant="primary" _label={t('Filtern', 'Filter')} />
        </div>
      </KolForm>
      {log.isPending ? <Loading /> : null}
      {log.error ? <ErrorAlert error={log.error} /> : null}
      {log.data ? (
        entries.length === 0 ? (
          <p>{t('Keine Zugriffe gefunden.', 'No reads found.')}</p>
        ) : (
          <DataTable
            label={t('Zugriffe auf personenbezogene Daten', 'Reads of personal data')}
            columns={[
              { key: 'at', label: t('Zeitpunkt', 'Time') },
              { key: 'actor', label: t('Person (Rolle)', 'Person (role)') },
              { key: 'purpose', label: t('Zweck', 'Purpose') },
              { key: 'endpoint', label: t('Schnittstelle', 'Endpoint') },
              {
                key: 'review',
                label: t('Prüfungsakte', 'Review record'),
                // An entry without a review (a report, the organisation file) has no record to open.
                href: (row) => (row['reviewId'] ? reviewRecordPath(String(row['reviewId'])) : null),
              },
              { key: 'fields', label: t('Geöffnete Felder', 'Fields opened') },
            ]}
            rows={entries.map((entry) => ({
              at: instant(entry.at, language),
              actor: `${entry.actor.subject} (${entry.actor.role})`,
              purpose: entry.purpose,
              endpoint: entry.endpoint,
              reviewId: reviewOf(entry) ?? '',
              review: (() => {
                const id = reviewOf(entry);
                return id ? shortId(id) : '–';
              })(),
              fields: entry.fields.join(', ') || '–',
            }))}
          />
        )
      ) : null}
      {log.hasNextPage ? (
        <KolButton
          _label={t('Ältere Zugriffe laden', 'Load older reads')}
          _disabled={log.isFetchingNextPage}
          _on={{ onClick: () => void log.fetchNextPage() }}
        />
      ) : null}
    </Page>
  );
}

/** Auditor: a unit's quarter as a file (JSON or CSV) for the audit's records. */
export function AuditExportsPage() {
  const { t } = useTexts();
  const fallback = lastEndedQuarter();
  const [unit, setUnit] = useState('');
  const [year, setYear] = useState(fallback.year);
  const [quarter, setQuarter] = useState(fallback.quarter);
  const valid = /^[a-z0-9][a-z0-9-]{0,62}$/.test(unit.trim());
  const base = `/api/v1/audit/exports/${encodeURIComponent(unit.trim())}/${year}/Q${quarter}`;
  return (
    <Page title={t('Exporte für die Prüfakte', 'Exports for the audit file')}>
      <p>
        {t(
          'Alle Prüfungen eines Teams oder Bereichs in einem Quartal, mit Verlauf und Kettenwerten, als Datei. Die Akte einer einzelnen Prüfung steht auf ihrer Seite.',
          'Every review of a team or area in a quarter, with its history and chain values, as a file. A single review’s record is on its own page.',
        )}
      </p>
      <div className="row">
        <KolInputText
          _label={t('Einheit (Team oder Bereich)', 'Unit (team or area)')}
          _hint={t('z. B. team-mi-1', 'e.g. team-mi-1')}
          _value={unit}
          _on={{ onInput: (_event: Event, next: unknown) => setUnit(textOf(next)) }}
        />
        <KolSelect
          _label={t('Jahr', 'Year')}
          _options={Array.from({ length: 8 }, (_, index) => fallback.year - index).map((value) => ({
            label: String(value),
            value,
          }))}
          _value={[year]}
          _on={{ onChange: (_event: Event, next: unknown) => setYear(Number(Array.isArray(next) ? next[0] : next)) }}
        />
        <KolSelect
          _label={t('Quartal', 'Quarter')}
          _options={[1, 2, 3, 4].map((value) => ({ label: `Q${value}`, value }))}
          _value={[quarter]}
          _on={{ onChange: (_event: Event, next: unknown) => setQuarter(Number(Array.isArray(next) ? next[0] : next)) }}
        />
      </div>
      {valid ? (
        <Downloads
          links={[
            {
              label: t(`${unit.trim()} ${year}/Q${quarter} als JSON`, `${unit.trim()} ${year}/Q${quarter} as JSON`),
              href: `${base}.json`,
            },
            {
              label: t(`${unit.trim()} ${year}/Q${quarter} als CSV`, `${unit.trim()} ${year}/Q${quarter} as CSV`),
              href: `${base}.csv`,
            },
          ]}
        />
      ) : (
        <p className="muted">{t('Bitte eine Einheit angeben.', 'Please name a unit.')}</p>
      )}
    </Page>
  );
}
