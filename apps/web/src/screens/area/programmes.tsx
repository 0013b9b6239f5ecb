import {
  KolButton,
  KolForm,
  KolInputCheckbox,
  KolInputDate,
  KolInputRadio,
  KolInputText,
  KolLink,
  KolSelect,
  KolTextarea,
} from '@public-ui/react-v19';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../../api';
import { useCommand } from '../../commands';
import { useTexts, type Texts } from '../../i18n';
import { navigate } from '../../router';
import { hasRole, useSession } from '../../session';
import { DataTable, ErrorAlert, isoValue, Loading, Page, Section, Success } from '../../ui';
import type { ProgrammeSettings, ProgrammeView, QuestionnaireSummary } from './types';
import { CommandError, NumberField, fieldProps, messageFor, selectedOf, textOf } from '../../forms';

export const programmesKey = ['programmes'];
const programmeKey = (id: string) => ['programme', id];

/** A changed setting's value in a few words (objects as "key value" pairs, so the text can wrap). */
function shown(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'object')
    return Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) => `${key} ${typeof inner === 'object' ? JSON.stringify(inner) : String(inner as string)}`)
      .join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function drawnByText(value: ProgrammeSettings['drawnBy'], t: Texts['t']): string {
  return value === 'area_head' ? t('Bereichsleitung', 'Area head') : t('Geschäftsführung', 'Management');
}

/** Area head (and management): the programmes of the Jobcenter, and a new one for the area. */
export function ProgrammesPage() {
  const { t, date } = useTexts();
  const programmes = useQuery({
    queryKey: programmesKey,
    queryFn: ({ signal }) => get<{ items: ProgrammeView[] }>('/api/v1/programmes', signal),
  });
  return (
    <Page title={t('Prüfpläne', 'Programmes')}>
      {programmes.isPending ? <Loading /> : null}
      {programmes.error ? <ErrorAlert error={programmes.error} /> : null}
      {programmes.data ? (
        programmes.data.items.length === 0 ? (
          <p>{t('Noch kein Prüfplan angelegt.', 'No programme yet.')}</p>
        ) : (
          <DataTable
            label={t('Prüfpläne', 'Programmes')}
            columns={[
              { key: 'title', label: t('Titel', 'Title'), href: (row) => `/pruefplaene/${String(row['id'])}` },
              { key: 'area', label: t('Bereich', 'Area') },
              { key: 'process', label: t('Kundenprozess', 'Customer process') },
              {
                key: 'minimum',
                label: t('Fälle je Teamleitung und Monat', 'Cases per team lead and month'),
                align: 'right',
              },
              { key: 'drawnBy', label: t('Zieht', 'Draws') },
              { key: 'updated', label: t('Zuletzt geändert', 'Last changed') },
            ]}
            rows={programmes.data.items.map((programme) => ({
              id: programme.id,
              title: programme.settings.title,
              area: programme.areaId,
              process: programme.settings.customerProcess,
              minimum: programme.settings.minimumCasesPerTeamLead,
              drawnBy: drawnByText(programme.settings.drawnBy, t),
              updated: date(programme.updatedAt),
            }))}
          />
        )
      ) : null}
      <DefineProgramme />
    </Page>
  );
}

