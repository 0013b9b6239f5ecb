import { KolBadge, KolButton, KolInputCheckbox, KolProgress } from '@public-ui/react-v19';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../../api';
import { useCommand } from '../../commands';
import { useTexts, type Texts } from '../../i18n';
import { DataTable, ErrorAlert, Loading, Page, Section, Success } from '../../ui';
import { instant, shortId } from './parts';

interface ProjectionView {
  readonly name: string;
  readonly version: number;
  readonly rules: { readonly version: string; readonly codeVersion: number } | null;
  readonly serving: string | null;
  readonly state: string;
  readonly position: number;
  readonly headPosition: number;
  readonly lag: number;
  readonly lastError: string | null;
  readonly rebuild: {
    readonly target: string;
    readonly eventsDone: number;
    readonly etaSeconds: number | null;
    readonly percent: number;
    readonly position: number;
    readonly headPosition: number;
  } | null;
  readonly buildingElsewhere: { readonly owner: string; readonly percent: number } | null;
  readonly lastRebuild: {
    readonly state: 'building' | 'switched' | 'confirmed' | 'failed';
    readonly version: number;
    readonly target: string;
    readonly retained: readonly string[];
    readonly startedAt: string;
    readonly switchedAt: string | null;
    readonly error: string | null;
    readonly resumable: boolean;
  } | null;
  readonly lastRun: {
    readonly finishedAt: string;
    readonly ok: boolean;
    readonly eventsDone: number | null;
    readonly durationMs: number | null;
    readonly error: { readonly message: string } | null;
  } | null;
}

export const projectionPath = (name: string) => `/betrieb/projektionen/${encodeURIComponent(name)}`;

function stateName(state: string, t: Texts['t']): string {
  const names: Record<string, string> = {
    live: t('aktuell', 'live'),
    'catching-up': t('holt auf', 'catching up'),
    rebuilding: t('im Neuaufbau', 'rebuilding'),
    failed: t('fehlgeschlagen', 'failed'),
    stopped: t('angehalten', 'stopped'),
    starting: t('startet', 'starting'),
  };
  return names[state] ?? state;
}

function rebuildStateName(state: string, t: Texts['t']): string {
  const names: Record<string, string> = {
    building: t('läuft', 'building'),
    switched: t('umgeschaltet, Bestätigung offen', 'switched, awaiting confirmation'),
    confirmed: t('bestätigt', 'confirmed'),
    failed: t('fehlgeschlagen', 'failed'),
  };
  return names[state] ?? state;
}

/** Operator: every read model with its version, state, position and lag behind the event store. */
export function ProjectionsPage() {
  const { t } = useTexts();
  const list = useQuery({
    queryKey: ['oversight', 'projections'],
    queryFn: ({ signal }) => get<{ projections: ProjectionView[] }>('/api/v1/operations/projections', signal),
    refetchInterval: 5000,
  });
  return (
    <Page title={t('Projektionen', 'Projections')}>
      <p>
        {t(
          'Lesemodelle mit Version, Zustand und Rückstand (Ereignisse hinter dem Ereignisspeicher); alle fünf Sekunden aktualisiert. Technische Angaben, keine Falldaten.',
          'Read models with version, state and lag (events behind the event store); refreshed every five seconds. Technical facts, no case data.',
        )}
      </p>
      {list.isPending ? <Loading /> : null}
      {list.error ? <ErrorAlert error={list.error} /> : null}
      {list.data ? (
        <DataTable
          label={t('Projektionen', 'Projections')}
          columns={[
            { key: 'name', label: t('Name', 'Name'), href: (row) => projectionPath(String(row['name'])) },
            { key: 'version', label: t('Version', 'Version'), align: 'right' },
            { key: 'state', label: t('Zustand', 'State') },
            { key: 'position', label: t('Position / Kopf', 'Position / head'), align: 'right' },
            { key: 'lag', label: t('Rückstand', 'Lag'), align: 'right' },
            { key: 'rebuild', label: t('Neuaufbau', 'Rebuild') },
          ]}
          rows={list.data.projections.map((projection) => ({
            name: projection.name,
            version: projection.version,
            state: stateName(projection.state, t),
            position: `${projection.position} / ${projection.headPosition}`,
            lag: projection.lag,
            rebuild: projection.rebuild
              ? t(`läuft, ${projection.rebuild.percent} %`, `running, ${projection.rebuild.percent} %`)
              : projection.lastRebuild
                ? rebuildStateName(projection.lastRebuild.state, t)
                : '–',
          }))}
        />
      ) : null}
    </Page>
  );
}

