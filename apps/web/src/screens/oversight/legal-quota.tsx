import {
  KolAlert,
  KolButton,
  KolForm,
  KolInputDate,
  KolInputText,
  KolLink,
  KolSelect,
  KolTextarea,
} from '@public-ui/react-v19';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { ApiError, get } from '../../api';
import { shiftMonth } from '../../calendar';
import { useCommand } from '../../commands';
import { CommandError, fieldProps, NumberField, selectedOf, textOf } from '../../forms';
import { useTexts, type Texts } from '../../i18n';
import { navigate } from '../../router';
import { hasRole, type Session } from '../../session';
import { DataTable, ErrorAlert, isoValue, Loading, Page, Section, Success } from '../../ui';
import {
  AVOIDABLE_REASONS,
  type AvoidableReason,
  QuotaBreakdown,
  type QuotaMonthView,
  quotaPath,
  type QuotaRow,
  QuotaShares,
  type QuotaTrendView,
  QuotaTrendFigures,
  quotaTrendPath,
  reasonName,
  teamLabel,
  useTeamNames,
} from './legal-quota-parts';
import { instant } from './parts';

/** Counts are whole numbers up to a million (the API's bound). */
const COUNT_MAX = 1_000_000;
/** The team select's value for "across teams" (no team id can look like this). */
const ACROSS_TEAMS = '*';

const monthKey = (month: string) => ['oversight', 'legal-quota', month] as const;

interface RowDraft {
  /** Stable React key: rows can be removed from the middle. */
  readonly key: number;
  readonly legalNorm: string;
  readonly teamId: string;
  readonly settled: number | null;
  readonly upheldFully: number | null;
  readonly upheldPartly: number | null;
  readonly avoidable: number | null;
  readonly byReason: Readonly<Record<AvoidableReason, number | null>>;
}

let nextKey = 1;
const emptyRow = (): RowDraft => ({
  key: nextKey++,
  legalNorm: '',
  teamId: ACROSS_TEAMS,
  settled: 0,
  upheldFully: 0,
  upheldPartly: 0,
  avoidable: 0,
  byReason: { documentation: 0, 'application-of-law': 0, 'fact-finding': 0 },
});

const draftOf = (row: QuotaRow): RowDraft => ({
  key: nextKey++,
  legalNorm: row.legalNorm,
  teamId: row.teamId ?? ACROSS_TEAMS,
  settled: row.settled,
  upheldFully: row.upheldFully,
  upheldPartly: row.upheldPartly,
  avoidable: AVOIDABLE_REASONS.reduce((sum, reason) => sum + row.avoidable[reason], 0),
  byReason: { ...row.avoidable },
});

/** The rows as the API takes them; an empty count goes as null, for the API to name its field. */
const bodyRows = (rows: readonly RowDraft[]) =>
  rows.map((row) => ({
    legalNorm: row.legalNorm.trim(),
    teamId: row.teamId === ACROSS_TEAMS ? null : row.teamId,
    settled: row.settled,
    upheldFully: row.upheldFully,
    upheldPartly: row.upheldPartly,
    avoidable: row.avoidable,
    avoidableByReason: { ...row.byReason },
  }));

/** The message the API gave for exactly this field (not for one below it). */
function exactMessage(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.problem.errors?.find((entry) => entry.field === field)?.message : undefined;
}

/** Whether the API named any field of the rows (then the messages stand at those fields). */
const namesRows = (error: unknown) =>
  error instanceof ApiError && (error.problem.errors ?? []).some((entry) => entry.field.startsWith('rows.'));

/**
 * A month's figures: per legal norm and team the appeals settled, upheld fully and partly, and of the
 * upheld the avoidable ones, by reason. Each API message stands at its field (`rows.<i>.<field>`).
 */