function DefineProgramme() {
  const { t, pick } = useTexts();
  const { session } = useSession();
  const client = useQueryClient();
  const questionnaires = useQuery({
    queryKey: ['questionnaires'],
    queryFn: ({ signal }) => get<{ items: QuestionnaireSummary[] }>('/api/v1/questionnaires', signal),
  });
  const [title, setTitle] = useState('');
  const [areaId, setAreaId] = useState(session?.units[0] ?? '');
  const [process, setProcess] = useState('allgemeine-vermittlung');
  const [questionnaireId, setQuestionnaireId] = useState('');
  const [minimum, setMinimum] = useState<number | null>(10);
  const [drawnBy, setDrawnBy] = useState<'area_head' | 'management'>('area_head');
  const [reason, setReason] = useState('');
  const define = useCommand<Record<string, unknown>>('POST', '/api/v1/programmes');
  const submit = async () => {
    const result = await define.run({
      settings: {
        title,
        areaId,
        customerProcess: process,
        ...(questionnaireId === '' ? {} : { questionnaireId }),
        ...(minimum === null ? {} : { minimumCasesPerTeamLead: minimum }),
        drawnBy,
      },
      reason,
    });
    if (result?.id) {
      await client.invalidateQueries({ queryKey: programmesKey });
      navigate(`/pruefplaene/${result.id}`);
    }
  };
  const field = (...names: string[]) => fieldProps(messageFor(define.error, ...names), pick);
  const fields = [
    'settings.title',
    'settings.areaId',
    'settings.customerProcess',
    'settings.minimumCasesPerTeamLead',
    'reason',
  ];
  return (
    <Section title={t('Neuen Prüfplan anlegen', 'Define a programme')}>
      <KolForm
        _requiredText={t(
          'Pflichtfelder sind mit einem Sternchen markiert.',
          'Mandatory fields are marked with an asterisk.',
        )}
        _on={{ onSubmit: () => void submit() }}
      >
        <div className="stack">
          <KolInputText
            _label={t('Titel', 'Title')}
            _value={title}
            _required
            _on={{ onInput: (_event: Event, value: unknown) => setTitle(textOf(value)) }}
            {...field('settings.title')}
          />
          {hasRole(session, 'area_head') && (session?.units.length ?? 0) <= 1 ? null : (
            <KolInputText
              _label={t('Bereich (Kennung)', 'Area (id)')}
              _value={areaId}
              _required
              _on={{ onInput: (_event: Event, value: unknown) => setAreaId(textOf(value)) }}
              {...field('settings.areaId')}
            />
          )}
          <KolInputText
            _label={t('Kundenprozess (Kennung)', 'Customer process (id)')}
            _value={process}
            _required
            _on={{ onInput: (_event: Event, value: unknown) => setProcess(textOf(value)) }}
            {...field('settings.customerProcess')}
          />
          <KolSelect
            _label={t('Fragebogen', 'Questionnaire')}
            _options={[
              { label: t('– keiner –', '– none –'), value: '' },
              ...(questionnaires.data?.items ?? []).map((item) => ({ label: item.title, value: item.id })),
            ]}
            _value={[questionnaireId]}
            _on={{ onChange: (_event: Event, value: unknown) => setQuestionnaireId(selectedOf(value)) }}
            {...field('settings.questionnaireId')}
          />
          <NumberField
            label={t('Mindestens Fälle je Teamleitung und Monat', 'At least cases per team lead and month')}
            value={minimum}
            min={1}
            max={1000}
            required
            onChange={setMinimum}
            message={field('settings.minimumCasesPerTeamLead')}
          />
          <KolInputRadio
            _label={t('Wer zieht die Stichprobe', 'Who draws the sample')}
            _name="define-drawn-by"
            _orientation="horizontal"
            _options={[
              { label: t('Bereichsleitung', 'Area head'), value: 'area_head' },
              { label: t('Geschäftsführung', 'Management'), value: 'management' },
            ]}
            _value={drawnBy}
            _on={{
              onInput: (_event: Event, value: unknown) =>
                setDrawnBy(value === 'management' ? 'management' : 'area_head'),
            }}
            {...field('settings.drawnBy')}
          />
          <KolTextarea
            _label={t(
              'Begründung (Risikobewertung, Rechtsänderung, Prüffeststellung)',
              'Reason (risk assessment, legal change, audit finding)',
            )}
            _value={reason}
            _required
            _rows={3}
            _on={{ onInput: (_event: Event, value: unknown) => setReason(textOf(value)) }}
            {...field('reason')}
          />
          {define.error && !messageFor(define.error, ...fields) ? <ErrorAlert error={define.error} /> : null}
          <KolButton
            _type="submit"
            _variant="primary"
            _label={t('Prüfplan anlegen', 'Define programme')}
            _disabled={define.pending}
          />
        </div>
      </KolForm>
    </Section>
  );
}