/** Operator: one read model; rebuild it with live progress, then confirm the switch (drops the old collection). */
export function ProjectionPage({ name }: { readonly name: string }) {
  const texts = useTexts();
  const { t, language } = texts;
  const client = useQueryClient();
  const key = ['oversight', 'projection', name];
  const projection = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => get<ProjectionView>(`/api/v1/operations/projections/${encodeURIComponent(name)}`, signal),
    // Live progress: poll while a rebuild runs here or elsewhere.
    refetchInterval: (query) => {
      const data = query.state.data;
      return data && (data.rebuild || data.buildingElsewhere || data.lastRebuild?.state === 'building') ? 750 : false;
    },
  });
  const [fresh, setFresh] = useState(false);
  const [started, setStarted] = useState(false);
  const [confirmed, setConfirmed] = useState<readonly string[] | null>(null);
  const rebuild = useCommand<{ fresh: boolean; dropOld: boolean }>(
    'POST',
    `/api/v1/operations/projections/${encodeURIComponent(name)}/rebuild`,
  );
  const confirm = useCommand<Record<string, never>>(
    'POST',
    `/api/v1/operations/projections/${encodeURIComponent(name)}/rebuild/confirm`,
  );
  const start = async () => {
    setConfirmed(null);
    const result = await rebuild.run({ fresh, dropOld: false });
    if (result) {
      setStarted(true);
      await client.invalidateQueries({ queryKey: key });
    }
  };
  const confirmSwitch = async () => {
    const result = (await confirm.run({})) as { dropped?: string[] } | null;
    if (result) {
      setConfirmed(result.dropped ?? []);
      setStarted(false);
      await client.invalidateQueries({ queryKey: key });
    }
  };
  const title = t(`Projektion ${name}`, `Projection ${name}`);
  if (projection.isPending)
    return (
      <Page title={title}>
        <Loading />
      </Page>
    );
  if (projection.error)
    return (
      <Page title={title}>
        <ErrorAlert error={projection.error} />
      </Page>
    );
  const data = projection.data;
  const running = data.rebuild !== null || data.buildingElsewhere !== null;
  const last = data.lastRebuild;
  return (
    <Page title={title}>
      <dl className="facts">
        <dt>{t('Version', 'Version')}</dt>
        <dd>
          {data.version}
          {data.rules ? ` (${t('Regeln', 'rules')} ${data.rules.version})` : ''}
        </dd>
        <dt>{t('Zustand', 'State')}</dt>
        <dd>{stateName(data.state, t)}</dd>
        <dt>{t('Position / Kopf', 'Position / head')}</dt>
        <dd>
          {data.position} / {data.headPosition}
        </dd>
        <dt>{t('Rückstand', 'Lag')}</dt>
        <dd>{t(`${data.lag} Ereignisse`, `${data.lag} events`)}</dd>
        <dt>{t('Bedient aus', 'Served from')}</dt>
        <dd>{data.serving ?? '–'}</dd>
        {data.lastError ? (
          <>
            <dt>{t('Letzter Fehler', 'Last error')}</dt>
            <dd>{data.lastError}</dd>
          </>
        ) : null}
      </dl>
      <Section title={t('Neuaufbau', 'Rebuild')}>
        <p>
          {t(
            'Die neue Fassung wird in einer eigenen Sammlung aufgebaut, während die alte weiter bedient. Ist sie aufgeholt, wird umgeschaltet; die alte Sammlung bleibt bis zur Bestätigung erhalten.',
            'The new version is built into its own collection while the old one keeps serving. Once caught up it switches over; the old collection is kept until confirmed.',
          )}
        </p>
        {running ? (
          <div className="stack" role="status">
            <KolProgress
              _label={t('Fortschritt des Neuaufbaus', 'Rebuild progress')}
              _max={100}
              _value={data.rebuild?.percent ?? data.buildingElsewhere?.percent ?? 0}
              _unit="%"
            />
            {data.rebuild ? (
              <p>
                {t(
                  `${data.rebuild.eventsDone} Ereignisse verarbeitet, Position ${data.rebuild.position} von ${data.rebuild.headPosition}${data.rebuild.etaSeconds !== null ? `, noch etwa ${Math.ceil(data.rebuild.etaSeconds)} s` : ''}.`,
                  `${data.rebuild.eventsDone} events processed, position ${data.rebuild.position} of ${data.rebuild.headPosition}${data.rebuild.etaSeconds !== null ? `, about ${Math.ceil(data.rebuild.etaSeconds)} s left` : ''}.`,
                )}
              </p>
            ) : (
              <p>
                {t(
                  `Läuft in einem anderen Prozess (${data.buildingElsewhere!.owner}).`,
                  `Running in another process (${data.buildingElsewhere!.owner}).`,
                )}
              </p>
            )}
          </div>
        ) : null}
        {last ? (
          <dl className="facts">
            <dt>{t('Letzter Neuaufbau', 'Last rebuild')}</dt>
            <dd>
              {rebuildStateName(last.state, t)} ({t('Version', 'version')} {last.version}, {t('gestartet', 'started')}{' '}
              {instant(last.startedAt, language)})
            </dd>
            {last.switchedAt ? (
              <>
                <dt>{t('Umgeschaltet', 'Switched')}</dt>
                <dd>{instant(last.switchedAt, language)}</dd>
              </>
            ) : null}
            {last.retained.length > 0 ? (
              <>
                <dt>{t('Aufbewahrte alte Sammlungen', 'Old collections kept')}</dt>
                <dd>{last.retained.join(', ')}</dd>
              </>
            ) : null}
            {last.error ? (
              <>
                <dt>{t('Fehler', 'Error')}</dt>
                <dd>{last.error}</dd>
              </>
            ) : null}
          </dl>
        ) : null}
        {data.lastRun && !running ? (
          <p>
            {data.lastRun.ok
              ? t(
                  `Zuletzt abgeschlossen ${instant(data.lastRun.finishedAt, language)}: ${data.lastRun.eventsDone ?? 0} Ereignisse in ${data.lastRun.durationMs ?? 0} ms.`,
                  `Last finished ${instant(data.lastRun.finishedAt, language)}: ${data.lastRun.eventsDone ?? 0} events in ${data.lastRun.durationMs ?? 0} ms.`,
                )
              : t(
                  `Zuletzt fehlgeschlagen: ${data.lastRun.error?.message ?? ''}`,
                  `Last failed: ${data.lastRun.error?.message ?? ''}`,
                )}
          </p>
        ) : null}
        {rebuild.error ? <ErrorAlert error={rebuild.error} /> : null}
        {confirm.error ? <ErrorAlert error={confirm.error} /> : null}
        {confirmed !== null ? (
          <Success>
            {t(
              `Umschaltung bestätigt; gelöscht: ${confirmed.join(', ') || 'nichts'}.`,
              `Switch confirmed; dropped: ${confirmed.join(', ') || 'nothing'}.`,
            )}
          </Success>
        ) : null}
        {started && !running && last?.state === 'switched' ? (
          <Success>{t('Neuaufbau abgeschlossen und umgeschaltet.', 'Rebuild finished and switched over.')}</Success>
        ) : null}
        {!running ? (
          <div className="row">
            <KolInputCheckbox
              _label={t(
                'Unterbrochenen Aufbau verwerfen und neu beginnen',
                'Discard an interrupted build and start afresh',
              )}
              _checked={fresh}
              _value="fresh"
              _on={{ onInput: (_event: Event, next: unknown) => setFresh(next === true || next === 'fresh') }}
            />
            <KolButton
              _variant="primary"
              _label={t('Neuaufbau starten', 'Start rebuild')}
              _disabled={rebuild.pending}
              _on={{ onClick: () => void start() }}
            />
          </div>
        ) : null}
        {!running && last?.state === 'switched' ? (
          <KolButton
            _label={t('Umschaltung bestätigen (alte Sammlung löschen)', 'Confirm the switch (drop the old collection)')}
            _disabled={confirm.pending}
            _on={{ onClick: () => void confirmSwitch() }}
          />
        ) : null}
      </Section>
    </Page>
  );
}