function RowsEditor({
  rows,
  setRows,
  error,
  onEdit,
}: {
  readonly rows: readonly RowDraft[];
  readonly setRows: (update: (rows: readonly RowDraft[]) => readonly RowDraft[]) => void;
  readonly error: unknown;
  /** Row indexes shift when one is removed: earlier messages no longer fit. */
  readonly onEdit: () => void;
}) {
  const { t, pick } = useTexts();
  const teams = useTeamNames();
  const update = (key: number, change: Partial<RowDraft>) =>
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...change } : row)));
  const message = (field: string) => fieldProps(exactMessage(error, field), pick);
  const teamOptions = [
    { label: t('teamübergreifend', 'across teams'), value: ACROSS_TEAMS },
    ...[...teams].map(([id, name]) => ({ label: name, value: id })),
  ];
  return (
    <div className="stack">
      {rows.length === 0 ? (
        <p>
          {t(
            'Keine Zeilen: Für diesen Monat wird erfasst, dass keine Widersprüche erledigt wurden.',
            'No rows: this month is recorded as one without settled appeals.',
          )}
        </p>
      ) : null}
      {rows.map((row, index) => {
        const at = (field: string) => `rows.${index}.${field}`;
        const reasonsMessage = exactMessage(error, at('avoidableByReason'));
        return (
          <fieldset className="question" key={row.key}>
            <legend>{t(`Zeile ${index + 1}`, `Row ${index + 1}`)}</legend>
            <div className="stack">
              <KolInputText
                _label={t('Rechtsnorm', 'Legal norm')}
                _hint={t('z. B. § 22 SGB II', 'e.g. § 22 SGB II')}
                _required
                _value={row.legalNorm}
                _on={{ onInput: (_event: Event, next: unknown) => update(row.key, { legalNorm: textOf(next) }) }}
                {...message(at('legalNorm'))}
              />
              <KolSelect
                _label={t('Team', 'Team')}
                _options={
                  teamOptions.some((option) => option.value === row.teamId)
                    ? teamOptions
                    : [...teamOptions, { label: row.teamId, value: row.teamId }]
                }
                _value={[row.teamId]}
                _on={{ onChange: (_event: Event, next: unknown) => update(row.key, { teamId: selectedOf(next) }) }}
                {...message(at('teamId'))}
              />
              <div className="row">
                <NumberField
                  label={t('Erledigte Widersprüche', 'Appeals settled')}
                  value={row.settled}
                  onChange={(settled) => update(row.key, { settled })}
                  min={0}
                  max={COUNT_MAX}
                  required
                  message={message(at('settled'))}
                />
                <NumberField
                  label={t('Volle Stattgaben', 'Upheld fully')}
                  value={row.upheldFully}
                  onChange={(upheldFully) => update(row.key, { upheldFully })}
                  min={0}
                  max={COUNT_MAX}
                  required
                  message={message(at('upheldFully'))}
                />
                <NumberField
                  label={t('Teilweise Stattgaben', 'Upheld partly')}
                  value={row.upheldPartly}
                  onChange={(upheldPartly) => update(row.key, { upheldPartly })}
                  min={0}
                  max={COUNT_MAX}
                  required
                  message={message(at('upheldPartly'))}
                />
                <NumberField
                  label={t('davon vermeidbar', 'of which avoidable')}
                  value={row.avoidable}
                  onChange={(avoidable) => update(row.key, { avoidable })}
                  min={0}
                  max={COUNT_MAX}
                  required
                  message={message(at('avoidable'))}
                />
              </div>
              <fieldset className="question">
                <legend>
                  {t(`Vermeidbare nach Ursache, Zeile ${index + 1}`, `Avoidable by reason, row ${index + 1}`)}
                </legend>
                <div className="row">
                  {AVOIDABLE_REASONS.map((reason) => (
                    <NumberField
                      key={reason}
                      label={reasonName(reason, t)}
                      value={row.byReason[reason]}
                      onChange={(value) => update(row.key, { byReason: { ...row.byReason, [reason]: value } })}
                      min={0}
                      max={COUNT_MAX}
                      required
                      message={message(at(`avoidableByReason.${reason}`))}
                    />
                  ))}
                </div>
                {reasonsMessage ? <KolAlert _type="error" _variant="msg" _label={pick(reasonsMessage)} /> : null}
              </fieldset>
              <KolButton
                _label={t(`Zeile ${index + 1} entfernen`, `Remove row ${index + 1}`)}
                _variant="secondary"
                _on={{
                  onClick: () => {
                    onEdit();
                    setRows((current) => current.filter((other) => other.key !== row.key));
                  },
                }}
              />
            </div>
          </fieldset>
        );
      })}
      <KolButton
        _label={t('Zeile hinzufügen', 'Add a row')}
        _variant="secondary"
        _on={{ onClick: () => setRows((current) => [...current, emptyRow()]) }}
      />
    </div>
  );
}