/** One programme: its settings, a revision with reason and staff council, the change history. */
export function ProgrammePage({ programmeId }: { readonly programmeId: string }) {
  const texts = useTexts();
  const { t, date } = texts;
  const programme = useQuery({
    queryKey: programmeKey(programmeId),
    queryFn: ({ signal }) => get<ProgrammeView>(`/api/v1/programmes/${encodeURIComponent(programmeId)}`, signal),
  });
  if (programme.isPending) return <Loading />;
  if (programme.error) return <ErrorAlert error={programme.error} />;
  const data = programme.data;
  const s = data.settings;
  return (
    <Page title={t(`Prüfplan: ${s.title}`, `Programme: ${s.title}`)}>
      <nav aria-label={t('Zum Prüfplan', 'For this programme')} className="row">
        <KolLink
          _href={`/pruefplaene/${encodeURIComponent(programmeId)}/ziehung`}
          _label={t('Grundgesamtheit hochladen und ziehen', 'Upload the population and draw')}
        />
      </nav>
      <dl className="facts">
        <dt>{t('Bereich', 'Area')}</dt>
        <dd>{s.areaId}</dd>
        <dt>{t('Kundenprozess', 'Customer process')}</dt>
        <dd>{s.customerProcess}</dd>
        <dt>{t('Mindestens Fälle je Teamleitung und Monat', 'At least cases per team lead and month')}</dt>
        <dd>{s.minimumCasesPerTeamLead}</dd>
        <dt>{t('Zieht', 'Draws')}</dt>
        <dd>{drawnByText(s.drawnBy, t)}</dd>
        <dt>{t('Fehlerquoten', 'Error rates')}</dt>
        <dd>
          {s.errorRatePolicy.kind === 'collect'
            ? t(
                `erhoben, Toleranz ${s.errorRatePolicy.tolerancePercent} %`,
                `collected, tolerance ${s.errorRatePolicy.tolerancePercent} %`,
              )
            : t('nicht erhoben', 'not collected')}
        </dd>
        <dt>{t('Prüffrist', 'Review deadline')}</dt>
        <dd>
          {t(
            `${s.reviewDeadlineDaysAfterMonth} Tage nach Monatsende`,
            `${s.reviewDeadlineDaysAfterMonth} days after the month`,
          )}
        </dd>
        <dt>{t('Aufbewahrung', 'Retention')}</dt>
        <dd>{t(`${s.retentionMonths} Monate`, `${s.retentionMonths} months`)}</dd>
        <dt>{t('Stellvertretung prüft', 'Deputies review')}</dt>
        <dd>{s.deputiesReview ? t('ja', 'yes') : t('nein', 'no')}</dd>
        <dt>{t('Stand', 'Revision')}</dt>
        <dd>
          {data.revision}, {date(data.updatedAt)}
        </dd>
      </dl>
      <ReviseProgramme programme={data} texts={texts} />
      <Section title={t('Änderungshistorie', 'Change history')}>
        <DataTable
          label={t('Änderungshistorie', 'Change history')}
          columns={[
            { key: 'revision', label: t('Stand', 'Revision'), align: 'right' },
            { key: 'at', label: t('Datum', 'Date') },
            { key: 'byRole', label: t('Durch', 'By') },
            { key: 'reason', label: t('Begründung', 'Reason') },
            { key: 'changes', label: t('Änderungen', 'Changes') },
            { key: 'council', label: t('Personalrat', 'Staff council') },
          ]}
          rows={[...data.changeLog].reverse().map((entry) => ({
            revision: entry.revision,
            at: date(entry.at),
            byRole:
              entry.byRole === 'area_head'
                ? t('Bereichsleitung', 'Area head')
                : entry.byRole === 'management'
                  ? t('Geschäftsführung', 'Management')
                  : entry.byRole,
            reason: entry.reason,
            changes:
              entry.revision === 0
                ? t('Festlegung', 'Definition')
                : Object.entries(entry.changes)
                    .map(([key, value]) => `${key} = ${shown(value)}`)
                    .join(', '),
            council: entry.staffCouncil
              ? `${date(entry.staffCouncil.date)}, ${entry.staffCouncil.outcome === 'agreed' ? t('zugestimmt', 'agreed') : t('beteiligt', 'consulted')}`
              : '–',
          }))}
        />
      </Section>
    </Page>
  );
}

