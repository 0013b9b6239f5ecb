import {
  KolAlert,
  KolButton,
  KolForm,
  KolInputDate,
  KolInputFile,
  KolLink,
  KolSelect,
  KolTextarea,
} from '@public-ui/react-v19';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, get } from '../../api';
import { useCommand } from '../../commands';
import { useTexts, type Texts } from '../../i18n';
import { navigate } from '../../router';
import { DataTable, ErrorAlert, isoValue, Loading, Page, Section, Success } from '../../ui';
import type { DrawResult, PopulationView, ProgrammeView, SampleView, Verification } from './types';
import { currentMonth } from '../../calendar';
import { NumberField, fieldProps, messageFor, selectedOf, textOf } from '../../forms';
import { useUpload } from '../../upload';
import { FileErrors, UploadProgressBar } from '../../upload-feedback';

const populationsKey = (programmeId: string) => ['populations', programmeId];
const samplesKey = (programmeId: string, month: string) => ['samples', programmeId, month];
const sampleKey = (sampleId: string) => ['sample', sampleId];
const verificationKey = (sampleId: string) => ['sample-verification', sampleId];

/** After a replacement or supplementary draw: the sample and its recomputation (if asked for) are reread. */
async function refreshSample(client: QueryClient, sampleId: string): Promise<void> {
  await client.invalidateQueries({ queryKey: sampleKey(sampleId) });
  await client.invalidateQueries({ queryKey: verificationKey(sampleId) });
}

/** Area head (or management): a month's population upload and the draw, for one programme. */
export function DrawPage({ programmeId, month }: { readonly programmeId: string; readonly month: string }) {
  const texts = useTexts();
  const { t, date, month: monthName } = texts;
  const base = `/api/v1/programmes/${encodeURIComponent(programmeId)}`;
  const programme = useQuery({
    queryKey: ['programme', programmeId],
    queryFn: ({ signal }) => get<ProgrammeView>(base, signal),
  });
  const populations = useQuery({
    queryKey: populationsKey(programmeId),
    queryFn: ({ signal }) => get<{ items: PopulationView[] }>(`${base}/populations`, signal),
  });
  const samples = useQuery({
    queryKey: samplesKey(programmeId, month),
    queryFn: ({ signal }) => get<{ items: SampleView[] }>(`${base}/samples?month=${month}`, signal),
  });
  const monthPopulations = populations.data?.items.filter((population) => population.month === month) ?? [];
  const title = programme.data?.settings.title ?? programmeId;
  return (
    <Page title={t(`Ziehung ${monthName(month)}: ${title}`, `Draw ${monthName(month)}: ${title}`)}>
      <nav aria-label={t('Zum Prüfplan', 'For this programme')} className="row">
        <KolLink
          _href={`/pruefplaene/${encodeURIComponent(programmeId)}`}
          _label={t('Zum Prüfplan', 'Back to the programme')}
        />
      </nav>
      <KolInputDate
        _type="month"
        _label={t('Monat', 'Month')}
        _value={isoValue(month)}
        _on={{
          onChange: (_event: Event, value: unknown) => {
            if (typeof value === 'string' && /^\d{4}-\d{2}$/.test(value))
              navigate(`/pruefplaene/${encodeURIComponent(programmeId)}/ziehung?monat=${value}`, { replace: true });
          },
        }}
      />
      <PopulationUpload programmeId={programmeId} month={month} texts={texts} />
      <Section title={t('Grundgesamtheiten des Monats', 'Populations of the month')}>
        {populations.isPending ? <Loading /> : null}
        {populations.error ? <ErrorAlert error={populations.error} /> : null}
        {populations.data ? (
          monthPopulations.length === 0 ? (
            <p>
              {t(
                'Für diesen Monat ist noch keine Grundgesamtheit hochgeladen.',
                'No population uploaded for this month yet.',
              )}
            </p>
          ) : (
            <DataTable
              label={t('Grundgesamtheiten des Monats', 'Populations of the month')}
              columns={[
                { key: 'file', label: t('Datei', 'File') },
                { key: 'rows', label: t('Zeilen', 'Rows'), align: 'right' },
                { key: 'teams', label: t('Teams (Zeilen)', 'Teams (rows)') },
                { key: 'section16a', label: t('§ 16a-Fälle', '§ 16a cases'), align: 'right' },
                { key: 'importedAt', label: t('Hochgeladen', 'Uploaded') },
                { key: 'fingerprint', label: t('Fingerabdruck', 'Fingerprint') },
              ]}
              rows={monthPopulations.map((population) => ({
                file: population.source.fileName ?? population.source.format,
                rows: population.rowCount,
                teams: population.teams.map((team) => `${team.teamId} (${team.rows})`).join(', '),
                section16a: population.section16a,
                importedAt: date(population.importedAt),
                fingerprint: `${population.fingerprint.slice(0, 16)}…`,
              }))}
            />
          )
        ) : null}
      </Section>
      <Draw programmeId={programmeId} month={month} texts={texts} canDraw={monthPopulations.length > 0} />
      <Section title={t('Stichproben des Monats', 'Samples of the month')}>
        {samples.isPending ? <Loading /> : null}
        {samples.error ? <ErrorAlert error={samples.error} /> : null}
        {samples.data ? (
          samples.data.items.length === 0 ? (
            <p>{t('Für diesen Monat wurde noch nicht gezogen.', 'Nothing drawn for this month yet.')}</p>
          ) : (
            <DataTable
              label={t('Stichproben des Monats', 'Samples of the month')}
              columns={[
                {
                  key: 'team',
                  label: t('Team', 'Team'),
                  href: (row) => `/pruefplaene/${encodeURIComponent(programmeId)}/stichproben/${String(row['id'])}`,
                },
                { key: 'cases', label: t('Fälle (aktiv)', 'Cases (active)'), align: 'right' },
                { key: 'eligible', label: t('Auswählbar', 'Eligible'), align: 'right' },
                { key: 'deadline', label: t('Frist', 'Deadline') },
                { key: 'drawnAt', label: t('Gezogen', 'Drawn') },
                { key: 'state', label: t('Stand', 'Status') },
              ]}
              rows={samples.data.items.map((sample) => ({
                id: sample.id,
                team: sample.teamId,
                cases: sample.activeCases,
                eligible: sample.eligible,
                deadline: date(sample.deadline),
                drawnAt: date(sample.drawnAt),
                state: sample.voided ? t('aufgehoben', 'voided') : t('gültig', 'valid'),
              }))}
            />
          )
        ) : null}
      </Section>
    </Page>
  );
}

