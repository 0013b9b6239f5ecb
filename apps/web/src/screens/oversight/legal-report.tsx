import { KolButton, KolForm, KolInputRadio, KolInputText, KolLink, KolSelect, KolTextarea } from '@public-ui/react-v19';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, get } from '../../api';
import { useCommand } from '../../commands';
import { useTexts, type Texts } from '../../i18n';
import { navigate } from '../../router';
import { DataTable, ErrorAlert, Loading, Page, Section, Success } from '../../ui';
import { Downloads } from './parts';
import { lastEndedQuarter } from '../../calendar';
import { fieldProps, textOf } from '../../forms';
import {
  MonthFiguresTable,
  QuotaBreakdown,
  type QuotaPeriodView,
  QuotaShares,
  type QuotaTrendView,
  quotaPath,
} from './legal-quota-parts';

/** A typed count: a whole number as such, anything else unchanged (the API names the field). */
const count = (value: string): number | string => (/^\d+$/.test(value.trim()) ? Number(value.trim()) : value);

const REASONS = ['documentation', 'application-of-law', 'fact-finding', 'case-law', 'other'] as const;
type Reason = (typeof REASONS)[number];

interface Finding {
  readonly legalNorm: string;
  readonly reason: Reason;
  readonly teamId: string | null;
  readonly upheldAppeals: number;
  readonly avoidable: number;
  readonly note: string | null;
}

interface LegalReport {
  readonly year: number;
  readonly quarter: number;
  readonly nil: boolean;
  readonly findings: readonly Finding[];
  readonly assessment: string | null;
  readonly submittedAt: string;
  readonly submittedOn: string;
  readonly dueDate: string;
  readonly late: boolean;
  /** The avoidable-appeal quota of the quarter's months (small-cell rule applied to team cells). */
  readonly quota?: QuotaPeriodView;
}

const quarterMonths = (year: number, quarter: number) => {
  const first = (quarter - 1) * 3 + 1;
  return [0, 1, 2].map((offset) => `${year}-${String(first + offset).padStart(2, '0')}`);
};

/** The quarter's avoidable-appeal quota as the submitted report carries it. */
function ReportQuota({ quota, label }: { readonly quota: QuotaPeriodView; readonly label: string }) {
  const { t } = useTexts();
  return (
    <Section title={t('Widerspruchsquote des Quartals', 'Avoidable-appeal quota of the quarter')} level={3}>
      <QuotaShares quota={quota.quota} />
      <MonthFiguresTable
        label={t(`Widerspruchsquote je Monat ${label}`, `Avoidable-appeal quota per month ${label}`)}
        months={quota.months}
      />
      <QuotaBreakdown figures={quota} breakdown={quota} label={label} />
    </Section>
  );
}

/** Before the report is submitted: the quarter's quota from the monthly figures, which the report will carry. */
function QuarterQuotaPreview({ year, quarter }: { readonly year: number; readonly quarter: number }) {
  const { t } = useTexts();
  const months = quarterMonths(year, quarter);
  const trend = useQuery({
    queryKey: ['oversight', 'legal-quota-trend', months[0], months[2]],
    queryFn: ({ signal }) => get<QuotaTrendView>(`/api/v1/legal/quota?from=${months[0]}&to=${months[2]}`, signal),
  });
  return (
    <Section title={t('Widerspruchsquote des Quartals', 'Avoidable-appeal quota of the quarter')}>
      <p>
        {t(
          'Der Bericht enthält die Widerspruchsquote aus den Monatszahlen des Quartals.',
          'The report carries the avoidable-appeal quota from the quarter’s monthly figures.',
        )}
      </p>
      {trend.isPending ? <Loading /> : null}
      {trend.error ? <ErrorAlert error={trend.error} /> : null}
      {trend.data ? (
        <>
          <QuotaShares quota={trend.data.quota} />
          <MonthFiguresTable
            label={t(
              `Widerspruchsquote je Monat ${year}/Q${quarter}`,
              `Avoidable-appeal quota per month ${year}/Q${quarter}`,
            )}
            months={trend.data.months}
          />
        </>
      ) : null}
      <KolLink
        _href={quotaPath(trend.data?.months.find((month) => !month.recorded)?.month ?? months[2]!)}
        _label={t('Monatszahlen erfassen oder korrigieren', 'Record or correct the monthly figures')}
      />
    </Section>
  );
}

