import { KolButton, KolForm, KolInputDate, KolInputText, KolSelect, KolTextarea } from '@public-ui/react-v19';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../../api';
import { useCommand } from '../../commands';
import { fieldProps, textOf } from '../../forms';
import { useTexts, type Texts } from '../../i18n';
import { DataTable, ErrorAlert, isoValue, Loading, Page, Section, Success } from '../../ui';

const KINDS = {
  feedback: ['Feedback', 'Feedback'],
  'individual-development': ['Individuelle Entwicklung', 'Individual development'],
  instruction: ['Anleitung', 'Instruction'],
  'process-change': ['Prozessänderung', 'Process change'],
  training: ['Schulung', 'Training'],
  qualification: ['Qualifizierung', 'Qualification'],
} as const;
type Kind = keyof typeof KINDS;

interface Measure {
  readonly id: string;
  readonly revision: number;
  readonly kind: Kind;
  readonly scope: 'individual' | 'team';
  readonly status: 'open' | 'completed' | 'cancelled';
  readonly dueDate: string;
  readonly agreedOn: string;
  readonly overdue: boolean;
  readonly owner?: unknown;
  readonly description?: unknown;
  readonly followUps: readonly { readonly date: string; readonly note?: unknown }[];
}

const kindName = (kind: Kind, t: Texts['t']) => t(KINDS[kind][0], KINDS[kind][1]);
const measuresKey = (teamId: string) => ['measures', teamId];

/**
 * Team lead and deputy: improvement measures agreed with the employee or the team, followed up until
 * completed (never a per-employee evaluation: owners are seen by the team's leadership only).
 */
export function MeasuresPage({ teamId }: { readonly teamId: string }) {
  const texts = useTexts();
  const { t, date } = texts;
  const measures = useQuery({
    queryKey: measuresKey(teamId),
    queryFn: ({ signal }) => get<{ items: Measure[] }>(`/api/v1/teams/${encodeURIComponent(teamId)}/measures`, signal),
  });
  const [selected, setSelected] = useState<string | null>(null);
  const open = measures.data?.items.filter((measure) => measure.status === 'open') ?? [];
  const current = measures.data?.items.find((measure) => measure.id === selected) ?? null;
  return (
    <Page title={t(`Maßnahmen ${teamId}`, `Measures ${teamId}`)}>
      {measures.isPending ? <Loading /> : null}
      {measures.error ? <ErrorAlert error={measures.error} /> : null}
      {measures.data ? (
        measures.data.items.length === 0 ? (
          <p>{t('Noch keine Maßnahmen vereinbart.', 'No measures agreed yet.')}</p>
        ) : (
          <DataTable
            label={t('Maßnahmen des Teams', 'The team’s measures')}
            columns={[
              { key: 'kind', label: t('Art', 'Kind') },
              { key: 'scope', label: t('Umfang', 'Scope') },
              { key: 'owner', label: t('Verantwortlich', 'Owner') },
              { key: 'due', label: t('Fällig', 'Due') },
              { key: 'status', label: t('Stand', 'Status') },
              { key: 'followUps', label: t('Nachhaltungen', 'Follow-ups'), align: 'right' },
            ]}
            rows={measures.data.items.map((measure) => ({
              kind: kindName(measure.kind, t),
              scope: measure.scope === 'team' ? t('Team', 'team') : t('einzeln', 'individual'),
              owner: textOf(measure.owner) || '–',
              due: date(measure.dueDate),
              status:
                measure.status === 'open'
                  ? measure.overdue
                    ? t('offen – überfällig', 'open – overdue')
                    : t('offen', 'open')
                  : measure.status === 'completed'
                    ? t('erledigt', 'completed')
                    : t('aufgehoben', 'cancelled'),
              followUps: measure.followUps.length,
            }))}
          />
        )
      ) : null}
      <AgreeMeasure teamId={teamId} texts={texts} />
      {open.length > 0 ? (
        <Section title={t('Nachhalten', 'Follow up')}>
          <KolSelect
            _label={t('Maßnahme', 'Measure')}
            _options={[
              { label: t('– bitte wählen –', '– please choose –'), value: '' },
              ...open.map((measure) => ({
                label: `${kindName(measure.kind, t)}: ${textOf(measure.description).slice(0, 60)} (${date(measure.dueDate)})`,
                value: measure.id,
              })),
            ]}
            _value={[selected ?? '']}
            _on={{
              onChange: (_event: Event, next: unknown) =>
                setSelected(textOf(Array.isArray(next) ? next[0] : next) || null),
            }}
          />
          {current ? <FollowUp key={current.id} measure={current} teamId={teamId} texts={texts} /> : null}
        </Section>
      ) : null}
    </Page>
  );
}

