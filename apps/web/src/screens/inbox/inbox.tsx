import { KolButton } from '@public-ui/react-v19';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../../api';
import { useCommand } from '../../commands';
import { useTexts, type Texts } from '../../i18n';
import { hasRole, type Session } from '../../session';
import { DataTable, ErrorAlert, Loading, Page, Section, Success } from '../../ui';
import { screenPathOf } from './paths';

/** `GET /api/v1/inbox` (apps/api/src/inbox/deadline-calendar.ts `Inbox`). */
export interface InboxEntry {
  readonly kind: string;
  readonly ref: string;
  readonly dueDate: string;
  readonly status: 'due' | 'overdue';
  readonly path: string;
  readonly unit: string | null;
}

export interface InboxView {
  readonly today: string;
  readonly horizonDays: number;
  readonly deadlines: readonly InboxEntry[];
  readonly counts: readonly {
    readonly kind: string;
    readonly label: { readonly de: string; readonly en: string };
    readonly due: number;
    readonly overdue: number;
  }[];
}

/** `POST /api/v1/inbox/digest` (apps/api/src/inbox/deadline-digest.ts `DigestRun`). */
interface DigestRun {
  readonly date: string;
  readonly recipients: number;
  readonly queued: number;
  readonly mailEnabled: boolean;
}

export const INBOX_KEY = ['inbox'];

const statusText = (status: InboxEntry['status'], t: Texts['t']) =>
  status === 'overdue' ? t('überfällig', 'overdue') : t('fällig', 'due');

/**
 * Each person's deadlines (issue 12, item 4): what is overdue or falls due within the horizon, of the
 * kinds the person may act on (the API filters by the policy). Counts per kind, then every deadline by
 * its due date with a link to the screen where it is worked on. Management may queue today's e-mail
 * digest now.
 */
export function InboxPage({ session }: { readonly session: Session }) {
  const texts = useTexts();
  const { t, date, language } = texts;
  const inbox = useQuery({
    queryKey: INBOX_KEY,
    queryFn: ({ signal }) => get<InboxView>('/api/v1/inbox', signal),
  });
  const data = inbox.data;
  const labelOf = (kind: string) => {
    const label = data?.counts.find((count) => count.kind === kind)?.label;
    return label ? label[language] : kind;
  };
  const unitText = (unit: string | null) => unit ?? t('ganzes Jobcenter', 'whole Jobcenter');
  const sorted = [...(data?.deadlines ?? [])].sort(
    (a, b) => a.dueDate.localeCompare(b.dueDate) || a.kind.localeCompare(b.kind) || a.ref.localeCompare(b.ref),
  );
  const rows = sorted.map((deadline) => ({ deadline, href: screenPathOf(deadline) }));
  const linked = rows.filter((row) => row.href !== null);
  const unlinked = rows.filter((row) => row.href === null);
  const overdue = sorted.filter((deadline) => deadline.status === 'overdue').length;
  const rowOf = (deadline: InboxEntry, href: string | null) => ({
    dueDate: date(deadline.dueDate),
    status: statusText(deadline.status, t),
    kind: labelOf(deadline.kind),
    unit: unitText(deadline.unit),
    task: `${labelOf(deadline.kind)} – ${unitText(deadline.unit)}, ${statusText(deadline.status, t)} ${t('am', 'on')} ${date(deadline.dueDate)}`,
    href: href ?? '',
  });
  const columns = [
    { key: 'dueDate', label: t('Fällig am', 'Due on') },
    { key: 'status', label: t('Stand', 'Status') },
    { key: 'kind', label: t('Art', 'Kind') },
    { key: 'unit', label: t('Einheit', 'Unit') },
  ] as const;
  return (
    <Page title={t('Posteingang', 'Inbox')}>
      {inbox.isPending ? <Loading /> : null}
      {inbox.error ? <ErrorAlert error={inbox.error} /> : null}
      {data ? (
        <>
          <p>
            {t(
              `Stand ${date(data.today)}: Ihre überfälligen Fristen und alle, die in den nächsten ${data.horizonDays} Tagen fällig werden.`,
              `As of ${date(data.today)}: your overdue deadlines and all falling due within the next ${data.horizonDays} days.`,
            )}
          </p>
          {sorted.length === 0 ? (
            <p>
              {t(
                'Keine Fristen – nichts ist überfällig oder bald fällig.',
                'No deadlines – nothing is overdue or due soon.',
              )}
            </p>
          ) : (
            <>
              <p>
                <strong>
                  {t(
                    `${overdue} überfällig, ${sorted.length - overdue} fällig`,
                    `${overdue} overdue, ${sorted.length - overdue} due`,
                  )}
                </strong>
              </p>
              <Section title={t('Fristen nach Art', 'Deadlines by kind')}>
                <DataTable
                  label={t('Anzahl der Fristen nach Art', 'Number of deadlines by kind')}
                  columns={[
                    { key: 'kind', label: t('Art', 'Kind') },
                    { key: 'overdue', label: t('Überfällig', 'Overdue'), align: 'right' },
                    { key: 'due', label: t('Fällig', 'Due'), align: 'right' },
                  ]}
                  rows={data.counts.map((count) => ({
                    kind: count.label[language],
                    overdue:
                      count.overdue > 0
                        ? t(`${count.overdue} überfällig`, `${count.overdue} overdue`)
                        : t('keine', 'none'),
                    due: count.due,
                  }))}
                />
              </Section>
              <Section title={t('Fristen nach Fälligkeit', 'Deadlines by due date')}>
                {linked.length > 0 ? (
                  <DataTable
                    label={t('Fristen nach Fälligkeit', 'Deadlines by due date')}
                    columns={[
                      ...columns,
                      { key: 'task', label: t('Bearbeiten', 'Work on it'), href: (row) => row.href },
                    ]}
                    rows={linked.map((row) => rowOf(row.deadline, row.href))}
                  />
                ) : null}
                {unlinked.length > 0 ? (
                  <DataTable
                    label={t('Weitere Fristen (ohne eigene Seite)', 'Further deadlines (no screen of their own)')}
                    columns={columns}
                    rows={unlinked.map((row) => rowOf(row.deadline, null))}
                  />
                ) : null}
              </Section>
            </>
          )}
        </>
      ) : null}
      {hasRole(session, 'management') ? <SendDigest texts={texts} /> : null}
    </Page>
  );
}

