import { KolButton, KolForm, KolInputDate, KolInputText, KolSelect } from '@public-ui/react-v19';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../../api';
import { useTexts, type Texts } from '../../i18n';
import { navigate } from '../../router';
import { hasRole, useSession, type Session } from '../../session';
import { DataTable, ErrorAlert, isoValue, Loading, Page, Section } from '../../ui';
import { Downloads } from './parts';
import { shiftMonth } from '../../calendar';
import { fieldProps, messageFor, textOf } from '../../forms';
import { ApproveCrossLevelReview, CloseCrossLevelReview, crossLevelReviewsKey } from './cross-level-approval';

interface Figures {
  readonly reviews: {
    readonly minimum: number;
    readonly sampled: number;
    readonly done: number;
    readonly percentOfMinimum: number | null;
  };
  readonly seriousDefects: { readonly reviews: number; readonly share: number | null };
  readonly defects: { readonly total: number; readonly perReview: number | null };
  readonly talksHeld: number;
  readonly measures: { readonly agreed: number };
}

interface Cell {
  readonly suppressed: boolean;
  readonly figures: Figures | null;
}

interface TrendView {
  readonly level: 'region' | 'national';
  readonly region: string | null;
  readonly granularity: 'month' | 'quarter';
  readonly from: string;
  readonly to: string;
  readonly minCellCount: number;
  readonly suppression: string;
  readonly tenants: readonly { readonly tenant: string; readonly region: string }[];
  readonly periods: readonly {
    readonly period: string;
    readonly jobcenters: readonly (Cell & { readonly tenant: string; readonly region: string })[];
    readonly total: Cell;
  }[];
}

export interface TrendQuery {
  readonly from: string;
  readonly to: string;
  readonly granularity: 'month' | 'quarter';
  readonly region: string;
}

export function trendQueryOf(query: URLSearchParams, thisMonth: string): TrendQuery {
  const month = /^\d{4}-(0[1-9]|1[0-2])$/;
  const from = query.get('von') ?? '';
  const to = query.get('bis') ?? '';
  return {
    from: month.test(from) ? from : shiftMonth(thisMonth, -11),
    to: month.test(to) ? to : thisMonth,
    granularity: query.get('raster') === 'quarter' ? 'quarter' : 'month',
    region: query.get('region') ?? '',
  };
}

export const trendsPath = (query: TrendQuery) => {
  const search = new URLSearchParams({ von: query.from, bis: query.to, raster: query.granularity });
  if (query.region !== '') search.set('region', query.region);
  return `/ebenen/trends?${search.toString()}`;
};

const apiQuery = (query: TrendQuery) => {
  const search = new URLSearchParams({ from: query.from, to: query.to, granularity: query.granularity });
  if (query.region !== '') search.set('region', query.region);
  return search.toString();
};

function percent(value: number | null, language: Texts['language']): string {
  return value === null
    ? '–'
    : `${new Intl.NumberFormat(language === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 1 }).format(value)} %`;
}

function decimal(value: number | null, language: Texts['language']): string {
  return value === null
    ? '–'
    : new Intl.NumberFormat(language === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 2 }).format(value);
}