/** The legal department records a month once. */
function RecordForm({ month, onDone }: { readonly month: string; readonly onDone: (text: string) => void }) {
  const { t, month: monthName } = useTexts();
  const client = useQueryClient();
  const [rows, setRows] = useState<readonly RowDraft[]>(() => [emptyRow()]);
  const record = useCommand<{ rows: ReturnType<typeof bodyRows> }>('POST', `/api/v1/legal/quota/${month}`);
  const send = async () => {
    const result = await record.run({ rows: bodyRows(rows) });
    if (result) {
      onDone(t(`Zahlen für ${monthName(month)} erfasst.`, `Figures for ${monthName(month)} recorded.`));
      await client.invalidateQueries({ queryKey: monthKey(month) });
    }
  };
  return (
    <Section title={t('Monatszahlen erfassen', 'Record the month’s figures')}>
      <p>
        {t(
          `Für ${monthName(month)} sind noch keine Zahlen erfasst. Ein Monat wird einmal erfasst; spätere Änderungen sind Korrekturen mit Begründung.`,
          `No figures for ${monthName(month)} yet. A month is recorded once; later changes are corrections with a reason.`,
        )}
      </p>
      <KolForm
        _requiredText={t(
          'Pflichtangaben sind mit einem Sternchen markiert.',
          'Mandatory fields are marked with an asterisk.',
        )}
        _on={{ onSubmit: () => void send() }}
      >
        <div className="stack">
          <RowsEditor rows={rows} setRows={setRows} error={record.error} onEdit={record.reset} />
          {record.error && !namesRows(record.error) ? <ErrorAlert error={record.error} /> : null}
          <KolButton
            _type="submit"
            _variant="primary"
            _label={t('Monatszahlen erfassen', 'Record the figures')}
            _disabled={record.pending}
          />
        </div>
      </KolForm>
    </Section>
  );
}

/**
 * A correction replaces the month's figures as a whole, with a reason (stored encrypted), against the
 * revision it was opened at (If-Match). Changed meanwhile (412): the latest figures are loaded, what the
 * user typed stays, and sending again corrects against the new revision.
 */
function CorrectionForm({
  view,
  reload,
  onDone,
  onCancel,
}: {
  readonly view: QuotaMonthView;
  readonly reload: () => Promise<number | null>;
  readonly onDone: (text: string) => void;
  readonly onCancel: () => void;
}) {
  const { t, pick, month: monthName } = useTexts();
  const client = useQueryClient();
  const [rows, setRows] = useState<readonly RowDraft[]>(() => (view.rows ?? []).map(draftOf));
  const [reason, setReason] = useState('');
  const base = useRef(view.revision);
  const correct = useCommand<{ rows: ReturnType<typeof bodyRows>; reason: string }>(
    'POST',
    `/api/v1/legal/quota/${view.month}/corrections`,
  );
  const send = async () => {
    const result = await correct.run({ rows: bodyRows(rows), reason }, { ifMatch: base.current });
    if (result) {
      onDone(t(`Zahlen für ${monthName(view.month)} korrigiert.`, `Figures for ${monthName(view.month)} corrected.`));
      await client.invalidateQueries({ queryKey: monthKey(view.month) });
    }
  };
  const reloadKeepingInput = async () => {
    const revision = await reload();
    if (revision !== null) base.current = revision;
    correct.reset();
  };
  return (
    <Section title={t('Zahlen korrigieren', 'Correct the figures')}>
      <p>
        {t(
          'Die Korrektur ersetzt alle Zeilen des Monats. Die Begründung wird verschlüsselt gespeichert und erscheint mit den Summen vorher und nachher in der Historie der Revision.',
          'The correction replaces all rows of the month. The reason is stored encrypted and appears with the totals before and after in the auditor’s history.',
        )}
      </p>
      <KolForm
        _requiredText={t(
          'Pflichtangaben sind mit einem Sternchen markiert.',
          'Mandatory fields are marked with an asterisk.',
        )}
        _on={{ onSubmit: () => void send() }}
      >
        <div className="stack">
          <RowsEditor rows={rows} setRows={setRows} error={correct.error} onEdit={correct.reset} />
          <KolTextarea
            _label={t(
              'Begründung der Korrektur (verschlüsselt gespeichert)',
              'Reason for the correction (stored encrypted)',
            )}
            _required
            _rows={3}
            _value={reason}
            _on={{ onInput: (_event: Event, next: unknown) => setReason(textOf(next)) }}
            {...fieldProps(exactMessage(correct.error, 'reason'), pick)}
          />
          <CommandError command={correct} fields={['rows.', 'reason']} onReload={reloadKeepingInput} />
          <div className="row">
            <KolButton
              _type="submit"
              _variant="primary"
              _label={t('Korrektur speichern', 'Save the correction')}
              _disabled={correct.pending}
            />
            <KolButton _label={t('Abbrechen', 'Cancel')} _variant="secondary" _on={{ onClick: onCancel }} />
          </div>
        </div>
      </KolForm>
    </Section>
  );
}