function AgreeMeasure({ teamId, texts }: { readonly teamId: string; readonly texts: Texts }) {
  const { t, pick } = texts;
  const client = useQueryClient();
  const [kind, setKind] = useState<Kind>('feedback');
  const [scope, setScope] = useState<'individual' | 'team'>('individual');
  const [owner, setOwner] = useState('');
  const [description, setDescription] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [done, setDone] = useState(false);
  const agree = useCommand<Record<string, string>>('POST', `/api/v1/teams/${encodeURIComponent(teamId)}/measures`);
  const submit = async () => {
    setDone(false);
    const result = await agree.run({ kind, scope, owner, description, dueDate });
    if (result) {
      setOwner('');
      setDescription('');
      setDueDate('');
      setDone(true);
      await client.invalidateQueries({ queryKey: measuresKey(teamId) });
    }
  };
  const known = ['kind', 'scope', 'owner', 'description', 'dueDate'].some((field) => agree.fieldMessage(field));
  return (
    <Section title={t('Maßnahme vereinbaren', 'Agree a measure')}>
      <KolForm _on={{ onSubmit: () => void submit() }}>
        <div className="stack">
          <KolSelect
            _label={t('Art', 'Kind')}
            _options={(Object.keys(KINDS) as Kind[]).map((value) => ({ label: kindName(value, t), value }))}
            _value={[kind]}
            _required
            _on={{
              onChange: (_event: Event, next: unknown) => setKind(textOf(Array.isArray(next) ? next[0] : next) as Kind),
            }}
            {...fieldProps(agree.fieldMessage('kind'), pick)}
          />
          <KolSelect
            _label={t('Umfang', 'Scope')}
            _options={[
              { label: t('einzelne Person', 'one person'), value: 'individual' },
              { label: t('ganzes Team', 'whole team'), value: 'team' },
            ]}
            _value={[scope]}
            _required
            _on={{
              onChange: (_event: Event, next: unknown) =>
                setScope(textOf(Array.isArray(next) ? next[0] : next) === 'team' ? 'team' : 'individual'),
            }}
          />
          <KolInputText
            _label={t('Verantwortliche Person', 'Owner')}
            _value={owner}
            _required
            _on={{ onInput: (_event: Event, next: unknown) => setOwner(textOf(next)) }}
            {...fieldProps(agree.fieldMessage('owner'), pick)}
          />
          <KolTextarea
            _label={t('Beschreibung', 'Description')}
            _value={description}
            _required
            _rows={3}
            _on={{ onInput: (_event: Event, next: unknown) => setDescription(textOf(next)) }}
            {...fieldProps(agree.fieldMessage('description'), pick)}
          />
          <KolInputDate
            _type="date"
            _label={t('Fällig am', 'Due on')}
            _value={isoValue(dueDate)}
            _required
            _on={{ onInput: (_event: Event, next: unknown) => setDueDate(textOf(next)) }}
            {...fieldProps(agree.fieldMessage('dueDate'), pick)}
          />
          {agree.error && !known ? <ErrorAlert error={agree.error} /> : null}
          {done ? <Success>{t('Maßnahme vereinbart.', 'Measure agreed.')}</Success> : null}
          <KolButton _type="submit" _variant="primary" _label={t('Vereinbaren', 'Agree')} _disabled={agree.pending} />
        </div>
      </KolForm>
    </Section>
  );
}

function FollowUp({
  measure,
  teamId,
  texts,
}: {
  readonly measure: Measure;
  readonly teamId: string;
  readonly texts: Texts;
}) {
  const { t, pick } = texts;
  const client = useQueryClient();
  const [followDate, setFollowDate] = useState('');
  const [note, setNote] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const base = `/api/v1/measures/${encodeURIComponent(measure.id)}`;
  const followUp = useCommand<{ date: string; note: string }>('POST', `${base}/follow-ups`);
  const complete = useCommand<{ note?: string }>('POST', `${base}/completion`);
  const refresh = () => client.invalidateQueries({ queryKey: measuresKey(teamId) });
  return (
    <div className="stack">
      <KolForm
        _on={{
          onSubmit: () =>
            void followUp.run({ date: followDate, note }, { ifMatch: measure.revision }).then(async (result) => {
              if (!result) return;
              setNote('');
              setDone(t('Nachhaltung festgehalten.', 'Follow-up recorded.'));
              await refresh();
            }),
        }}
      >
        <div className="stack">
          <KolInputDate
            _type="date"
            _label={t('Datum der Nachhaltung', 'Date of the follow-up')}
            _value={isoValue(followDate)}
            _required
            _on={{ onInput: (_event: Event, next: unknown) => setFollowDate(textOf(next)) }}
            {...fieldProps(followUp.fieldMessage('date'), pick)}
          />
          <KolTextarea
            _label={t('Stand der Umsetzung', 'Progress')}
            _value={note}
            _required
            _rows={2}
            _on={{ onInput: (_event: Event, next: unknown) => setNote(textOf(next)) }}
            {...fieldProps(followUp.fieldMessage('note'), pick)}
          />
          {followUp.error && !followUp.fieldMessage('date') && !followUp.fieldMessage('note') ? (
            <ErrorAlert error={followUp.error} />
          ) : null}
          <KolButton
            _type="submit"
            _label={t('Nachhaltung festhalten', 'Record follow-up')}
            _disabled={followUp.pending}
          />
        </div>
      </KolForm>
      <KolButton
        _label={t('Als erledigt abschließen', 'Mark as completed')}
        _variant="secondary"
        _disabled={complete.pending}
        _on={{
          onClick: () =>
            void complete.run({}, { ifMatch: measure.revision }).then(async (result) => {
              if (!result) return;
              setDone(t('Maßnahme erledigt.', 'Measure completed.'));
              await refresh();
            }),
        }}
      />
      {complete.error ? <ErrorAlert error={complete.error} /> : null}
      {done ? <Success>{done}</Success> : null}
    </div>
  );
}
