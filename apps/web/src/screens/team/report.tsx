import { KolButton, KolForm, KolLink, KolTextarea } from '@public-ui/react-v19';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, get } from '../../api';
import { useCommand } from '../../commands';
import { useTexts } from '../../i18n';
import { DataTable, ErrorAlert, Loading, Page, Section, Success } from '../../ui';
import { fieldProps, textOf } from '../../forms';

interface Figures {
  readonly reviewsSampled: number;
  readonly reviewsDone: number;
  readonly reviewsRequired: number;
  readonly goalDirected: number;
  readonly notGoalDirected: number;
  readonly defects: Readonly<Record<string, { readonly minor: number; readonly serious: number }>>;
  readonly seriousDefects: number;
  readonly financialLossDefects: number;
  readonly talksHeld: number;
  readonly teamDiscussionsHeld: number;
  readonly measuresAgreed: number;
  readonly measuresCompleted: number;
  readonly measuresOpen: number;
  readonly measuresOverdue: number;
  readonly asOf: string;
}

interface Draft {
  readonly status: 'submitted' | 'not-owed' | 'due' | 'overdue';
  readonly dueDate: string;
  readonly figures: Figures;
  readonly seriousDefects: readonly {
    readonly category: string;
    readonly legalNorm: string | null;
    readonly month: string;
  }[];
}

/**
 * Team lead: the quarterly report to the area head, anonymised (002:84). The draft is generated from the
 * read models; the team lead describes each serious defect without personal data, adds the assessment
 * and submits. With no serious defect the report states a nil return (Fehlanzeige). PDF and CSV once
 * submitted.
 */