/** The recorded month: both shares against their targets, the figures and, for the legal department, its rows. */
function MonthFigures({ view, texts }: { readonly view: QuotaMonthView; readonly texts: Texts }) {
  const { t, month: monthName, language } = texts;
  const teams = useTeamNames();
  return (
    <>
      <Section title={t('Quote', 'Quota')}>
        <QuotaShares quota={view.quota} />
        <dl className="facts">
          <dt>{t('Erfasst am', 'Recorded on')}</dt>
          <dd>{instant(view.recordedAt, language)}</dd>
          <dt>{t('Korrekturen', 'Corrections')}</dt>
          <dd>
            {view.corrections === 0
              ? t('keine', 'none')
              : t(
                  `${view.corrections}, zuletzt am ${instant(view.changedAt, language)}`,
                  `${view.corrections}, last on ${instant(view.changedAt, language)}`,
                )}
          </dd>
        </dl>
      </Section>
      <Section title={t('Zahlen', 'Figures')}>
        <QuotaBreakdown figures={view} breakdown={view} label={monthName(view.month)} />
      </Section>
      {view.rows !== null && view.rows.length > 0 ? (
        <Section title={t('Erfasste Zeilen', 'Recorded rows')}>
          <DataTable
            label={t(`Erfasste Zeilen ${monthName(view.month)}`, `Recorded rows ${monthName(view.month)}`)}
            columns={[
              { key: 'norm', label: t('Rechtsnorm', 'Legal norm') },
              { key: 'team', label: t('Team', 'Team') },
              { key: 'settled', label: t('Erledigt', 'Settled'), align: 'right' },
              { key: 'fully', label: t('Voll', 'Fully'), align: 'right' },
              { key: 'partly', label: t('Teilweise', 'Partly'), align: 'right' },
              ...AVOIDABLE_REASONS.map((reason) => ({
                key: reason,
                label: `${t('vermeidbar', 'avoidable')}: ${reasonName(reason, t)}`,
                align: 'right' as const,
              })),
            ]}
            rows={view.rows.map((row) => ({
              norm: row.legalNorm,
              team: teamLabel(row.teamId, teams, t),
              settled: row.settled,
              fully: row.upheldFully,
              partly: row.upheldPartly,
              ...row.avoidable,
            }))}
          />
        </Section>
      ) : null}
    </>
  );
}