function PopulationUpload({
  programmeId,
  month,
  texts,
}: {
  readonly programmeId: string;
  readonly month: string;
  readonly texts: Texts;
}) {
  const { t, pick } = texts;
  const client = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [done, setDone] = useState<number | null>(null);
  const upload = useUpload('POST');
  const submit = async () => {
    if (!file) return;
    setDone(null);
    const json = file.name.toLowerCase().endsWith('.json') || file.type === 'application/json';
    const path =
      `/api/v1/programmes/${encodeURIComponent(programmeId)}/populations?month=${month}` +
      `&fileName=${encodeURIComponent(file.name.slice(0, 200))}`;
    const result = await upload.run(path, file, json ? 'application/json' : 'text/csv');
    if (result) {
      setDone((result as { rowCount?: number }).rowCount ?? 0);
      await client.invalidateQueries({ queryKey: populationsKey(programmeId) });
    }
  };
  const errors = upload.error instanceof ApiError ? (upload.error.problem.errors ?? []) : [];
  const total =
    upload.error instanceof ApiError && typeof upload.error.problem['total'] === 'number'
      ? upload.error.problem['total']
      : errors.length;
  const fileMessage =
    errors.length > 0
      ? t(
          `Die Datei enthält ${total} Fehler; nichts wurde importiert. Die Zeilen stehen in der Liste unter dem Feld.`,
          `The file has ${total} errors; nothing was imported. The lines are listed below the field.`,
        )
      : upload.error instanceof ApiError
        ? pick(upload.error.problem.detail || upload.error.problem.title)
        : undefined;
  return (
    <Section title={t('Grundgesamtheit hochladen', 'Upload the population')}>
      <p>
        {t(
          'CSV mit der Kopfzeile caseReference;customerGroup;team;process;needs16a (Komma oder Semikolon) oder JSON { "rows": [...] }. Enthält eine Zeile einen Fehler, wird nichts importiert.',
          'CSV with the header caseReference;customerGroup;team;process;needs16a (comma or semicolon) or JSON { "rows": [...] }. If a line has an error, nothing is imported.',
        )}
      </p>
      <KolForm _on={{ onSubmit: () => void submit() }}>
        <div className="stack">
          <KolInputFile
            _label={t('Datei der Grundgesamtheit (CSV oder JSON)', 'Population file (CSV or JSON)')}
            _accept=".csv,.json,text/csv,application/json"
            _required
            _on={{
              onChange: (_event: Event, value: unknown) => {
                upload.reset();
                setDone(null);
                setFile(value instanceof FileList ? (value[0] ?? null) : null);
              },
            }}
            {...fieldProps(fileMessage, (message) => message)}
          />
          <FileErrors errors={errors} />
          {upload.progress && (upload.pending || done !== null) ? (
            <UploadProgressBar progress={upload.progress} />
          ) : null}
          {upload.error && errors.length === 0 && !(upload.error instanceof ApiError) ? (
            <ErrorAlert error={upload.error} />
          ) : null}
          {done !== null ? (
            <Success>
              {t(`Grundgesamtheit mit ${done} Zeilen importiert.`, `Population of ${done} rows imported.`)}
            </Success>
          ) : null}
          <KolButton
            _type="submit"
            _variant="primary"
            _label={t('Hochladen', 'Upload')}
            _disabled={upload.pending || file === null}
          />
        </div>
      </KolForm>
    </Section>
  );
}