function reasonName(reason: Reason, t: Texts['t']): string {
  switch (reason) {
    case 'documentation':
      return t('Dokumentation', 'Documentation');
    case 'application-of-law':
      return t('Rechtsanwendung', 'Application of law');
    case 'fact-finding':
      return t('Sachverhaltsaufklärung', 'Fact-finding');
    case 'case-law':
      return t('Rechtsprechung', 'Case law');
    case 'other':
      return t('Sonstiges', 'Other');
  }
}

export const legalReportPath = (year: number, quarter: number) =>
  `/rechtsstelle/bericht?jahr=${year}&quartal=${quarter}`;

export function parsePeriod(query: URLSearchParams): { readonly year: number; readonly quarter: number } {
  const fallback = lastEndedQuarter();
  const year = Number(query.get('jahr'));
  const quarter = Number(query.get('quartal'));
  return Number.isInteger(year) && year >= 2000 && year <= 2099 && [1, 2, 3, 4].includes(quarter)
    ? { year, quarter }
    : fallback;
}

/** Legal department: its quarterly report to the area heads (findings from appeals and lawsuits) or the explicit nil report. */
export function LegalReportPage({ year, quarter }: { readonly year: number; readonly quarter: number }) {
  const texts = useTexts();
  const { t } = texts;
  const path = `/api/v1/legal/reports/${year}/Q${quarter}`;
  const report = useQuery({
    queryKey: ['oversight', 'legal-report', year, quarter],
    queryFn: async ({ signal }) => {
      try {
        return await get<LegalReport>(path, signal);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
  const years = Array.from({ length: 6 }, (_, index) => lastEndedQuarter().year - index);
  return (
    <Page title={t(`Bericht der Rechtsstelle ${year}/Q${quarter}`, `Legal department’s report ${year}/Q${quarter}`)}>
      <div className="row">
        <KolSelect
          _label={t('Jahr', 'Year')}
          _options={years.map((value) => ({ label: String(value), value }))}
          _value={[year]}
          _on={{
            onChange: (_event: Event, next: unknown) =>
              navigate(legalReportPath(Number(Array.isArray(next) ? next[0] : next), quarter), { replace: true }),
          }}
        />
        <KolSelect
          _label={t('Quartal', 'Quarter')}
          _options={[1, 2, 3, 4].map((value) => ({ label: `Q${value}`, value }))}
          _value={[quarter]}
          _on={{
            onChange: (_event: Event, next: unknown) =>
              navigate(legalReportPath(year, Number(Array.isArray(next) ? next[0] : next)), { replace: true }),
          }}
        />
      </div>
      {report.isPending ? <Loading /> : null}
      {report.error ? <ErrorAlert error={report.error} /> : null}
      {report.data ? <SubmittedReport report={report.data} path={path} texts={texts} /> : null}
      {report.data === null ? <ReportForm year={year} quarter={quarter} path={path} texts={texts} /> : null}
      {report.data === null ? <QuarterQuotaPreview year={year} quarter={quarter} /> : null}
    </Page>
  );
}

function SubmittedReport({
  report,
  path,
  texts,
}: {
  readonly report: LegalReport;
  readonly path: string;
  readonly texts: Texts;
}) {
  const { t, date } = texts;
  return (
    <Section title={t('Abgegebener Bericht', 'Submitted report')}>
      <dl className="facts">
        <dt>{t('Abgegeben am', 'Submitted on')}</dt>
        <dd>
          {date(report.submittedOn)}
          {report.late ? ` – ${t('verspätet', 'late')}` : ''}
        </dd>
        <dt>{t('Fällig am', 'Due on')}</dt>
        <dd>{date(report.dueDate)}</dd>
        <dt>{t('Art', 'Kind')}</dt>
        <dd>
          {report.nil
            ? t('Fehlanzeige (keine Feststellungen)', 'Nil report (no findings)')
            : t(`${report.findings.length} Feststellungen`, `${report.findings.length} findings`)}
        </dd>
        {report.assessment ? (
          <>
            <dt>{t('Erkenntnisse', 'Insights')}</dt>
            <dd>{report.assessment}</dd>
          </>
        ) : null}
      </dl>
      {report.findings.length > 0 ? (
        <DataTable
          label={t('Feststellungen', 'Findings')}
          columns={[
            { key: 'norm', label: t('Rechtsnorm', 'Legal norm') },
            { key: 'reason', label: t('Ursache', 'Reason') },
            { key: 'team', label: t('Team', 'Team') },
            { key: 'upheld', label: t('Stattgaben', 'Upheld appeals'), align: 'right' },
            { key: 'avoidable', label: t('davon vermeidbar', 'of which avoidable'), align: 'right' },
            { key: 'note', label: t('Hinweis', 'Note') },
          ]}
          rows={report.findings.map((finding) => ({
            norm: finding.legalNorm,
            reason: reasonName(finding.reason, t),
            team: finding.teamId ?? '–',
            upheld: finding.upheldAppeals,
            avoidable: finding.avoidable,
            note: finding.note ?? '–',
          }))}
        />
      ) : null}
      {report.quota ? <ReportQuota quota={report.quota} label={`${report.year}/Q${report.quarter}`} /> : null}
      <Downloads
        links={[
          { label: t('Bericht als PDF herunterladen', 'Download the report as PDF'), href: `${path}.pdf` },
          { label: t('Bericht als CSV herunterladen', 'Download the report as CSV'), href: `${path}.csv` },
        ]}
      />
    </Section>
  );
}

interface FindingDraft {
  readonly legalNorm: string;
  readonly reason: Reason;
  readonly teamId: string;
  /** As typed: whole numbers are sent as numbers, anything else as typed for the API to name. */
  readonly upheldAppeals: string;
  readonly avoidable: string;
  readonly note: string;
}

const EMPTY_FINDING: FindingDraft = {
  legalNorm: '',
  reason: 'documentation',
  teamId: '',
  upheldAppeals: '0',
  avoidable: '0',
  note: '',
};

function ReportForm({
  year,
  quarter,
  path,
  texts,
}: {
  readonly year: number;
  readonly quarter: number;
  readonly path: string;
  readonly texts: Texts;
}) {
  const { t, pick } = texts;
  const client = useQueryClient();
  const [kind, setKind] = useState<'' | 'nil' | 'findings'>('');
  const [findings, setFindings] = useState<FindingDraft[]>([EMPTY_FINDING]);
  const [assessment, setAssessment] = useState('');
  const [done, setDone] = useState(false);
  const submit = useCommand<Record<string, unknown>>('POST', path);
  const update = (index: number, change: Partial<FindingDraft>) =>
    setFindings((current) => current.map((finding, at) => (at === index ? { ...finding, ...change } : finding)));
  const send = async () => {
    const body =
      kind === 'nil'
        ? { nil: true, findings: [], ...(assessment.trim() ? { assessment: assessment.trim() } : {}) }
        : {
            nil: false,
            findings: findings.map((finding) => ({
              legalNorm: finding.legalNorm.trim(),
              reason: finding.reason,
              ...(finding.teamId.trim() ? { teamId: finding.teamId.trim() } : {}),
              upheldAppeals: count(finding.upheldAppeals),
              avoidable: count(finding.avoidable),
              ...(finding.note.trim() ? { note: finding.note.trim() } : {}),
            })),
            ...(assessment.trim() ? { assessment: assessment.trim() } : {}),
          };
    const result = await submit.run(body);
    if (result) {
      setDone(true);
      await client.invalidateQueries({ queryKey: ['oversight', 'legal-report', year, quarter] });
    }
  };
  const message = (field: string) => fieldProps(submit.fieldMessage(field), pick);
  const named = ['nil', 'findings', 'assessment'].some((field) => submit.fieldMessage(field));
  return (
    <Section title={t('Bericht abgeben', 'Submit the report')}>
      <p>
        {t(
          `Für ${year}/Q${quarter} liegt noch kein Bericht vor. Ohne Feststellungen ist eine ausdrückliche Fehlanzeige erforderlich.`,
          `No report for ${year}/Q${quarter} yet. Without findings an explicit nil report is required.`,
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
          <KolInputRadio
            _label={t('Art des Berichts', 'Kind of report')}
            _name="legal-report-kind"
            _required
            _options={[
              {
                label: t('Fehlanzeige: keine Feststellungen in diesem Quartal', 'Nil report: no findings this quarter'),
                value: 'nil',
              },
              { label: t('Bericht mit Feststellungen', 'Report with findings'), value: 'findings' },
            ]}
            _value={kind}
            _on={{
              onInput: (_event: Event, next: unknown) =>
                setKind(next === 'nil' ? 'nil' : next === 'findings' ? 'findings' : ''),
            }}
            {...message('nil')}
          />
          {kind === 'findings'
            ? findings.map((finding, index) => (
                <fieldset className="question" key={index}>
                  <legend>{t(`Feststellung ${index + 1}`, `Finding ${index + 1}`)}</legend>
                  <div className="stack">
                    <KolInputText
                      _label={t('Rechtsnorm', 'Legal norm')}
                      _hint={t('z. B. § 22 SGB II', 'e.g. § 22 SGB II')}
                      _required
                      _value={finding.legalNorm}
                      _on={{ onInput: (_event: Event, next: unknown) => update(index, { legalNorm: textOf(next) }) }}
                      {...message(`findings.${index}.legalNorm`)}
                    />
                    <KolSelect
                      _label={t('Ursache', 'Reason')}
                      _required
                      _options={REASONS.map((reason) => ({ label: reasonName(reason, t), value: reason }))}
                      _value={[finding.reason]}
                      _on={{
                        onChange: (_event: Event, next: unknown) =>
                          update(index, { reason: String(Array.isArray(next) ? next[0] : next) as Reason }),
                      }}
                      {...message(`findings.${index}.reason`)}
                    />
                    <KolInputText
                      _label={t('Team (optional)', 'Team (optional)')}
                      _value={finding.teamId}
                      _on={{ onInput: (_event: Event, next: unknown) => update(index, { teamId: textOf(next) }) }}
                      {...message(`findings.${index}.teamId`)}
                    />
                    <KolInputText
                      _label={t('Stattgegebene Widersprüche und Klagen', 'Upheld appeals and lawsuits')}
                      _required
                      _value={finding.upheldAppeals}
                      _on={{
                        onInput: (_event: Event, next: unknown) => update(index, { upheldAppeals: textOf(next) }),
                      }}
                      {...message(`findings.${index}.upheldAppeals`)}
                    />
                    <KolInputText
                      _label={t('davon vermeidbar', 'of which avoidable')}
                      _required
                      _value={finding.avoidable}
                      _on={{
                        onInput: (_event: Event, next: unknown) => update(index, { avoidable: textOf(next) }),
                      }}
                      {...message(`findings.${index}.avoidable`)}
                    />
                    <KolTextarea
                      _label={t('Hinweis (verschlüsselt gespeichert)', 'Note (stored encrypted)')}
                      _rows={2}
                      _value={finding.note}
                      _on={{ onInput: (_event: Event, next: unknown) => update(index, { note: textOf(next) }) }}
                      {...message(`findings.${index}.note`)}
                    />
                    {findings.length > 1 ? (
                      <KolButton
                        _label={t(`Feststellung ${index + 1} entfernen`, `Remove finding ${index + 1}`)}
                        _variant="secondary"
                        _on={{ onClick: () => setFindings((current) => current.filter((_, at) => at !== index)) }}
                      />
                    ) : null}
                  </div>
                </fieldset>
              ))
            : null}
          {kind === 'findings' ? (
            <KolButton
              _label={t('Weitere Feststellung', 'Another finding')}
              _variant="secondary"
              _on={{ onClick: () => setFindings((current) => [...current, EMPTY_FINDING]) }}
            />
          ) : null}
          <KolTextarea
            _label={t(
              'Erkenntnisse aus Klageverfahren und Rechtsprechung (optional)',
              'Insights from lawsuits and case law (optional)',
            )}
            _rows={4}
            _value={assessment}
            _on={{ onInput: (_event: Event, next: unknown) => setAssessment(textOf(next)) }}
            {...message('assessment')}
          />
          {submit.fieldMessage('findings') && kind !== 'findings' ? (
            <p role="alert">{pick(submit.fieldMessage('findings')!)}</p>
          ) : null}
          {submit.error && !named ? <ErrorAlert error={submit.error} /> : null}
          {done ? <Success>{t('Bericht abgegeben.', 'Report submitted.')}</Success> : null}
          <KolButton
            _type="submit"
            _variant="primary"
            _label={
              kind === 'nil' ? t('Fehlanzeige abgeben', 'Submit nil report') : t('Bericht abgeben', 'Submit report')
            }
            _disabled={submit.pending || kind === ''}
          />
        </div>
      </KolForm>
    </Section>
  );
}