/** Regional and central level: trend figures per Jobcenter of a region (or the nation), small cells suppressed. */
export function CrossLevelTrendsPage({ session, query }: { readonly session: Session; readonly query: TrendQuery }) {
  const { t, pick, language } = useTexts();
  const [draft, setDraft] = useState(query);
  const trends = useQuery({
    queryKey: ['oversight', 'cross-level-trends', query],
    queryFn: ({ signal }) => get<TrendView>(`/api/v1/cross-level/trends?${apiQuery(query)}`, signal),
  });
  const msg = (field: string) => fieldProps(messageFor(trends.error, field), pick);
  const suppressed = t('unterdrückt', 'suppressed');
  const view = trends.data;
  return (
    <Page title={t('Ebenenübergreifende Entwicklung', 'Cross-level trends')}>
      <KolForm _on={{ onSubmit: () => navigate(trendsPath(draft), { replace: true }) }}>
        <div className="stack">
          <div className="row">
            <KolInputDate
              _type="month"
              _label={t('Von', 'From')}
              _value={isoValue(draft.from)}
              _on={{
                onInput: (_event: Event, next: unknown) => setDraft((current) => ({ ...current, from: textOf(next) })),
              }}
              {...msg('from')}
            />
            <KolInputDate
              _type="month"
              _label={t('Bis', 'To')}
              _value={isoValue(draft.to)}
              _on={{
                onInput: (_event: Event, next: unknown) => setDraft((current) => ({ ...current, to: textOf(next) })),
              }}
              {...msg('to')}
            />
            <KolSelect
              _label={t('Raster', 'Granularity')}
              _options={[
                { label: t('Monate', 'Months'), value: 'month' },
                { label: t('Quartale', 'Quarters'), value: 'quarter' },
              ]}
              _value={[draft.granularity]}
              _on={{
                onChange: (_event: Event, next: unknown) =>
                  setDraft((current) => ({
                    ...current,
                    granularity: (Array.isArray(next) ? next[0] : next) === 'quarter' ? 'quarter' : 'month',
                  })),
              }}
            />
            {hasRole(session, 'central') ? (
              <KolInputText
                _label={t('Region (leer: bundesweit)', 'Region (empty: nationwide)')}
                _value={draft.region}
                _on={{
                  onInput: (_event: Event, next: unknown) =>
                    setDraft((current) => ({ ...current, region: textOf(next) })),
                }}
                {...msg('region')}
              />
            ) : null}
          </div>
          <KolButton _type="submit" _variant="primary" _label={t('Anzeigen', 'Show')} />
        </div>
      </KolForm>
      {trends.isPending ? <Loading /> : null}
      {trends.error ? <ErrorAlert error={trends.error} /> : null}
      {view ? (
        <>
          <p>
            {view.level === 'region'
              ? t(
                  `Region ${view.region ?? ''}: ${view.tenants.length} Jobcenter.`,
                  `Region ${view.region ?? ''}: ${view.tenants.length} Jobcenters.`,
                )
              : t(`Bundesweit: ${view.tenants.length} Jobcenter.`, `Nationwide: ${view.tenants.length} Jobcenters.`)}
          </p>
          <p className="muted" id="suppression-note">
            {pick(view.suppression)}
          </p>
          <DataTable
            label={t('Kennzahlen je Jobcenter und Zeitraum', 'Figures per Jobcenter and period')}
            columns={[
              { key: 'period', label: t('Zeitraum', 'Period') },
              { key: 'jobcenter', label: t('Jobcenter', 'Jobcenter') },
              { key: 'done', label: t('Prüfungen erledigt / gezogen', 'Reviews done / sampled'), align: 'right' },
              { key: 'minimum', label: t('% der Mindestzahl', '% of minimum'), align: 'right' },
              {
                key: 'serious',
                label: t('Anteil mit gravierenden Mängeln', 'Share with serious defects'),
                align: 'right',
              },
              { key: 'perReview', label: t('Mängel je Prüfung', 'Defects per review'), align: 'right' },
              { key: 'talks', label: t('Gespräche', 'Talks'), align: 'right' },
            ]}
            rows={view.periods.flatMap((period) =>
              [...period.jobcenters, { ...period.total, tenant: t('Summe', 'Total'), region: '' }].map((cell) => {
                const figures = cell.figures;
                return {
                  period: period.period,
                  jobcenter: cell.tenant,
                  done:
                    cell.suppressed || !figures ? suppressed : `${figures.reviews.done} / ${figures.reviews.sampled}`,
                  minimum:
                    cell.suppressed || !figures ? suppressed : percent(figures.reviews.percentOfMinimum, language),
                  serious:
                    cell.suppressed || !figures
                      ? suppressed
                      : percent(
                          figures.seriousDefects.share === null ? null : figures.seriousDefects.share * 100,
                          language,
                        ),
                  perReview: cell.suppressed || !figures ? suppressed : decimal(figures.defects.perReview, language),
                  talks: cell.suppressed || !figures ? suppressed : figures.talksHeld,
                };
              }),
            )}
          />
          <Downloads
            links={[
              {
                label: t('Kennzahlen als CSV herunterladen', 'Download the figures as CSV'),
                href: `/api/v1/cross-level/trends.csv?${apiQuery(query)}`,
              },
            ]}
          />
        </>
      ) : null}
    </Page>
  );
}

interface Approval {
  readonly id: string;
  readonly kind: 'calibration' | 'risk-based';
  readonly scope:
    | { readonly kind: 'tenants'; readonly tenants: readonly string[] }
    | { readonly kind: 'region'; readonly region: string };
  readonly customerProcess: string;
  readonly questionnaireId: string | null;
  readonly fromMonth: string;
  readonly toMonth: string;
  readonly basis: string;
  readonly approvedOn: string;
  readonly closedOn: string | null;
  readonly closeBasis?: string | null;
  readonly showsCopiesUntil: string;
  readonly status: string;
  readonly tenantsInReach: readonly string[];
}