/** Legal department: records and corrects a month; area heads, management and auditors read it. */
export function LegalQuotaMonthPage({ month, session }: { readonly month: string; readonly session: Session }) {
  const texts = useTexts();
  const { t, month: monthName } = texts;
  const legal = hasRole(session, 'legal');
  const [notice, setNotice] = useState<string | null>(null);
  const [correcting, setCorrecting] = useState(false);
  const figures = useQuery({
    queryKey: monthKey(month),
    queryFn: async ({ signal }) => {
      try {
        return await get<QuotaMonthView>(`/api/v1/legal/quota/${month}`, signal);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
  const done = (text: string) => {
    setNotice(text);
    setCorrecting(false);
  };
  const reload = async () => (await figures.refetch()).data?.revision ?? null;
  return (
    <Page title={t(`Widerspruchsquote ${monthName(month)}`, `Avoidable-appeal quota ${monthName(month)}`)}>
      <div className="row">
        <KolInputDate
          _type="month"
          _label={t('Monat', 'Month')}
          _value={isoValue(month)}
          _on={{
            onChange: (_event: Event, value: unknown) => {
              if (typeof value === 'string' && /^\d{4}-\d{2}$/.test(value))
                navigate(quotaPath(value), { replace: true });
            },
          }}
        />
      </div>
      <nav aria-label={t('Weiter', 'More')} className="row">
        <KolLink
          _href={quotaTrendPath(shiftMonth(month, -11), month)}
          _label={t('Entwicklung der Widerspruchsquote', 'Trend of the avoidable-appeal quota')}
        />
      </nav>
      {notice ? <Success>{notice}</Success> : null}
      {figures.isPending ? <Loading /> : null}
      {figures.error ? <ErrorAlert error={figures.error} /> : null}
      {figures.data === null && legal ? (
        <RecordForm key={month} month={month} onDone={(text) => setNotice(text)} />
      ) : null}
      {figures.data === null && !legal ? (
        <p>
          {t(
            `Für ${monthName(month)} hat die Rechtsstelle noch keine Zahlen erfasst.`,
            `The legal department has not recorded figures for ${monthName(month)} yet.`,
          )}
        </p>
      ) : null}
      {figures.data ? <MonthFigures view={figures.data} texts={texts} /> : null}
      {figures.data && legal && !correcting ? (
        <KolButton
          _label={t('Zahlen korrigieren', 'Correct the figures')}
          _on={{
            onClick: () => {
              setNotice(null);
              setCorrecting(true);
            },
          }}
        />
      ) : null}
      {figures.data && legal && correcting ? (
        <CorrectionForm view={figures.data} reload={reload} onDone={done} onCancel={() => setCorrecting(false)} />
      ) : null}
    </Page>
  );
}

/** The trend by month and calendar year: a chart with the same figures as tables. */
export function LegalQuotaTrendPage({ from, to }: { readonly from: string; readonly to: string }) {
  const { t } = useTexts();
  const [draftFrom, setDraftFrom] = useState(from);
  const [draftTo, setDraftTo] = useState(to);
  const trend = useQuery({
    queryKey: ['oversight', 'legal-quota-trend', from, to],
    queryFn: ({ signal }) => get<QuotaTrendView>(`/api/v1/legal/quota?from=${from}&to=${to}`, signal),
  });
  return (
    <Page title={t('Entwicklung der Widerspruchsquote', 'Trend of the avoidable-appeal quota')}>
      <KolForm _on={{ onSubmit: () => navigate(quotaTrendPath(draftFrom, draftTo)) }}>
        <div className="row">
          <KolInputDate
            _type="month"
            _label={t('Von', 'From')}
            _value={isoValue(draftFrom)}
            _on={{ onInput: (_event: Event, value: unknown) => typeof value === 'string' && setDraftFrom(value) }}
          />
          <KolInputDate
            _type="month"
            _label={t('Bis', 'To')}
            _value={isoValue(draftTo)}
            _on={{ onInput: (_event: Event, value: unknown) => typeof value === 'string' && setDraftTo(value) }}
          />
          <KolButton _type="submit" _label={t('Anzeigen', 'Show')} />
        </div>
      </KolForm>
      {trend.isPending ? <Loading /> : null}
      {trend.error ? <ErrorAlert error={trend.error} /> : null}
      {trend.data ? (
        <>
          <Section title={t('Im gewählten Zeitraum', 'In the chosen period')}>
            <QuotaShares quota={trend.data.quota} />
          </Section>
          <QuotaTrendFigures trend={trend.data} />
        </>
      ) : null}
    </Page>
  );
}