export function ReportPage({
  teamId,
  year,
  quarter,
}: {
  readonly teamId: string;
  readonly year: number;
  readonly quarter: number;
}) {
  const { t, date, pick } = useTexts();
  const client = useQueryClient();
  const base = `/api/v1/teams/${encodeURIComponent(teamId)}/reports/${year}/Q${quarter}`;
  const draft = useQuery({
    queryKey: ['report-draft', teamId, year, quarter],
    queryFn: ({ signal }) => get<Draft>(`${base}/draft`, signal),
  });
  const [assessment, setAssessment] = useState('');
  const [descriptions, setDescriptions] = useState<Record<number, string>>({});
  const submit = useCommand<{
    assessment: string;
    seriousDefects: { category: string; legalNorm: string | null; description: string }[];
  }>('POST', `${base}/submission`);
  const [submitted, setSubmitted] = useState(false);
  const title = t(
    `Quartalsbericht ${teamId}, ${quarter}. Quartal ${year}`,
    `Quarterly report ${teamId}, Q${quarter} ${year}`,
  );
  if (draft.isPending) return <Loading />;
  if (draft.error) return <ErrorAlert error={draft.error} />;
  const data = draft.data;
  const figures = data.figures;
  const isSubmitted = submitted || data.status === 'submitted';
  const send = async () => {
    const result = await submit.run({
      assessment,
      seriousDefects: data.seriousDefects.map((defect, index) => ({
        category: defect.category,
        legalNorm: defect.legalNorm,
        description: descriptions[index] ?? '',
      })),
    });
    if (result) {
      setSubmitted(true);
      await client.invalidateQueries({ queryKey: ['report-draft', teamId, year, quarter] });
    }
  };
  const statusText = {
    submitted: t('eingereicht', 'submitted'),
    'not-owed': t('nicht geschuldet', 'not owed'),
    due: t(`fällig am ${date(data.dueDate)}`, `due on ${date(data.dueDate)}`),
    overdue: t(`überfällig seit ${date(data.dueDate)}`, `overdue since ${date(data.dueDate)}`),
  }[data.status];
  return (
    <Page title={title}>
      <p>
        {t('Stand', 'Status')}: {statusText}. {t('Zahlen zum', 'Figures as of')} {date(figures.asOf)}.
      </p>
      <DataTable
        label={t('Kennzahlen des Quartals', 'The quarter’s figures')}
        columns={[
          { key: 'figure', label: t('Kennzahl', 'Figure') },
          { key: 'value', label: t('Wert', 'Value'), align: 'right' },
        ]}
        rows={[
          {
            figure: t('Geprüfte Fälle (erforderlich)', 'Cases reviewed (required)'),
            value: `${figures.reviewsDone} (${figures.reviewsRequired})`,
          },
          { figure: t('Gezogene Fälle', 'Cases sampled'), value: figures.reviewsSampled },
          {
            figure: t('zielgerichtet / nicht zielgerichtet', 'goal-directed / not'),
            value: `${figures.goalDirected} / ${figures.notGoalDirected}`,
          },
          { figure: t('Gravierende Mängel', 'Serious defects'), value: figures.seriousDefects },
          {
            figure: t('Mängel mit Vermögensschaden (VfV)', 'Defects with financial loss (VfV)'),
            value: figures.financialLossDefects,
          },
          { figure: t('Einzelgespräche', 'One-on-one talks'), value: figures.talksHeld },
          { figure: t('Teambesprechungen', 'Team discussions'), value: figures.teamDiscussionsHeld },
          {
            figure: t('Maßnahmen vereinbart / erledigt', 'Measures agreed / completed'),
            value: `${figures.measuresAgreed} / ${figures.measuresCompleted}`,
          },
          {
            figure: t('Maßnahmen offen (überfällig)', 'Measures open (overdue)'),
            value: `${figures.measuresOpen} (${figures.measuresOverdue})`,
          },
        ]}
      />
      {Object.keys(figures.defects).length > 0 ? (
        <DataTable
          label={t('Mängel nach Kategorie', 'Defects by category')}
          columns={[
            { key: 'category', label: t('Kategorie', 'Category') },
            { key: 'minor', label: t('gering', 'minor'), align: 'right' },
            { key: 'serious', label: t('gravierend', 'serious'), align: 'right' },
          ]}
          rows={Object.entries(figures.defects).map(([category, counts]) => ({
            category,
            minor: counts.minor,
            serious: counts.serious,
          }))}
        />
      ) : null}
      {isSubmitted ? (
        <Section title={t('Eingereicht', 'Submitted')}>
          {submitted ? <Success>{t('Bericht eingereicht.', 'Report submitted.')}</Success> : null}
          <div className="row">
            <KolLink
              _href={`${base}.pdf`}
              _label={t('Bericht als PDF', 'Report as PDF')}
              _download={`bericht-${teamId}-${year}-Q${quarter}.pdf`}
            />
            <KolLink
              _href={`${base}.csv`}
              _label={t('Bericht als CSV', 'Report as CSV')}
              _download={`bericht-${teamId}-${year}-Q${quarter}.csv`}
            />
          </div>
        </Section>
      ) : (
        <Section title={t('Bericht einreichen', 'Submit the report')}>
          <KolForm _on={{ onSubmit: () => void send() }}>
            <div className="stack">
              {data.seriousDefects.length === 0 ? (
                <p>
                  {t(
                    'Fehlanzeige: keine gravierenden Mängel im Quartal.',
                    'Nil return: no serious defects in the quarter.',
                  )}
                </p>
              ) : (
                data.seriousDefects.map((defect, index) => {
                  const message = submit.fieldMessage(`seriousDefects.${index}`);
                  return (
                    <KolTextarea
                      key={index}
                      _label={t(
                        `Gravierender Mangel ${index + 1}: ${defect.category}${defect.legalNorm ? `, ${defect.legalNorm}` : ''} – anonymisierte Beschreibung`,
                        `Serious defect ${index + 1}: ${defect.category}${defect.legalNorm ? `, ${defect.legalNorm}` : ''} – anonymised description`,
                      )}
                      _hint={t('Keine Namen, keine Kundennummern.', 'No names, no customer numbers.')}
                      _value={descriptions[index] ?? ''}
                      _required
                      _rows={2}
                      _on={{
                        onInput: (_event: Event, next: unknown) =>
                          setDescriptions((current) => ({ ...current, [index]: textOf(next) })),
                      }}
                      {...fieldProps(message, pick)}
                    />
                  );
                })
              )}
              <KolTextarea
                _label={t('Bewertung der Teamleitung', 'The team lead’s assessment')}
                _value={assessment}
                _required
                _rows={5}
                _on={{ onInput: (_event: Event, next: unknown) => setAssessment(textOf(next)) }}
                {...fieldProps(submit.fieldMessage('assessment'), pick)}
              />
              {submit.error && !(submit.error instanceof ApiError && submit.error.problem.errors?.length) ? (
                <ErrorAlert error={submit.error} />
              ) : null}
              <KolButton
                _type="submit"
                _variant="primary"
                _label={t('Bericht einreichen', 'Submit report')}
                _disabled={submit.pending}
              />
            </div>
          </KolForm>
        </Section>
      )}
    </Page>
  );
}