function Draw({
  programmeId,
  month,
  texts,
  canDraw,
}: {
  readonly programmeId: string;
  readonly month: string;
  readonly texts: Texts;
  readonly canDraw: boolean;
}) {
  const { t, pick } = texts;
  const client = useQueryClient();
  const past = month < currentMonth();
  const [reason, setReason] = useState('');
  const [result, setResult] = useState<DrawResult | null>(null);
  const draw = useCommand<{ month: string; backdatedReason?: string }>(
    'POST',
    `/api/v1/programmes/${encodeURIComponent(programmeId)}/samples`,
  );
  const submit = async () => {
    const answer = await draw.run({
      month,
      ...(past && reason.trim() !== '' ? { backdatedReason: reason.trim() } : {}),
    });
    if (answer) {
      setResult(answer as unknown as DrawResult);
      await client.invalidateQueries({ queryKey: samplesKey(programmeId, month) });
    }
  };
  return (
    <Section title={t('Stichprobe ziehen', 'Draw the sample')}>
      <p>
        {t(
          'Der Server legt die Grundgesamtheit fest, erzeugt dann je Team einen zufälligen Startwert und zieht nach dem dokumentierten Verfahren; jede Ziehung lässt sich später nachrechnen.',
          'The server fixes the population, then makes a random seed per team and draws with the documented procedure; every draw can be recomputed later.',
        )}
      </p>
      <KolForm _on={{ onSubmit: () => void submit() }}>
        <div className="stack">
          {past ? (
            <KolTextarea
              _label={t('Begründung für die nachträgliche Ziehung', 'Reason for drawing late')}
              _value={reason}
              _required
              _rows={2}
              _on={{ onInput: (_event: Event, value: unknown) => setReason(textOf(value)) }}
              {...fieldProps(messageFor(draw.error, 'backdatedReason'), pick)}
            />
          ) : null}
          {draw.error && !messageFor(draw.error, 'backdatedReason') ? <ErrorAlert error={draw.error} /> : null}
          {result ? (
            <KolAlert _type="success" _variant="card" _label={t('Gezogen', 'Drawn')} _alert>
              <p>
                {result.samples.map((sample) => `${sample.teamId}: ${sample.cases}`).join(', ')}
                {result.teamsWithoutCases.length > 0
                  ? ` – ${t('ohne Fälle', 'without cases')}: ${result.teamsWithoutCases.join(', ')}`
                  : ''}
              </p>
            </KolAlert>
          ) : null}
          <KolButton
            _type="submit"
            _variant="primary"
            _label={t('Für alle Teams des Bereichs ziehen', 'Draw for every team of the area')}
            _disabled={draw.pending || !canDraw}
          />
        </div>
      </KolForm>
    </Section>
  );
}

