import { KolButton, KolForm, KolInputCheckbox, KolInputDate, KolTextarea } from '@public-ui/react-v19';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, get } from '../../api';
import { useCommand } from '../../commands';
import { useTexts, type Texts } from '../../i18n';
import { DataTable, ErrorAlert, isoValue, Loading, Page, Section, Success } from '../../ui';
import type { ProgrammeView } from '../area/types';
import { CommandError, fieldProps, messageFor, textOf } from '../../forms';

interface ToleranceTest {
  readonly from: string;
  readonly to: string;
  readonly reviews: number;
  readonly withErrors: number;
  readonly rate: number | null;
  readonly upperBound: number | null;
  readonly tolerancePercent: number;
  readonly belowTolerance: boolean;
  readonly rule: string;
}

interface RoutineView {
  readonly programmeId: string;
  readonly title: string;
  readonly areaId: string;
  readonly collectsErrorRates: boolean;
  readonly status: 'active' | 'suspended';
  readonly suspension: { readonly since: string; readonly recheckOn: string; readonly reason?: string } | null;
  readonly recheckOverdue: boolean;
  readonly toleranceTest: ToleranceTest | null;
  readonly revision: number | null;
}

const routineKey = (id: string) => ['routine', id];

/** Management: the review routines (one per programme), to judge against the tolerance and suspend. */
export function RoutinesPage() {
  const { t } = useTexts();
  const programmes = useQuery({
    queryKey: ['programmes'],
    queryFn: ({ signal }) => get<{ items: ProgrammeView[] }>('/api/v1/programmes', signal),
  });
  return (
    <Page title={t('Prüfroutinen', 'Review routines')}>
      <p>
        {t(
          'Eine Prüfroutine eines Prüfplans, der Fehlerquoten erhebt, kann ausgesetzt werden, wenn ihre Fehlerquote unter der Toleranz liegt – immer mit einem Datum der Überprüfung.',
          'A routine of a programme that collects error rates may be suspended when its error rate lies below the tolerance – always with a re-check date.',
        )}
      </p>
      {programmes.isPending ? <Loading /> : null}
      {programmes.error ? <ErrorAlert error={programmes.error} /> : null}
      {programmes.data ? (
        <DataTable
          label={t('Prüfroutinen', 'Review routines')}
          columns={[
            {
              key: 'title',
              label: t('Prüfplan', 'Programme'),
              href: (row) => `/jobcenter/pruefroutinen/${String(row['id'])}`,
            },
            { key: 'area', label: t('Bereich', 'Area') },
            { key: 'rates', label: t('Fehlerquoten', 'Error rates') },
          ]}
          rows={programmes.data.items.map((programme) => ({
            id: programme.id,
            title: programme.settings.title,
            area: programme.areaId,
            rates:
              programme.settings.errorRatePolicy.kind === 'collect'
                ? t(
                    `erhoben, Toleranz ${programme.settings.errorRatePolicy.tolerancePercent} %`,
                    `collected, tolerance ${programme.settings.errorRatePolicy.tolerancePercent} %`,
                  )
                : t('nicht erhoben', 'not collected'),
          }))}
        />
      ) : null}
    </Page>
  );
}

export function RoutinePage({ programmeId }: { readonly programmeId: string }) {
  const texts = useTexts();
  const { t, date, language } = texts;
  const routine = useQuery({
    queryKey: routineKey(programmeId),
    queryFn: ({ signal }) => get<RoutineView>(`/api/v1/routines/${encodeURIComponent(programmeId)}`, signal),
  });
  if (routine.isPending) return <Loading />;
  if (routine.error) return <ErrorAlert error={routine.error} />;
  const data = routine.data;
  const percent = (value: number | null) =>
    value === null
      ? '–'
      : `${(value * 100).toLocaleString(language === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 1 })} %`;
  return (
    <Page title={t(`Prüfroutine: ${data.title}`, `Review routine: ${data.title}`)}>
      <dl className="facts">
        <dt>{t('Stand', 'Status')}</dt>
        <dd>
          {data.status === 'suspended' && data.suspension
            ? t(
                `ausgesetzt seit ${date(data.suspension.since)}, Überprüfung bis ${date(data.suspension.recheckOn)}`,
                `suspended since ${date(data.suspension.since)}, re-check by ${date(data.suspension.recheckOn)}`,
              ) + (data.recheckOverdue ? ` – ${t('Überprüfung überfällig', 're-check overdue')}` : '')
            : t('aktiv', 'active')}
        </dd>
        <dt>{t('Fehlerquoten', 'Error rates')}</dt>
        <dd>
          {data.collectsErrorRates
            ? t('erhoben', 'collected')
            : t('nicht erhoben (keine Aussetzung nach Toleranz)', 'not collected (no suspension by tolerance)')}
        </dd>
      </dl>
      {data.toleranceTest ? (
        <Section title={t('Toleranztest', 'Tolerance test')}>
          <DataTable
            label={t('Toleranztest', 'Tolerance test')}
            columns={[
              { key: 'months', label: t('Monate', 'Months') },
              { key: 'reviews', label: t('Prüfungen (mit Fehlern)', 'Reviews (with errors)'), align: 'right' },
              { key: 'rate', label: t('Fehlerquote', 'Error rate'), align: 'right' },
              { key: 'bound', label: t('Obere Schranke', 'Upper bound'), align: 'right' },
              { key: 'tolerance', label: t('Toleranz', 'Tolerance'), align: 'right' },
              { key: 'result', label: t('Ergebnis', 'Result') },
            ]}
            rows={[
              {
                months: `${data.toleranceTest.from} – ${data.toleranceTest.to}`,
                reviews: `${data.toleranceTest.reviews} (${data.toleranceTest.withErrors})`,
                rate: percent(data.toleranceTest.rate),
                bound: percent(data.toleranceTest.upperBound),
                tolerance: `${data.toleranceTest.tolerancePercent} %`,
                result: data.toleranceTest.belowTolerance
                  ? t('unter der Toleranz: Aussetzung möglich', 'below tolerance: may be suspended')
                  : t('nicht unter der Toleranz', 'not below tolerance'),
              },
            ]}
          />
        </Section>
      ) : null}
      {data.collectsErrorRates ? <Decide routine={data} texts={texts} /> : null}
    </Page>
  );
}