interface PlanEntry {
  readonly tenant: string;
  readonly reviewId: string;
  readonly teamId: string;
  readonly month: string;
  readonly status: string;
  readonly closedOn: string;
  readonly retentionMonths: number;
  readonly measures: number;
  readonly due: boolean;
  readonly retentionEndsOn: string | null;
  readonly keptBecause?: string;
}

interface PurgeRun {
  readonly today: string;
  readonly dryRun: boolean;
  readonly started: number;
  readonly populationsStarted: number;
  readonly populationReferencesDestroyed: number;
  readonly position: number;
  readonly populations: readonly unknown[];
  readonly populationReferences: readonly unknown[];
  readonly due: readonly PlanEntry[];
  readonly kept: readonly PlanEntry[];
}

function keptReason(reason: string | undefined, t: Texts['t']): string {
  const names: Record<string, string> = {
    open: t('noch offen', 'still open'),
    'not-yet': t('Frist läuft noch', 'retention not yet over'),
    'legal-hold': t('Aufbewahrungssperre', 'legal hold'),
    'purge-under-way': t('Löschung läuft', 'purge under way'),
    purged: t('gelöscht', 'purged'),
  };
  return reason === undefined ? '–' : (names[reason] ?? reason);
}

/** Operator: the retention purge across all Jobcenters, first as a dry run, then for real after confirming. */
export function PurgePage() {
  const texts = useTexts();
  const { t, date } = texts;
  const [run, setRun] = useState<PurgeRun | null>(null);
  const [understood, setUnderstood] = useState(false);
  const dry = useCommand<{ dryRun: boolean }>('POST', '/api/v1/operations/retention/purge-runs');
  const real = useCommand<{ dryRun: boolean }>('POST', '/api/v1/operations/retention/purge-runs');
  const dryRun = async () => {
    const result = await dry.run({ dryRun: true });
    if (result) setRun(result as unknown as PurgeRun);
  };
  const purge = async () => {
    const result = await real.run({ dryRun: false });
    if (result) {
      setRun(result as unknown as PurgeRun);
      setUnderstood(false);
    }
  };
  const rows = (entries: readonly PlanEntry[]) =>
    entries.map((entry) => ({
      tenant: entry.tenant,
      review: shortId(entry.reviewId),
      team: entry.teamId,
      month: entry.month,
      closed: date(entry.closedOn),
      ends: entry.retentionEndsOn ? date(entry.retentionEndsOn) : '–',
      reason: keptReason(entry.keptBecause, t),
    }));
  const columns = [
    { key: 'tenant' as const, label: t('Jobcenter', 'Jobcenter') },
    { key: 'review' as const, label: t('Prüfung', 'Review') },
    { key: 'team' as const, label: t('Team', 'Team') },
    { key: 'month' as const, label: t('Monat', 'Month') },
    { key: 'closed' as const, label: t('Abgeschlossen am', 'Closed on') },
    { key: 'ends' as const, label: t('Frist endet', 'Retention ends') },
    { key: 'reason' as const, label: t('Behalten, weil', 'Kept because') },
  ];
  return (
    <Page title={t('Löschlauf', 'Retention purge')}>
      <p>
        {t(
          'Löscht Prüfungen nach Ablauf ihrer Aufbewahrungsfrist in allen Jobcentern (Schlüssel vernichtet, Inhalte unlesbar). Zuerst der Probelauf: er zeigt, was heute fällig wäre und was warum bleibt.',
          'Purges reviews whose retention has ended, in every Jobcenter (keys destroyed, content unreadable). First the dry run: it shows what would be due today and what stays and why.',
        )}
      </p>
      <KolButton
        _variant="primary"
        _label={t('Probelauf', 'Dry run')}
        _disabled={dry.pending}
        _on={{ onClick: () => void dryRun() }}
      />
      {dry.error ? <ErrorAlert error={dry.error} /> : null}
      {real.error ? <ErrorAlert error={real.error} /> : null}
      {run ? (
        <Section
          title={
            run.dryRun
              ? t(`Probelauf vom ${date(run.today)}`, `Dry run of ${date(run.today)}`)
              : t(`Löschlauf vom ${date(run.today)}`, `Purge run of ${date(run.today)}`)
          }
        >
          <p role="status">
            {run.dryRun
              ? t(
                  `${run.due.length} Prüfungen fällig, ${run.kept.length} behalten; ${run.populations.length} Grundgesamtheiten und ${run.populationReferences.length} Fallnummernlisten würden gelöscht.`,
                  `${run.due.length} reviews due, ${run.kept.length} kept; ${run.populations.length} populations and ${run.populationReferences.length} case reference lists would be purged.`,
                )
              : t(
                  `${run.started} Löschungen gestartet, ${run.populationsStarted} Grundgesamtheiten, ${run.populationReferencesDestroyed} Fallnummernlisten vernichtet.`,
                  `${run.started} purges started, ${run.populationsStarted} populations, ${run.populationReferencesDestroyed} case reference lists destroyed.`,
                )}
          </p>
          {run.due.length > 0 ? (
            <DataTable label={t('Fällige Prüfungen', 'Reviews due')} columns={columns} rows={rows(run.due)} />
          ) : (
            <p>{t('Heute ist nichts fällig.', 'Nothing is due today.')}</p>
          )}
          {run.kept.length > 0 ? (
            <DataTable label={t('Behaltene Prüfungen', 'Reviews kept')} columns={columns} rows={rows(run.kept)} />
          ) : null}
          {run.dryRun ? (
            <div className="stack">
              <KolInputCheckbox
                _label={t(
                  'Ich habe den Probelauf geprüft; die fälligen Prüfungen werden endgültig gelöscht.',
                  'I have checked the dry run; the reviews due are purged for good.',
                )}
                _checked={understood}
                _value="understood"
                _on={{
                  onInput: (_event: Event, next: unknown) => setUnderstood(next === true || next === 'understood'),
                }}
              />
              <KolButton
                _variant="danger"
                _label={t('Löschlauf ausführen', 'Run the purge')}
                _disabled={!understood || real.pending}
                _on={{ onClick: () => void purge() }}
              />
            </div>
          ) : null}
        </Section>
      ) : null}
    </Page>
  );
}