function ReviseProgramme({ programme, texts }: { readonly programme: ProgrammeView; readonly texts: Texts }) {
  const { t, pick } = texts;
  const client = useQueryClient();
  const s = programme.settings;
  const [title, setTitle] = useState(s.title);
  const [minimum, setMinimum] = useState<number | null>(s.minimumCasesPerTeamLead);
  const [drawnBy, setDrawnBy] = useState(s.drawnBy);
  const [deadlineDays, setDeadlineDays] = useState<number | null>(s.reviewDeadlineDaysAfterMonth);
  const [reason, setReason] = useState('');
  const [council, setCouncil] = useState(false);
  const [councilDate, setCouncilDate] = useState('');
  const [councilOutcome, setCouncilOutcome] = useState<'agreed' | 'consulted'>('agreed');
  const [baseRevision, setBaseRevision] = useState(programme.revision);
  const [done, setDone] = useState(false);
  const revise = useCommand<Record<string, unknown>>(
    'POST',
    `/api/v1/programmes/${encodeURIComponent(programme.id)}/revisions`,
  );
  const changes: Record<string, unknown> = {
    ...(title !== s.title ? { title } : {}),
    ...(minimum !== null && minimum !== s.minimumCasesPerTeamLead ? { minimumCasesPerTeamLead: minimum } : {}),
    ...(drawnBy !== s.drawnBy ? { drawnBy } : {}),
    ...(deadlineDays !== null && deadlineDays !== s.reviewDeadlineDaysAfterMonth
      ? { reviewDeadlineDaysAfterMonth: deadlineDays }
      : {}),
  };
  const submit = async () => {
    setDone(false);
    const result = await revise.run(
      {
        changes,
        reason,
        ...(council ? { staffCouncil: { date: councilDate, outcome: councilOutcome } } : {}),
      },
      { ifMatch: baseRevision },
    );
    if (result) {
      setReason('');
      setCouncil(false);
      setDone(true);
      if (typeof result.revision === 'number') setBaseRevision(result.revision);
      await client.invalidateQueries({ queryKey: programmeKey(programme.id) });
      await client.invalidateQueries({ queryKey: programmesKey });
    }
  };
  const reloadKeepingInput = async () => {
    await client.invalidateQueries({ queryKey: programmeKey(programme.id) });
    const fresh = client.getQueryData<ProgrammeView>(programmeKey(programme.id));
    if (fresh) setBaseRevision(fresh.revision);
    revise.reset();
  };
  const field = (...names: string[]) => fieldProps(messageFor(revise.error, ...names), pick);
  const fieldNames = ['changes', 'reason', 'staffCouncil'];
  return (
    <Section title={t('Prüfplan ändern', 'Revise the programme')}>
      <KolForm
        _requiredText={t(
          'Pflichtfelder sind mit einem Sternchen markiert.',
          'Mandatory fields are marked with an asterisk.',
        )}
        _on={{ onSubmit: () => void submit() }}
      >
        <div className="stack">
          <KolInputText
            _label={t('Titel', 'Title')}
            _value={title}
            _on={{ onInput: (_event: Event, value: unknown) => setTitle(textOf(value)) }}
            {...field('changes.title')}
          />
          <NumberField
            label={t('Mindestens Fälle je Teamleitung und Monat', 'At least cases per team lead and month')}
            value={minimum}
            min={1}
            max={1000}
            onChange={setMinimum}
            message={field('changes.minimumCasesPerTeamLead')}
          />
          <KolInputRadio
            _label={t('Wer zieht die Stichprobe', 'Who draws the sample')}
            _name="revise-drawn-by"
            _orientation="horizontal"
            _options={[
              { label: t('Bereichsleitung', 'Area head'), value: 'area_head' },
              { label: t('Geschäftsführung', 'Management'), value: 'management' },
            ]}
            _value={drawnBy}
            _on={{
              onInput: (_event: Event, value: unknown) =>
                setDrawnBy(value === 'management' ? 'management' : 'area_head'),
            }}
            {...field('changes.drawnBy')}
          />
          <NumberField
            label={t('Prüffrist: Tage nach Monatsende', 'Review deadline: days after the month')}
            value={deadlineDays}
            min={0}
            max={366}
            onChange={setDeadlineDays}
            message={field('changes.reviewDeadlineDaysAfterMonth')}
          />
          <KolTextarea
            _label={t('Begründung der Änderung', 'Reason for the change')}
            _value={reason}
            _required
            _rows={3}
            _on={{ onInput: (_event: Event, value: unknown) => setReason(textOf(value)) }}
            {...field('reason')}
          />
          <KolInputCheckbox
            _label={t(
              'Personalrat beteiligt (Pflicht, wenn sich das Auswahlverfahren ändert)',
              'Staff council took part (required when the sampling procedure changes)',
            )}
            _checked={council}
            _value="staff-council"
            _on={{
              onInput: (_event: Event, value: unknown) => setCouncil(value === true || value === 'staff-council'),
            }}
            {...field('staffCouncil')}
          />
          {council ? (
            <>
              <KolInputDate
                _type="date"
                _label={t('Datum der Beteiligung', 'Date of participation')}
                _value={isoValue(councilDate)}
                _required
                _on={{ onInput: (_event: Event, value: unknown) => setCouncilDate(textOf(value)) }}
                {...field('staffCouncil.date')}
              />
              <KolInputRadio
                _label={t('Ergebnis', 'Outcome')}
                _name="revise-council-outcome"
                _orientation="horizontal"
                _options={[
                  { label: t('zugestimmt', 'agreed'), value: 'agreed' },
                  { label: t('angehört', 'consulted'), value: 'consulted' },
                ]}
                _value={councilOutcome}
                _on={{
                  onInput: (_event: Event, value: unknown) =>
                    setCouncilOutcome(value === 'consulted' ? 'consulted' : 'agreed'),
                }}
              />
            </>
          ) : null}
          <CommandError command={revise} fields={fieldNames} onReload={reloadKeepingInput} />
          {done ? <Success>{t('Änderung gespeichert.', 'Revision saved.')}</Success> : null}
          <KolButton
            _type="submit"
            _variant="primary"
            _label={t(
              `Änderung speichern (${Object.keys(changes).length} Angaben geändert)`,
              `Save revision (${Object.keys(changes).length} settings changed)`,
            )}
            _disabled={revise.pending}
          />
        </div>
      </KolForm>
    </Section>
  );
}