interface CaseCopy {
  readonly caseId: string;
  readonly tenant: string;
  readonly month: string;
  readonly questionnaireId: string;
  readonly questionnaireVersion: number;
  readonly outcome: string | null;
  readonly answers: readonly { readonly questionId: string; readonly answer: unknown }[];
  readonly defects: readonly { readonly category?: string; readonly severity?: string }[];
  readonly talks: number;
}

export const crossLevelReviewPath = (id: string) => `/ebenen/betrachtungen/${encodeURIComponent(id)}`;

function kindName(kind: Approval['kind'], t: Texts['t']): string {
  return kind === 'calibration'
    ? t('Kalibrierung', 'Calibration')
    : t('Risikoorientierte Betrachtung', 'Risk-based review');
}

function statusName(status: string, t: Texts['t']): string {
  const names: Record<string, string> = {
    open: t('läuft', 'open'),
    closed: t('beendet', 'closed'),
    expired: t('abgelaufen', 'expired'),
    pending: t('noch nicht begonnen', 'not started'),
  };
  return names[status] ?? status;
}

/** Regional and central level: the approved cross-level reviews they take part in; the central level approves. */
export function CrossLevelReviewsPage() {
  const { t, date } = useTexts();
  const { session } = useSession();
  const list = useQuery({
    queryKey: crossLevelReviewsKey,
    queryFn: ({ signal }) => get<{ reviews: Approval[] }>('/api/v1/cross-level-reviews', signal),
  });
  return (
    <Page title={t('Ebenenübergreifende Fallbetrachtungen', 'Cross-level case reviews')}>
      <p>
        {t(
          'Pseudonymisierte Abschriften abgeschlossener Prüfungen, nur auf Grundlage einer Genehmigung der Zentrale.',
          'Pseudonymised copies of completed reviews, only on the basis of an approval by the central level.',
        )}
      </p>
      {list.isPending ? <Loading /> : null}
      {list.error ? <ErrorAlert error={list.error} /> : null}
      {list.data ? (
        list.data.reviews.length === 0 ? (
          <p>
            {t('Keine genehmigten Betrachtungen, an denen Sie teilnehmen.', 'No approved reviews you take part in.')}
          </p>
        ) : (
          <DataTable
            label={t('Genehmigte Betrachtungen', 'Approved reviews')}
            columns={[
              { key: 'basis', label: t('Grundlage', 'Basis'), href: (row) => crossLevelReviewPath(String(row['id'])) },
              { key: 'kind', label: t('Art', 'Kind') },
              { key: 'scope', label: t('Umfang', 'Scope') },
              { key: 'process', label: t('Kundenprozess', 'Customer process') },
              { key: 'months', label: t('Monate', 'Months') },
              { key: 'status', label: t('Stand', 'Status') },
              { key: 'approved', label: t('Genehmigt am', 'Approved on') },
            ]}
            rows={list.data.reviews.map((review) => ({
              id: review.id,
              basis: review.basis,
              kind: kindName(review.kind, t),
              scope:
                review.scope.kind === 'region'
                  ? t(`Region ${review.scope.region}`, `Region ${review.scope.region}`)
                  : review.scope.tenants.join(', '),
              process: review.customerProcess,
              months: `${review.fromMonth} – ${review.toMonth}`,
              status: statusName(review.status, t),
              approved: date(review.approvedOn),
            }))}
          />
        )
      ) : null}
      {hasRole(session, 'central') ? <ApproveCrossLevelReview detailPath={crossLevelReviewPath} /> : null}
    </Page>
  );
}

function answerName(answer: unknown, t: Texts['t']): string {
  const value = typeof answer === 'object' && answer !== null && 'value' in answer ? answer.value : answer;
  const names: Record<string, string> = {
    yes: t('ja', 'yes'),
    no: t('nein', 'no'),
    na: t('entfällt', 'not applicable'),
    'goal-directed': t('zielgerichtet', 'goal-directed'),
    'not-goal-directed': t('nicht zielgerichtet', 'not goal-directed'),
  };
  return typeof value === 'string' ? (names[value] ?? value) : JSON.stringify(value);
}

