import {
  KolButton,
  KolForm,
  KolInputCheckbox,
  KolInputDate,
  KolInputFile,
  KolInputRadio,
  KolLink,
  KolSelect,
  KolTextarea,
} from '@public-ui/react-v19';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, get } from '../../api';
import { useCommand } from '../../commands';
import { CommandError, NumberField, fieldProps, messageFor, selectedOf, textOf } from '../../forms';
import { useTexts, type Texts } from '../../i18n';
import { navigate } from '../../router';
import { hasRole, useSession, type Session } from '../../session';
import { DataTable, ErrorAlert, isoValue, Loading, Page, Section, Success } from '../../ui';
import { useUpload } from '../../upload';
import { FileErrors, UploadProgressBar } from '../../upload-feedback';
import { ShareBars } from './chart';
import {
  INDICATOR_KINDS,
  indicatorName,
  type IndicatorKind,
  type IndicatorMonthView,
  type MatrixInForce,
  type MeasureSummary,
  monthPath,
  percentText,
  type Placement,
  RATINGS,
  type Rating,
  ratingName,
  roleSide,
} from './types';

export const monthKey = (teamId: string, month: string) => ['indicators', teamId, month];

/** The month's view, or null while nothing was imported (the API answers 404). */
function useMonth(teamId: string, month: string) {
  return useQuery({
    queryKey: monthKey(teamId, month),
    queryFn: async ({ signal }) => {
      try {
        return await get<IndicatorMonthView>(monthPath(teamId, month), signal);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}

/** The risk matrix in force, for its German labels; null where the role may not read the register. */
export function useMatrixLabels() {
  return useQuery({
    queryKey: ['indicators', 'risk-matrix'],
    queryFn: async ({ signal }) => {
      try {
        return await get<MatrixInForce>('/api/v1/risk-matrix', signal);
      } catch (error) {
        if (error instanceof ApiError && (error.status === 403 || error.status === 404)) return null;
        throw error;
      }
    },
  });
}

/** Team lead, deputy, area head (and auditor, reading): a team's indicators of one month. */
export function TeamIndicatorsPage({ teamId, month }: { readonly teamId: string; readonly month: string }) {
  const texts = useTexts();
  const { t, month: monthName } = texts;
  const { session } = useSession();
  const view = useMonth(teamId, month);
  const leadership = hasRole(session, 'team_lead', 'deputy', 'area_head');
  const teamSide = hasRole(session, 'team_lead', 'deputy');
  return (
    <Page title={t(`Kennzahlen ${teamId}: ${monthName(month)}`, `Indicators ${teamId}: ${monthName(month)}`)}>
      <p>
        {t(
          'Monatliche Kennzahlen des Teams – nur auf Teamebene, nie je Beschäftigten; sie dienen der Orientierung, nicht als Zielvorgabe.',
          "The team's monthly indicators – team level only, never per employee; for orientation, not as targets.",
        )}
      </p>
      <nav aria-label={t('Kennzahlen des Teams', "The team's indicators")} className="row">
        <KolLink
          _href={`/teams/${encodeURIComponent(teamId)}/kennzahlen/einstellungen`}
          _label={t('Teamvereinbarung zu den Kennzahlen', 'Team agreement on the indicators')}
        />
      </nav>
      <KolInputDate
        _type="month"
        _label={t('Monat', 'Month')}
        _value={isoValue(month)}
        _on={{
          onChange: (_event: Event, value: unknown) => {
            if (typeof value === 'string' && /^\d{4}-\d{2}$/.test(value))
              navigate(`/teams/${encodeURIComponent(teamId)}/kennzahlen?monat=${value}`, { replace: true });
          },
        }}
      />
      {view.isPending ? <Loading /> : null}
      {view.error ? <ErrorAlert error={view.error} /> : null}
      {view.data === null ? (
        <p>
          {t('Für diesen Monat sind noch keine Kennzahlen importiert.', 'No indicators imported for this month yet.')}
        </p>
      ) : null}
      {view.data ? <Figures view={view.data} texts={texts} /> : null}
      {leadership && view.data !== undefined ? (
        <Import teamId={teamId} month={month} existing={view.data} texts={texts} />
      ) : null}
      {view.data ? <Ratings view={view.data} teamId={teamId} canRate={teamSide} texts={texts} /> : null}
      {view.data ? <TeamRisk view={view.data} session={session} canAct={leadership} texts={texts} /> : null}
    </Page>
  );
}

function Figures({ view, texts }: { readonly view: IndicatorMonthView; readonly texts: Texts }) {
  const { t, date, language } = texts;
  const { figures } = view;
  const percentOf = (kind: IndicatorKind) => view.indicators.find((item) => item.indicator === kind)?.percent ?? null;
  const dash = '–';
  const rows = [
    {
      indicator: indicatorName('first-consultation', t),
      basis: figures.firstConsultation?.eligible ?? dash,
      fulfilled: figures.firstConsultation?.fulfilled ?? dash,
      more:
        figures.firstConsultation?.excluded == null
          ? dash
          : t(`${figures.firstConsultation.excluded} ausgenommen`, `${figures.firstConsultation.excluded} excluded`),
      share: percentText(percentOf('first-consultation'), language),
    },
    {
      indicator: indicatorName('counselling-contact', t),
      basis: figures.counsellingContact?.eligible ?? dash,
      fulfilled: figures.counsellingContact?.fulfilled ?? dash,
      more:
        figures.counsellingContact?.excluded == null
          ? dash
          : t(`${figures.counsellingContact.excluded} ausgenommen`, `${figures.counsellingContact.excluded} excluded`),
      share: percentText(percentOf('counselling-contact'), language),
    },
    {
      indicator: indicatorName('graduate-management', t),
      basis: figures.graduateManagement?.eligible ?? dash,
      fulfilled: figures.graduateManagement?.fulfilledNarrow ?? dash,
      more:
        figures.graduateManagement === null
          ? dash
          : t(
              `weiter Sinn: ${figures.graduateManagement.fulfilledWide}` +
                (figures.graduateManagement.pending === null
                  ? ''
                  : `; noch offen: ${figures.graduateManagement.pending}`),
              `wide sense: ${figures.graduateManagement.fulfilledWide}` +
                (figures.graduateManagement.pending === null
                  ? ''
                  : `; still open: ${figures.graduateManagement.pending}`),
            ),
      share: percentText(percentOf('graduate-management'), language),
    },
    {
      indicator: indicatorName('counselling-capacity', t),
      basis: figures.counsellingCapacity?.possibleSlots ?? dash,
      fulfilled: figures.counsellingCapacity?.usedSlots ?? dash,
      more:
        figures.counsellingCapacity?.workingHours == null
          ? dash
          : t(
              `aus ${figures.counsellingCapacity.workingHours} Arbeitsstunden`,
              `from ${figures.counsellingCapacity.workingHours} working hours`,
            ),
      share: percentText(percentOf('counselling-capacity'), language),
    },
  ];
  return (
    <Section title={t('Zahlen des Monats', 'Figures of the month')}>
      <p>
        {t(
          `Stichtag ${date(view.referenceDate)}; Import Nr. ${view.importNumber} vom ${date(view.importedAt)} (${view.rowCount} Zeilen, ${view.source === 'cases' ? 'Fallzeilen' : 'fertige Zahlen'}); Beratungsabstand ${view.settings.contactIntervalMonths} Monate, Beratungszeit ${view.settings.counsellingSharePercent} %, Termin ${view.settings.slotMinutes} Minuten.`,
          `Reference date ${date(view.referenceDate)}; import no. ${view.importNumber} of ${date(view.importedAt)} (${view.rowCount} rows, ${view.source === 'cases' ? 'case rows' : 'ready counts'}); contact interval ${view.settings.contactIntervalMonths} months, counselling time ${view.settings.counsellingSharePercent} %, slot ${view.settings.slotMinutes} minutes.`,
        )}
      </p>
      <DataTable
        label={t('Kennzahlen des Monats: Anzahlen und Anteile', 'Indicators of the month: counts and shares')}
        columns={[
          { key: 'indicator', label: t('Kennzahl', 'Indicator') },
          {
            key: 'basis',
            label: t('Grundmenge (Fälle bzw. mögliche Termine)', 'Base (cases or possible slots)'),
            align: 'right',
          },
          {
            key: 'fulfilled',
            label: t('Erfüllt (bzw. genutzte Termine)', 'Fulfilled (or slots used)'),
            align: 'right',
          },
          { key: 'more', label: t('Weitere Angaben', 'Further details') },
          { key: 'share', label: t('Anteil', 'Share'), align: 'right' },
        ]}
        rows={rows}
      />
      <ShareBars
        title={t('Anteile des Monats', 'Shares of the month')}
        bars={INDICATOR_KINDS.map((kind) => ({ label: indicatorName(kind, t), percent: percentOf(kind) }))}
      />
    </Section>
  );
}

function Import({
  teamId,
  month,
  existing,
  texts,
}: {
  readonly teamId: string;
  readonly month: string;
  readonly existing: IndicatorMonthView | null;
  readonly texts: Texts;
}) {
  const { t, pick } = texts;
  const client = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [referenceDate, setReferenceDate] = useState(existing?.referenceDate ?? '');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<number | null>(null);
  const upload = useUpload('POST');
  const submit = async () => {
    if (!file) return;
    setDone(null);
    const json = file.name.toLowerCase().endsWith('.json') || file.type === 'application/json';
    const query = new URLSearchParams();
    if (referenceDate !== '') query.set('referenceDate', referenceDate);
    if (reason.trim() !== '') query.set('reason', reason.trim());
    const suffix = query.size > 0 ? `?${query.toString()}` : '';
    const result = await upload.run(
      `${monthPath(teamId, month)}/import${suffix}`,
      file,
      json ? 'application/json' : 'text/csv',
    );
    if (result) {
      setDone((existing?.importNumber ?? 0) + 1);
      setReason('');
      await client.invalidateQueries({ queryKey: monthKey(teamId, month) });
    }
  };
  const allErrors = upload.error instanceof ApiError ? (upload.error.problem.errors ?? []) : [];
  const lineErrors = allErrors.filter((error) => /^(line|row) \d+/.test(error.field));
  const otherErrors = allErrors.filter((error) => !/^(line|row) \d+/.test(error.field));
  const fileMessage =
    lineErrors.length > 0
      ? t(
          `Die Datei enthält ${lineErrors.length} Fehler; nichts wurde importiert. Die Zeilen stehen in der Liste unter dem Feld.`,
          `The file has ${lineErrors.length} errors; nothing was imported. The lines are listed below the field.`,
        )
      : otherErrors.find((error) => !['referenceDate', 'reason'].includes(error.field))?.message;
  return (
    <Section
      title={existing ? t('Import ersetzen', 'Replace the import') : t('Kennzahlen importieren', 'Import indicators')}
    >
      <p>
        {t(
          'CSV mit der Spalte kind und den Datumsspalten der Regeln (Komma oder Semikolon) oder JSON { "rows": [...] }, pseudonymisierte Fallzeilen oder fertige Zahlen. Enthält eine Zeile einen Fehler, wird nichts importiert.',
          'CSV with the column kind and the date columns the rules need (comma or semicolon) or JSON { "rows": [...] }, pseudonymised case rows or ready counts. If a line has an error, nothing is imported.',
        )}
      </p>
      <KolForm _on={{ onSubmit: () => void submit() }}>
        <div className="stack">
          <KolInputDate
            _type="date"
            _label={t('Stichtag (leer: letzter Tag des Monats)', 'Reference date (empty: last day of the month)')}
            _value={isoValue(referenceDate)}
            _on={{ onChange: (_event: Event, value: unknown) => setReferenceDate(textOf(value)) }}
            {...fieldProps(messageFor(upload.error, 'referenceDate'), pick)}
          />
          {existing ? (
            <KolTextarea
              _label={t('Grund für den Ersatz', 'Reason for the replacement')}
              _value={reason}
              _rows={2}
              _required
              _on={{ onInput: (_event: Event, value: unknown) => setReason(textOf(value)) }}
              {...fieldProps(messageFor(upload.error, 'reason'), pick)}
            />
          ) : null}
          <KolInputFile
            _label={t('Datei der Kennzahlen (CSV oder JSON)', 'Indicator file (CSV or JSON)')}
            _accept=".csv,.json,text/csv,application/json"
            _required
            _on={{
              onChange: (_event: Event, value: unknown) => {
                upload.reset();
                setDone(null);
                setFile(value instanceof FileList ? (value[0] ?? null) : null);
              },
            }}
            {...fieldProps(fileMessage, pick)}
          />
          <FileErrors errors={lineErrors} />
          {upload.progress && (upload.pending || done !== null) ? (
            <UploadProgressBar progress={upload.progress} />
          ) : null}
          {upload.error && allErrors.length === 0 ? <ErrorAlert error={upload.error} /> : null}
          {done !== null ? (
            <Success>
              {t(`Kennzahlen importiert (Import Nr. ${done}).`, `Indicators imported (import no. ${done}).`)}
            </Success>
          ) : null}
          <KolButton
            _type="submit"
            _variant="primary"
            _label={t('Importieren', 'Import')}
            _disabled={upload.pending || file === null}
          />
        </div>
      </KolForm>
    </Section>
  );
}

function Ratings({
  view,
  teamId,
  canRate,
  texts,
}: {
  readonly view: IndicatorMonthView;
  readonly teamId: string;
  readonly canRate: boolean;
  readonly texts: Texts;
}) {
  const { t, date } = texts;
  const measures = useQuery({
    queryKey: ['indicators', 'measures', teamId],
    queryFn: ({ signal }) =>
      get<{ items: MeasureSummary[] }>(`/api/v1/teams/${encodeURIComponent(teamId)}/measures`, signal),
    enabled: canRate,
  });
  const measureLabel = (id: string) => {
    const measure = measures.data?.items.find((item) => item.id === id);
    if (!measure) return id.slice(0, 8);
    const description = typeof measure.description === 'string' ? measure.description : measure.kind;
    return t(`${description} (fällig ${date(measure.dueDate)})`, `${description} (due ${date(measure.dueDate)})`);
  };
  return (
    <Section title={t('Bewertung des Monats', 'Rating of the month')}>
      <DataTable
        label={t('Bewertungen je Kennzahl', 'Ratings per indicator')}
        columns={[
          { key: 'indicator', label: t('Kennzahl', 'Indicator') },
          { key: 'rating', label: t('Bewertung', 'Rating') },
          { key: 'comment', label: t('Kommentar', 'Comment') },
          { key: 'measures', label: t('Maßnahmen', 'Measures'), align: 'right' },
          { key: 'ratedAt', label: t('Bewertet', 'Rated') },
        ]}
        rows={view.indicators.map((item) => ({
          indicator: indicatorName(item.indicator, t),
          rating: item.rating
            ? ratingName(item.rating.rating, t) +
              (item.rating.current ? '' : t(' (zu einem früheren Import)', ' (for an earlier import)'))
            : t('noch nicht bewertet', 'not rated yet'),
          comment: item.rating?.comment ?? '–',
          measures: item.rating?.measureIds.length ?? 0,
          ratedAt: item.rating ? date(item.rating.ratedAt) : '–',
        }))}
      />
      {view.indicators.some((item) => (item.rating?.measureIds.length ?? 0) > 0) ? (
        <nav aria-label={t('Verknüpfte Maßnahmen', 'Linked measures')}>
          <ul>
            {view.indicators.flatMap((item) =>
              (item.rating?.measureIds ?? []).map((id) => (
                <li key={`${item.indicator}-${id}`}>
                  {indicatorName(item.indicator, t)}:{' '}
                  <KolLink _href={`/teams/${encodeURIComponent(teamId)}/massnahmen`} _label={measureLabel(id)} />
                </li>
              )),
            )}
          </ul>
        </nav>
      ) : null}
      {canRate
        ? view.indicators.map((item) => (
            <RateIndicator
              key={`${item.indicator}-${view.importNumber}`}
              view={view}
              kind={item.indicator}
              measures={(measures.data?.items ?? []).filter(
                (measure) => measure.status === 'open' || item.rating?.measureIds.includes(measure.id) === true,
              )}
              measureLabel={measureLabel}
              texts={texts}
            />
          ))
        : null}
    </Section>
  );
}

function RateIndicator({
  view,
  kind,
  measures,
  measureLabel,
  texts,
}: {
  readonly view: IndicatorMonthView;
  readonly kind: IndicatorKind;
  readonly measures: readonly MeasureSummary[];
  readonly measureLabel: (id: string) => string;
  readonly texts: Texts;
}) {
  const { t, pick } = texts;
  const client = useQueryClient();
  const current = view.indicators.find((item) => item.indicator === kind)?.rating ?? null;
  const [rating, setRating] = useState<Rating>(current?.rating ?? 'green');
  const [comment, setComment] = useState(current?.comment ?? '');
  const [chosen, setChosen] = useState<readonly string[]>(current?.measureIds ?? []);
  const [saved, setSaved] = useState(false);
  const command = useCommand<{ rating: Rating; comment?: string; measureIds: string[] }>(
    'POST',
    `${monthPath(view.teamId, view.month)}/ratings/${kind}`,
  );
  const reload = () => client.invalidateQueries({ queryKey: monthKey(view.teamId, view.month) });
  const submit = async () => {
    setSaved(false);
    const result = await command.run(
      { rating, ...(comment.trim() === '' ? {} : { comment: comment.trim() }), measureIds: [...chosen] },
      { ifMatch: view.revision },
    );
    if (result) {
      setSaved(true);
      await reload();
    }
  };
  const name = indicatorName(kind, t);
  return (
    <Section title={t(`${name} bewerten`, `Rate: ${name}`)} level={3}>
      <KolForm _on={{ onSubmit: () => void submit() }}>
        <div className="stack">
          <KolInputRadio
            _label={t(`Bewertung: ${name}`, `Rating: ${name}`)}
            _name={`rating-${kind}`}
            _orientation="horizontal"
            _options={RATINGS.map((value) => ({ label: ratingName(value, t), value }))}
            _value={rating}
            _on={{
              onInput: (_event: Event, value: unknown) => {
                const next = RATINGS.find((option) => option === value);
                if (next) setRating(next);
              },
            }}
            {...fieldProps(messageFor(command.error, 'rating'), pick)}
          />
          <KolTextarea
            _label={t(
              `Kommentar und eingeleitete Maßnahmen: ${name} (bei gelb oder rot Pflicht)`,
              `Comment and measures taken: ${name} (required for amber or red)`,
            )}
            _value={comment}
            _rows={2}
            _required={rating !== 'green'}
            _on={{ onInput: (_event: Event, value: unknown) => setComment(textOf(value)) }}
            {...fieldProps(messageFor(command.error, 'comment'), pick)}
          />
          {measures.length > 0 ? (
            <fieldset className="stack">
              <legend>{t(`Maßnahmen des Teams zu: ${name}`, `Measures of the team for: ${name}`)}</legend>
              {measures.map((measure, index) => (
                <KolInputCheckbox
                  key={measure.id}
                  _label={measureLabel(measure.id)}
                  _checked={chosen.includes(measure.id)}
                  _value={measure.id}
                  _on={{
                    onInput: (_event: Event, value: unknown) => {
                      const on = value === true || value === measure.id;
                      setChosen((list) =>
                        on ? [...new Set([...list, measure.id])] : list.filter((id) => id !== measure.id),
                      );
                    },
                  }}
                  {...fieldProps(messageFor(command.error, `measureIds.${index}`), pick)}
                />
              ))}
            </fieldset>
          ) : null}
          <CommandError command={command} fields={['rating', 'comment', 'measureIds']} onReload={reload} />
          {saved ? <Success>{t(`Bewertung gespeichert: ${name}.`, `Rating saved: ${name}.`)}</Success> : null}
          <KolButton
            _type="submit"
            _variant="primary"
            _label={t(`Bewertung speichern: ${name}`, `Save the rating: ${name}`)}
            _disabled={command.pending}
          />
        </div>
      </KolForm>
    </Section>
  );
}

function levelLabel(
  matrix: MatrixInForce | null | undefined,
  axis: 'impact' | 'likelihood',
  level: number,
  texts: Texts,
) {
  const found = matrix?.matrix[axis].find((item) => item.level === level);
  const name = found ? (texts.language === 'de' ? found.de : found.en) : null;
  return name === null ? texts.t(`Stufe ${level}`, `level ${level}`) : `${level} ${name}`;
}

export function placementText(
  placement: Pick<Placement, 'impact' | 'likelihood' | 'score' | 'aboveAppetite'>,
  matrix: MatrixInForce | null | undefined,
  texts: Texts,
): string {
  const { t } = texts;
  return t(
    `Schadensausmaß ${levelLabel(matrix, 'impact', placement.impact, texts)}, Eintrittswahrscheinlichkeit ${levelLabel(matrix, 'likelihood', placement.likelihood, texts)}, Wert ${placement.score}${placement.aboveAppetite ? ', über der Risikobereitschaft' : ''}`,
    `impact ${levelLabel(matrix, 'impact', placement.impact, texts)}, likelihood ${levelLabel(matrix, 'likelihood', placement.likelihood, texts)}, score ${placement.score}${placement.aboveAppetite ? ', above the risk appetite' : ''}`,
  );
}

function sideName(role: string, t: Texts['t']): string {
  return roleSide(role) === 'area' ? t('Bereichsleitung', 'area head') : t('Teamleitung', 'team lead');
}

function TeamRisk({
  view,
  session,
  canAct,
  texts,
}: {
  readonly view: IndicatorMonthView;
  readonly session: Session | null;
  readonly canAct: boolean;
  readonly texts: Texts;
}) {
  const { t, pick, date } = texts;
  const client = useQueryClient();
  const matrix = useMatrixLabels();
  const [impact, setImpact] = useState<number | null>(view.riskProposal?.placement.impact ?? null);
  const [likelihood, setLikelihood] = useState<number | null>(view.riskProposal?.placement.likelihood ?? null);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const base = monthPath(view.teamId, view.month);
  const propose = useCommand<{ impact: number | null; likelihood: number | null; reason: string }>(
    'POST',
    `${base}/risk`,
  );
  const confirm = useCommand<Record<string, never>>('POST', `${base}/risk/confirmation`);
  const reload = () => client.invalidateQueries({ queryKey: monthKey(view.teamId, view.month) });
  const mySide = hasRole(session, 'team_lead', 'deputy') ? 'team' : 'area';
  const proposal = view.riskProposal;
  const canConfirm = canAct && proposal !== null && roleSide(proposal.proposedByRole) !== mySide;
  const submit = async () => {
    setDone(null);
    const result = await propose.run({ impact, likelihood, reason }, { ifMatch: view.revision });
    if (result) {
      setDone(t('Vorschlag gespeichert; die andere Seite bestätigt.', 'Proposal saved; the other side confirms.'));
      setReason('');
      await reload();
    }
  };
  const submitConfirm = async () => {
    setDone(null);
    const result = await confirm.run({}, { ifMatch: view.revision });
    if (result) {
      setDone(t('Teamrisiko gemeinsam bewertet.', 'Team risk rated jointly.'));
      await reload();
    }
  };
  const levels = (axis: 'impact' | 'likelihood') => matrix.data?.matrix[axis] ?? null;
  const scale = (
    axis: 'impact' | 'likelihood',
    label: string,
    value: number | null,
    set: (next: number | null) => void,
  ) => {
    const options = levels(axis);
    const message = fieldProps(messageFor(propose.error, axis), pick);
    return options ? (
      <KolSelect
        _label={label}
        _options={[
          { label: t('– bitte wählen –', '– please choose –'), value: '' },
          ...options.map((level) => ({
            label: levelLabel(matrix.data, axis, level.level, texts),
            value: String(level.level),
          })),
        ]}
        _value={[value === null ? '' : String(value)]}
        _on={{
          onChange: (_event: Event, next: unknown) => {
            const text = selectedOf(next);
            set(text === '' ? null : Number(text));
          },
        }}
        {...message}
      />
    ) : (
      <NumberField label={label} value={value} onChange={set} min={1} max={10} required message={message} />
    );
  };
  const matrixInfo = matrix.data
    ? t(
        `Matrix ${matrix.data.matrix.impact.length} × ${matrix.data.matrix.likelihood.length}; Risikobereitschaft bis Wert ${matrix.data.matrix.appetite.maxAcceptedScore}.`,
        `Matrix ${matrix.data.matrix.impact.length} × ${matrix.data.matrix.likelihood.length}; risk appetite up to score ${matrix.data.matrix.appetite.maxAcceptedScore}.`,
      )
    : t(
        'Die Stufen beziehen sich auf die Risikomatrix des Risikoregisters (Stufe 1 ist die niedrigste); der Server prüft sie gegen die geltende Matrix.',
        "The levels refer to the risk register's matrix (level 1 is the lowest); the server checks them against the matrix in force.",
      );
  return (
    <Section title={t('Teamrisiko (gemeinsam mit der Bereichsleitung)', 'Team risk (jointly with the area head)')}>
      {view.teamRisk ? (
        <p>
          {t(
            `Gemeinsam bewertet am ${date(view.teamRisk.ratedAt)}: ${placementText(view.teamRisk.placement, matrix.data, texts)} (vorgeschlagen: ${sideName(view.teamRisk.proposedByRole, t)}, bestätigt: ${sideName(view.teamRisk.confirmedByRole, t)}).`,
            `Rated jointly on ${date(view.teamRisk.ratedAt)}: ${placementText(view.teamRisk.placement, matrix.data, texts)} (proposed: ${sideName(view.teamRisk.proposedByRole, t)}, confirmed: ${sideName(view.teamRisk.confirmedByRole, t)}).`,
          )}
        </p>
      ) : (
        <p>{t('Noch nicht gemeinsam bewertet.', 'Not rated jointly yet.')}</p>
      )}
      {proposal ? (
        <p>
          {t(
            `Vorschlag der ${sideName(proposal.proposedByRole, t)}: ${placementText(proposal.placement, matrix.data, texts)}${proposal.reason ? ` – ${proposal.reason}` : ''}.`,
            `Proposal of the ${sideName(proposal.proposedByRole, t)}: ${placementText(proposal.placement, matrix.data, texts)}${proposal.reason ? ` – ${proposal.reason}` : ''}.`,
          )}
        </p>
      ) : null}
      {done ? <Success>{done}</Success> : null}
      {canConfirm ? (
        <div className="stack">
          <CommandError command={confirm} onReload={reload} />
          <KolButton
            _variant="primary"
            _label={t('Vorschlag bestätigen', 'Confirm the proposal')}
            _disabled={confirm.pending}
            _on={{ onClick: () => void submitConfirm() }}
          />
        </div>
      ) : null}
      {canAct ? (
        <Section title={t('Teamrisiko vorschlagen', 'Propose the team risk')} level={3}>
          <p>{matrixInfo}</p>
          <KolForm _on={{ onSubmit: () => void submit() }}>
            <div className="stack">
              {scale('impact', t('Schadensausmaß', 'Impact'), impact, setImpact)}
              {scale('likelihood', t('Eintrittswahrscheinlichkeit', 'Likelihood'), likelihood, setLikelihood)}
              {impact !== null && likelihood !== null ? (
                <p>{t(`Wert ${impact * likelihood}`, `Score ${impact * likelihood}`)}</p>
              ) : null}
              <KolTextarea
                _label={t('Begründung des Vorschlags', 'Reason for the proposal')}
                _value={reason}
                _rows={2}
                _required
                _on={{ onInput: (_event: Event, value: unknown) => setReason(textOf(value)) }}
                {...fieldProps(messageFor(propose.error, 'reason'), pick)}
              />
              <CommandError command={propose} fields={['impact', 'likelihood', 'reason']} onReload={reload} />
              <KolButton
                _type="submit"
                _variant="primary"
                _label={t('Vorschlagen', 'Propose')}
                _disabled={propose.pending}
              />
            </div>
          </KolForm>
        </Section>
      ) : null}
    </Section>
  );
}