/** One team's draw: its cases, the recomputation, replacements and supplementary draws. */
export function SamplePage({ programmeId, sampleId }: { readonly programmeId: string; readonly sampleId: string }) {
  const texts = useTexts();
  const { t, date, month: monthName } = texts;
  const sample = useQuery({
    queryKey: sampleKey(sampleId),
    queryFn: ({ signal }) =>
      get<SampleView>(
        `/api/v1/programmes/${encodeURIComponent(programmeId)}/samples/${encodeURIComponent(sampleId)}`,
        signal,
      ),
  });
  if (sample.isPending) return <Loading />;
  if (sample.error) return <ErrorAlert error={sample.error} />;
  const data = sample.data;
  const origin = (value: string) =>
    value === 'draw'
      ? t('Ziehung', 'draw')
      : value === 'supplementary'
        ? t('Ergänzungsstichprobe', 'supplementary')
        : t('Ersatz', 'replacement');
  return (
    <Page
      title={t(
        `Stichprobe ${data.teamId}, ${monthName(data.month)}`,
        `Sample ${data.teamId}, ${monthName(data.month)}`,
      )}
    >
      <nav aria-label={t('Zur Ziehung', 'To the draw')} className="row">
        <KolLink
          _href={`/pruefplaene/${encodeURIComponent(programmeId)}/ziehung?monat=${data.month}`}
          _label={t('Zur Ziehung des Monats', 'To the month’s draw')}
        />
      </nav>
      <dl className="facts">
        <dt>{t('Verfahren', 'Algorithm')}</dt>
        <dd>{data.algorithm}</dd>
        <dt>{t('Startwert', 'Seed')}</dt>
        <dd style={{ overflowWrap: 'anywhere' }}>{data.seed}</dd>
        <dt>{t('Grundgesamtheit (Fingerabdruck)', 'Population (fingerprint)')}</dt>
        <dd style={{ overflowWrap: 'anywhere' }}>{data.populationFingerprint}</dd>
        <dt>{t('Auswählbar / ausgeschlossen', 'Eligible / excluded')}</dt>
        <dd>
          {data.eligible} /{' '}
          {t(
            `${data.excluded.recentlyDrawn} kürzlich gezogen, ${data.excluded.section16a} § 16a`,
            `${data.excluded.recentlyDrawn} recently drawn, ${data.excluded.section16a} § 16a`,
          )}
        </dd>
        <dt>{t('Personengruppen abgedeckt', 'Customer groups covered')}</dt>
        <dd>
          {data.coverage.covered.join(', ') || '–'}
          {data.coverage.deferred.length > 0
            ? ` (${t('zurückgestellt', 'deferred')}: ${data.coverage.deferred.join(', ')})`
            : ''}
        </dd>
        <dt>{t('Gezogen', 'Drawn')}</dt>
        <dd>{date(data.drawnAt)}</dd>
        <dt>{t('Frist', 'Deadline')}</dt>
        <dd>{date(data.deadline)}</dd>
        {data.voided ? (
          <>
            <dt>{t('Aufgehoben', 'Voided')}</dt>
            <dd>{date(data.voided.at)}</dd>
          </>
        ) : null}
      </dl>
      <Verify programmeId={programmeId} sampleId={sampleId} texts={texts} />
      <Section title={t('Gezogene Fälle', 'Drawn cases')}>
        <DataTable
          label={t('Gezogene Fälle', 'Drawn cases')}
          columns={[
            { key: 'rank', label: t('Rang', 'Rank'), align: 'right' },
            { key: 'token', label: t('Ziehungsmerkmal', 'Draw token') },
            { key: 'group', label: t('Personengruppe', 'Customer group') },
            { key: 'origin', label: t('Herkunft', 'Origin') },
            { key: 'status', label: t('Stand', 'Status') },
          ]}
          rows={data.cases.map((item) => ({
            rank: item.rank,
            token: item.token,
            group: item.customerGroup,
            origin: origin(item.origin),
            status: item.status === 'active' ? t('aktiv', 'active') : t('ersetzt', 'replaced'),
          }))}
        />
      </Section>
      {data.followUps.length > 0 ? (
        <Section title={t('Ersetzungen und Ergänzungsstichproben', 'Replacements and supplementary draws')}>
          <ul>
            {data.followUps.map((followUp, index) => (
              <li key={index}>
                {date(followUp.at)}:{' '}
                {followUp.kind === 'replacement'
                  ? t('Ersetzung', 'replacement')
                  : t('Ergänzungsstichprobe', 'supplementary draw')}{' '}
                (
                {followUp.reviewIds.length === 1
                  ? t('1 Fall', '1 case')
                  : t(`${followUp.reviewIds.length} Fälle`, `${followUp.reviewIds.length} cases`)}
                ){followUp.reason ? `: ${followUp.reason}` : ''}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {data.voided ? null : (
        <>
          <Replace sample={data} texts={texts} />
          <Supplement sample={data} texts={texts} />
        </>
      )}
    </Page>
  );
}

function Verify({
  programmeId,
  sampleId,
  texts,
}: {
  readonly programmeId: string;
  readonly sampleId: string;
  readonly texts: Texts;
}) {
  const { t } = texts;
  const [asked, setAsked] = useState(false);
  const verification = useQuery({
    queryKey: verificationKey(sampleId),
    queryFn: ({ signal }) =>
      get<Verification>(
        `/api/v1/programmes/${encodeURIComponent(programmeId)}/samples/${encodeURIComponent(sampleId)}/verify`,
        signal,
      ),
    enabled: asked,
  });
  const yesNo = (value: boolean) => (value ? t('stimmt überein', 'matches') : t('weicht ab', 'differs'));
  return (
    <Section title={t('Ziehung nachrechnen', 'Verify the draw')}>
      {/* Never disabled: asking again while a recomputation runs is answered by the same request, and a
          button greying out during a background refetch would flicker (and fail contrast checks meanwhile). */}
      <KolButton
        _label={t('Ziehung nachrechnen', 'Recompute the draw')}
        _on={{
          onClick: () => {
            if (asked) void verification.refetch();
            else setAsked(true);
          },
        }}
      />
      {asked && verification.isFetching ? <Loading /> : null}
      {verification.error ? <ErrorAlert error={verification.error} /> : null}
      {verification.data ? (
        <KolAlert
          _type={verification.data.matches ? 'success' : 'error'}
          _variant="card"
          _label={
            verification.data.matches
              ? t(
                  'Die Ziehung ist nachvollziehbar: Nachrechnung stimmt überein.',
                  'The draw is verified: the recomputation matches.',
                )
              : t('Die Nachrechnung weicht ab.', 'The recomputation differs.')
          }
          _alert
        >
          <ul>
            <li>
              {t('Grundgesamtheit', 'Population')}: {yesNo(verification.data.population.matches)}
            </li>
            <li>
              {t(`Fälle (${verification.data.cases.recorded})`, `Cases (${verification.data.cases.recorded})`)}:{' '}
              {yesNo(verification.data.cases.matches)}
            </li>
            <li>
              {t('Abdeckung der Personengruppen', 'Customer group coverage')}:{' '}
              {yesNo(verification.data.coverageMatches)}
            </li>
            {verification.data.mismatches.map((mismatch) => (
              <li key={mismatch}>{mismatch}</li>
            ))}
          </ul>
        </KolAlert>
      ) : null}
    </Section>
  );
}

function Replace({ sample, texts }: { readonly sample: SampleView; readonly texts: Texts }) {
  const { t, pick } = texts;
  const client = useQueryClient();
  const active = sample.cases.filter((item) => item.status === 'active');
  const [reviewId, setReviewId] = useState(active[0]?.reviewId ?? '');
  // The case chosen, while it is still active (after a replacement the list moves on to an active one).
  const chosen = active.some((item) => item.reviewId === reviewId) ? reviewId : (active[0]?.reviewId ?? '');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState(false);
  const replace = useCommand<{ reviewId: string; reason: string }>(
    'POST',
    `/api/v1/programmes/${encodeURIComponent(sample.programmeId)}/samples/${encodeURIComponent(sample.id)}/replacements`,
  );
  const submit = async () => {
    setDone(false);
    const result = await replace.run({ reviewId: chosen, reason });
    if (result) {
      setReason('');
      setDone(true);
      await refreshSample(client, sample.id);
    }
  };
  if (active.length === 0) return null;
  return (
    <Section title={t('Ungeeigneten Fall ersetzen', 'Replace an unsuitable case')}>
      <KolForm _on={{ onSubmit: () => void submit() }}>
        <div className="stack">
          <KolSelect
            _label={t('Fall', 'Case')}
            _options={active.map((item) => ({
              label: `${item.rank}: ${item.token} (${item.customerGroup})`,
              value: item.reviewId,
            }))}
            _value={[chosen]}
            _required
            _on={{ onChange: (_event: Event, value: unknown) => setReviewId(selectedOf(value)) }}
            {...fieldProps(messageFor(replace.error, 'reviewId'), pick)}
          />
          <KolTextarea
            _label={t('Warum ungeeignet (ohne Personenbezug)', 'Why unsuitable (without personal data)')}
            _value={reason}
            _required
            _rows={2}
            _on={{ onInput: (_event: Event, value: unknown) => setReason(textOf(value)) }}
            {...fieldProps(messageFor(replace.error, 'reason'), pick)}
          />
          {replace.error && !messageFor(replace.error, 'reviewId', 'reason') ? (
            <ErrorAlert error={replace.error} />
          ) : null}
          {done ? <Success>{t('Fall ersetzt.', 'Case replaced.')}</Success> : null}
          <KolButton _type="submit" _label={t('Fall ersetzen', 'Replace case')} _disabled={replace.pending} />
        </div>
      </KolForm>
    </Section>
  );
}

function Supplement({ sample, texts }: { readonly sample: SampleView; readonly texts: Texts }) {
  const { t, pick } = texts;
  const client = useQueryClient();
  const [count, setCount] = useState<number | null>(1);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState(false);
  const supplement = useCommand<{ count: number | null; reason: string }>(
    'POST',
    `/api/v1/programmes/${encodeURIComponent(sample.programmeId)}/samples/${encodeURIComponent(sample.id)}/supplementary`,
  );
  const submit = async () => {
    setDone(false);
    const result = await supplement.run({ count, reason });
    if (result) {
      setReason('');
      setDone(true);
      await refreshSample(client, sample.id);
    }
  };
  return (
    <Section title={t('Ergänzungsstichprobe', 'Supplementary draw')}>
      <KolForm _on={{ onSubmit: () => void submit() }}>
        <div className="stack">
          <NumberField
            label={t('Anzahl weiterer Fälle', 'Number of further cases')}
            value={count}
            min={1}
            max={100}
            required
            onChange={setCount}
            message={fieldProps(messageFor(supplement.error, 'count'), pick)}
          />
          <KolTextarea
            _label={t('Begründung (ohne Personenbezug)', 'Reason (without personal data)')}
            _value={reason}
            _required
            _rows={2}
            _on={{ onInput: (_event: Event, value: unknown) => setReason(textOf(value)) }}
            {...fieldProps(messageFor(supplement.error, 'reason'), pick)}
          />
          {supplement.error && !messageFor(supplement.error, 'count', 'reason') ? (
            <ErrorAlert error={supplement.error} />
          ) : null}
          {done ? <Success>{t('Ergänzungsstichprobe gezogen.', 'Supplementary cases drawn.')}</Success> : null}
          <KolButton
            _type="submit"
            _label={t('Ergänzungsstichprobe ziehen', 'Draw supplementary cases')}
            _disabled={supplement.pending}
          />
        </div>
      </KolForm>
    </Section>
  );
}