interface Health {
  readonly status: 'up' | 'down';
  readonly checks: Record<string, { readonly status: 'up' | 'down'; readonly detail?: string }>;
  readonly projections: readonly {
    readonly name: string;
    readonly version: number;
    readonly position: number;
    readonly lag: number;
    readonly state: string;
    readonly lastError: string | null;
  }[];
}

async function loadHealth(signal: AbortSignal): Promise<Health> {
  // 503 carries the same body: read it either way.
  const response = await fetch('/health', { headers: { Accept: 'application/json' }, signal });
  return (await response.json()) as Health;
}

/** Operator: liveness of the stores and the projections' state, as /health reports it. */
export function HealthPage() {
  const { t } = useTexts();
  const health = useQuery({
    queryKey: ['oversight', 'health'],
    queryFn: ({ signal }) => loadHealth(signal),
    refetchInterval: 10_000,
  });
  const checkName = (name: string) =>
    name === 'eventStore'
      ? t('Ereignisspeicher', 'Event store')
      : name === 'readStore'
        ? t('Lesespeicher', 'Read store')
        : name;
  return (
    <Page title={t('Systemzustand', 'Health')}>
      {health.isPending ? <Loading /> : null}
      {health.error ? <ErrorAlert error={health.error} /> : null}
      {health.data ? (
        <>
          <div className="row" role="status">
            <KolBadge
              _label={health.data.status === 'up' ? t('Betriebsbereit', 'Up') : t('Gestört', 'Down')}
              _color={health.data.status === 'up' ? '#d9ead3' : '#f4cccc'}
            />
          </div>
          <DataTable
            label={t('Speicher', 'Stores')}
            columns={[
              { key: 'name', label: t('Prüfung', 'Check') },
              { key: 'status', label: t('Zustand', 'Status') },
              { key: 'detail', label: t('Hinweis', 'Detail') },
            ]}
            rows={Object.entries(health.data.checks).map(([name, check]) => ({
              name: checkName(name),
              status: check.status === 'up' ? t('bereit', 'up') : t('gestört', 'down'),
              detail: check.detail ?? '–',
            }))}
          />
          <DataTable
            label={t('Projektionen', 'Projections')}
            columns={[
              { key: 'name', label: t('Name', 'Name'), href: (row) => projectionPath(String(row['name'])) },
              { key: 'state', label: t('Zustand', 'State') },
              { key: 'lag', label: t('Rückstand', 'Lag'), align: 'right' },
              { key: 'error', label: t('Letzter Fehler', 'Last error') },
            ]}
            rows={health.data.projections.map((projection) => ({
              name: projection.name,
              state: stateName(projection.state, t),
              lag: projection.lag,
              error: projection.lastError ?? '–',
            }))}
          />
        </>
      ) : null}
    </Page>
  );
}