function Decide({ routine, texts }: { readonly routine: RoutineView; readonly texts: Texts }) {
  const { t, pick } = texts;
  const client = useQueryClient();
  const suspended = routine.status === 'suspended';
  const [recheckOn, setRecheckOn] = useState('');
  const [reason, setReason] = useState('');
  const [against, setAgainst] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const base = `/api/v1/routines/${encodeURIComponent(routine.programmeId)}`;
  const suspend = useCommand<Record<string, unknown>>(
    'POST',
    `${base}/${suspended ? 'suspension-renewal' : 'suspension'}`,
  );
  const resume = useCommand<{ reason: string }>('POST', `${base}/resumption`);
  const ifMatch = routine.revision === null ? {} : { ifMatch: routine.revision };
  const refresh = () => client.invalidateQueries({ queryKey: routineKey(routine.programmeId) });
  // Someone else decided meanwhile (412): the latest routine is loaded, what the user typed stays.
  const reloadKeepingInput = async () => {
    await refresh();
    suspend.reset();
    resume.reset();
  };
  const submitSuspension = async () => {
    setDone(null);
    const result = await suspend.run(
      { recheckOn, reason, ...(against ? { againstToleranceTest: true } : {}) },
      ifMatch,
    );
    if (result) {
      setReason('');
      setAgainst(false);
      setDone(
        suspended
          ? t('Aussetzung verlängert.', 'Suspension renewed.')
          : t('Prüfroutine ausgesetzt.', 'Routine suspended.'),
      );
      await refresh();
    }
  };
  const submitResumption = async () => {
    setDone(null);
    const result = await resume.run({ reason }, ifMatch);
    if (result) {
      setReason('');
      setDone(t('Prüfroutine wieder aufgenommen.', 'Routine resumed.'));
      await refresh();
    }
  };
  // A 422 carries the failed test: management may confirm deciding against it.
  const failedTest = suspend.error instanceof ApiError && suspend.error.status === 422;
  return (
    <Section
      title={
        suspended
          ? t('Aussetzung verlängern oder Routine wieder aufnehmen', 'Renew the suspension or resume')
          : t('Prüfroutine aussetzen', 'Suspend the routine')
      }
    >
      <KolForm _on={{ onSubmit: () => void submitSuspension() }}>
        <div className="stack">
          <KolInputDate
            _type="date"
            _label={t('Überprüfung spätestens am', 'Re-check by')}
            _value={isoValue(recheckOn)}
            _required
            _on={{ onInput: (_event: Event, value: unknown) => setRecheckOn(textOf(value)) }}
            {...fieldProps(messageFor(suspend.error, 'recheckOn'), pick)}
          />
          <KolTextarea
            _label={t('Begründung der Geschäftsführung', 'Management’s reason')}
            _value={reason}
            _required
            _rows={3}
            _on={{ onInput: (_event: Event, value: unknown) => setReason(textOf(value)) }}
            {...fieldProps(messageFor(suspend.error, 'reason') ?? messageFor(resume.error, 'reason'), pick)}
          />
          {failedTest || against ? (
            <KolInputCheckbox
              _label={t(
                'Gegen den nicht bestandenen Toleranztest entscheiden',
                'Decide against the failed tolerance test',
              )}
              _checked={against}
              _value="against"
              _on={{ onInput: (_event: Event, value: unknown) => setAgainst(value === true || value === 'against') }}
            />
          ) : null}
          <CommandError command={suspend} fields={['recheckOn', 'reason']} onReload={reloadKeepingInput} />
          {suspend.conflict ? null : (
            <CommandError command={resume} fields={['reason']} onReload={reloadKeepingInput} />
          )}
          {done ? <Success>{done}</Success> : null}
          <div className="row">
            <KolButton
              _type="submit"
              _variant="primary"
              _label={suspended ? t('Aussetzung verlängern', 'Renew suspension') : t('Aussetzen', 'Suspend')}
              _disabled={suspend.pending}
            />
            {suspended ? (
              <KolButton
                _label={t('Wieder aufnehmen', 'Resume')}
                _disabled={resume.pending}
                _on={{ onClick: () => void submitResumption() }}
              />
            ) : null}
          </div>
        </div>
      </KolForm>
    </Section>
  );
}