/** One cross-level review: its approval and the pseudonymised copies in its scope. */
export function CrossLevelReviewPage({ id }: { readonly id: string }) {
  const texts = useTexts();
  const { t, date } = texts;
  const { session } = useSession();
  const client = useQueryClient();
  const approval = useQuery({
    queryKey: ['oversight', 'cross-level-review', id],
    queryFn: ({ signal }) => get<Approval>(`/api/v1/cross-level-reviews/${encodeURIComponent(id)}`, signal),
  });
  const cases = useQuery({
    queryKey: ['oversight', 'cross-level-review', id, 'cases'],
    queryFn: ({ signal }) =>
      get<{ status: string; cases: CaseCopy[] }>(`/api/v1/cross-level-reviews/${encodeURIComponent(id)}/cases`, signal),
  });
  const title = approval.data
    ? t(
        `${kindName(approval.data.kind, t)}: ${approval.data.customerProcess}`,
        `${kindName(approval.data.kind, t)}: ${approval.data.customerProcess}`,
      )
    : t('Ebenenübergreifende Fallbetrachtung', 'Cross-level case review');
  return (
    <Page title={title}>
      {approval.isPending ? <Loading /> : null}
      {approval.error ? <ErrorAlert error={approval.error} /> : null}
      {approval.data ? (
        <dl className="facts">
          <dt>{t('Grundlage', 'Basis')}</dt>
          <dd>{approval.data.basis}</dd>
          <dt>{t('Genehmigt am', 'Approved on')}</dt>
          <dd>{date(approval.data.approvedOn)}</dd>
          <dt>{t('Monate', 'Months')}</dt>
          <dd>
            {approval.data.fromMonth} – {approval.data.toMonth}
          </dd>
          <dt>{t('Stand', 'Status')}</dt>
          <dd>{statusName(approval.data.status, t)}</dd>
          {approval.data.closedOn !== null ? (
            <>
              <dt>{t('Beendet am', 'Closed on')}</dt>
              <dd>
                {date(approval.data.closedOn)}
                {approval.data.closeBasis ? ` – ${approval.data.closeBasis}` : ''}
              </dd>
            </>
          ) : null}
          <dt>{t('Abschriften sichtbar bis', 'Copies shown until')}</dt>
          <dd>{date(approval.data.showsCopiesUntil)}</dd>
          <dt>{t('Beteiligte Jobcenter', 'Jobcenters taking part')}</dt>
          <dd>{approval.data.tenantsInReach.join(', ') || '–'}</dd>
        </dl>
      ) : null}
      {approval.data && hasRole(session, 'central') ? (
        <CloseCrossLevelReview
          id={id}
          closed={approval.data.closedOn !== null}
          onClosed={async () => {
            await client.invalidateQueries({ queryKey: ['oversight', 'cross-level-review', id] });
            await client.invalidateQueries({ queryKey: crossLevelReviewsKey });
          }}
        />
      ) : null}
      <Section title={t('Pseudonymisierte Fälle', 'Pseudonymised cases')}>
        {cases.isPending ? <Loading /> : null}
        {cases.error ? <ErrorAlert error={cases.error} /> : null}
        {cases.data ? (
          cases.data.cases.length === 0 ? (
            <p>{t('Keine Abschriften in diesem Umfang.', 'No copies in this scope.')}</p>
          ) : (
            <>
              <DataTable
                label={t('Fälle (Pseudonym je Genehmigung)', 'Cases (pseudonym per approval)')}
                columns={[
                  { key: 'case', label: t('Fall (Pseudonym)', 'Case (pseudonym)') },
                  { key: 'tenant', label: t('Jobcenter', 'Jobcenter') },
                  { key: 'month', label: t('Monat', 'Month') },
                  { key: 'outcome', label: t('Gesamtbewertung', 'Overall assessment') },
                  { key: 'answers', label: t('Geschlossene Antworten', 'Closed answers'), align: 'right' },
                  { key: 'defects', label: t('Mängel', 'Defects') },
                ]}
                rows={cases.data.cases.map((copy) => ({
                  case: copy.caseId.slice(0, 12),
                  tenant: copy.tenant,
                  month: copy.month,
                  outcome: copy.outcome === null ? '–' : answerName(copy.outcome, t),
                  answers: copy.answers.length,
                  defects:
                    copy.defects
                      .map(
                        (defect) =>
                          `${defect.category ?? '?'} (${defect.severity === 'serious' ? t('gravierend', 'serious') : t('gering', 'minor')})`,
                      )
                      .join('; ') || t('keine', 'none'),
                }))}
              />
              {cases.data.cases.map((copy) =>
                copy.answers.length > 0 ? (
                  <DataTable
                    key={copy.caseId}
                    label={t(
                      `Antworten im Fall ${copy.caseId.slice(0, 12)}`,
                      `Answers in case ${copy.caseId.slice(0, 12)}`,
                    )}
                    columns={[
                      { key: 'question', label: t('Frage (Kennung)', 'Question (id)') },
                      { key: 'answer', label: t('Antwort', 'Answer') },
                    ]}
                    rows={copy.answers.map((answer) => ({
                      question: answer.questionId,
                      answer: answerName(answer.answer, t),
                    }))}
                  />
                ) : null,
              )}
            </>
          )
        ) : null}
      </Section>
    </Page>
  );
}