/** Management: queue today's e-mail digest now (once per person and day; counts and a link only). */
function SendDigest({ texts }: { readonly texts: Texts }) {
  const { t, date } = texts;
  const send = useCommand<Record<string, never>>('POST', '/api/v1/inbox/digest');
  const [run, setRun] = useState<DigestRun | null>(null);
  const submit = async () => {
    setRun(null);
    const answer = await send.run({});
    if (answer) setRun(answer as unknown as DigestRun);
  };
  return (
    <Section title={t('E-Mail-Übersicht', 'E-mail digest')}>
      <p>
        {t(
          'Reiht die heutige Übersicht für alle mit Fristen ein (einmal je Person und Tag). Sie enthält nur Anzahlen und einen Link, keine Falldaten.',
          'Queues today’s digest for everyone with deadlines (once per person and day). It carries counts and a link only, no case data.',
        )}
      </p>
      <div>
        <KolButton
          _label={t('Heutige E-Mail-Übersicht senden', 'Send today’s e-mail digest')}
          _variant="primary"
          _disabled={send.pending}
          _on={{ onClick: () => void submit() }}
        />
      </div>
      {send.error ? <ErrorAlert error={send.error} /> : null}
      {run ? (
        <>
          <Success>
            {run.mailEnabled
              ? t(
                  `Übersicht vom ${date(run.date)}: ${run.recipients} Empfänger mit Fristen, ${run.queued} neu eingereiht.`,
                  `Digest of ${date(run.date)}: ${run.recipients} recipients with deadlines, ${run.queued} newly queued.`,
                )
              : t(
                  `Übersicht vom ${date(run.date)}: E-Mail-Versand ist nicht eingerichtet – nichts eingereiht.`,
                  `Digest of ${date(run.date)}: e-mail is not configured – nothing queued.`,
                )}
          </Success>
          <dl>
            <dt>{t('Empfänger mit Fristen', 'Recipients with deadlines')}</dt>
            <dd>{run.recipients}</dd>
            <dt>{t('Neu eingereiht', 'Newly queued')}</dt>
            <dd>{run.queued}</dd>
            <dt>{t('E-Mail-Versand', 'E-mail')}</dt>
            <dd>{run.mailEnabled ? t('eingerichtet', 'configured') : t('nicht eingerichtet', 'not configured')}</dd>
          </dl>
        </>
      ) : null}
    </Section>
  );
}
