import { KolButton, KolInputDate } from '@public-ui/react-v19';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../../api';
import { useTexts, type Texts } from '../../i18n';
import { navigate } from '../../router';
import { DataTable, ErrorAlert, isoValue, Loading, Page, Section, Success } from '../../ui';
import { instant, shortId } from './parts';
import { reviewRecordPath } from './review-record';

interface Verification {
  readonly sampleId: string;
  readonly matches: boolean;
  readonly algorithm: string;
  readonly seed: string;
  readonly population: {
    readonly populationId: string;
    readonly recordedFingerprint: string;
    readonly recomputedFingerprint: string | null;
    readonly matches: boolean;
  };
  readonly cases: { readonly recorded: number; readonly matches: boolean };
  readonly coverageMatches: boolean;
  readonly eligible: number | null;
  readonly mismatches: readonly string[];
}

interface AuditedSample {
  readonly sampleId: string;
  readonly programmeId: string;
  readonly areaId: string;
  readonly teamId: string;
  readonly populationFingerprint: string;
  readonly algorithm: string;
  readonly n: number;
  readonly eligible: number;
  readonly drawnAt: string;
  readonly drawnByRole: string;
  readonly cases: readonly {
    readonly reviewId: string;
    readonly customerGroup: string;
    readonly rank: number;
    readonly origin: string;
    readonly status: 'active' | 'replaced';
  }[];
  readonly voided: unknown;
  readonly verification: Verification;
}

interface AuditedMonth {
  readonly month: string;
  readonly samples: readonly AuditedSample[];
  readonly summary: { readonly samples: number; readonly verified: number; readonly mismatched: number };
}

export const samplesPath = (month: string) => `/revision/stichproben?monat=${month}`;

/** Auditor: every sample of a month with what produced it, recomputed; a draw recomputed again on request. */
export function SampleVerificationPage({ month }: { readonly month: string }) {
  const texts = useTexts();
  const { t, month: monthName } = texts;
  const audited = useQuery({
    queryKey: ['oversight', 'samples', month],
    queryFn: ({ signal }) => get<AuditedMonth>(`/api/v1/audit/samples?month=${month}`, signal),
  });
  return (
    <Page title={t(`Stichprobenprüfung ${monthName(month)}`, `Sample verification ${monthName(month)}`)}>
      <KolInputDate
        _type="month"
        _label={t('Monat', 'Month')}
        _value={isoValue(month)}
        _on={{
          onChange: (_event: Event, value: unknown) => {
            if (typeof value === 'string' && /^\d{4}-\d{2}$/.test(value))
              navigate(samplesPath(value), { replace: true });
          },
        }}
      />
      {audited.isPending ? <Loading /> : null}
      {audited.error ? <ErrorAlert error={audited.error} /> : null}
      {audited.data ? (
        <>
          <p role="status">
            {t(
              `${audited.data.summary.samples} Stichproben, ${audited.data.summary.verified} bestätigt, ${audited.data.summary.mismatched} abweichend.`,
              `${audited.data.summary.samples} samples, ${audited.data.summary.verified} verified, ${audited.data.summary.mismatched} mismatched.`,
            )}
          </p>
          {audited.data.samples.length === 0 ? (
            <p>{t('Für diesen Monat gibt es keine Stichproben.', 'There are no samples for this month.')}</p>
          ) : (
            audited.data.samples.map((sample) => <SampleSection key={sample.sampleId} sample={sample} texts={texts} />)
          )}
        </>
      ) : null}
    </Page>
  );
}

function verdict(verification: Verification, t: Texts['t']): string {
  return verification.matches
    ? t('Ziehung bestätigt: gleiches Ergebnis', 'Draw verified: same result')
    : t(
        `Abweichung: ${verification.mismatches.join(', ') || 'siehe Angaben'}`,
        `Mismatch: ${verification.mismatches.join(', ') || 'see details'}`,
      );
}

function SampleSection({ sample, texts }: { readonly sample: AuditedSample; readonly texts: Texts }) {
  const { t, language } = texts;
  const [recompute, setRecompute] = useState(0);
  const again = useQuery({
    queryKey: ['oversight', 'verify', sample.sampleId, recompute],
    queryFn: ({ signal }) =>
      get<Verification>(
        `/api/v1/programmes/${encodeURIComponent(sample.programmeId)}/samples/${encodeURIComponent(sample.sampleId)}/verify`,
        signal,
      ),
    enabled: recompute > 0,
  });
  const verification = sample.verification;
  return (
    <Section title={t(`Stichprobe ${sample.teamId}`, `Sample ${sample.teamId}`)}>
      <dl className="facts">
        <dt>{t('Bereich', 'Area')}</dt>
        <dd>{sample.areaId}</dd>
        <dt>{t('Gezogen', 'Drawn')}</dt>
        <dd>
          {instant(sample.drawnAt, language)} ({sample.drawnByRole})
        </dd>
        <dt>{t('Umfang', 'Size')}</dt>
        <dd>{t(`${sample.n} von ${sample.eligible} Fällen`, `${sample.n} of ${sample.eligible} cases`)}</dd>
        <dt>{t('Verfahren', 'Algorithm')}</dt>
        <dd>{sample.algorithm}</dd>
        <dt>{t('Fingerabdruck der Grundgesamtheit', 'Population fingerprint')}</dt>
        <dd>
          <code>{sample.populationFingerprint}</code>
        </dd>
        <dt>{t('Nachrechnung', 'Recomputation')}</dt>
        <dd>{verdict(verification, t)}</dd>
      </dl>
      <KolButton
        _label={t('Ziehung erneut nachrechnen', 'Recompute the draw again')}
        _ariaDescription={t(`Stichprobe ${sample.teamId}`, `Sample ${sample.teamId}`)}
        _disabled={again.isFetching}
        _on={{ onClick: () => setRecompute((count) => count + 1) }}
      />
      {again.error ? <ErrorAlert error={again.error} /> : null}
      {again.data && !again.isFetching ? (
        again.data.matches ? (
          <Success>
            {t(
              `Nachgerechnet: gleiche Ziehung (${again.data.cases.recorded} Fälle, Fingerabdruck stimmt).`,
              `Recomputed: the same draw (${again.data.cases.recorded} cases, fingerprint matches).`,
            )}
          </Success>
        ) : (
          <p role="alert">{verdict(again.data, t)}</p>
        )
      ) : null}
      <DataTable
        label={t(`Gezogene Fälle ${sample.teamId}`, `Drawn cases ${sample.teamId}`)}
        columns={[
          { key: 'rank', label: t('Rang', 'Rank'), align: 'right' },
          {
            key: 'review',
            label: t('Prüfungsakte', 'Review record'),
            href: (row) => reviewRecordPath(String(row['id'])),
          },
          { key: 'group', label: t('Personengruppe', 'Customer group') },
          { key: 'origin', label: t('Herkunft', 'Origin') },
          { key: 'status', label: t('Stand', 'Status') },
        ]}
        rows={sample.cases.map((entry) => ({
          id: entry.reviewId,
          rank: entry.rank,
          review: shortId(entry.reviewId),
          group: entry.customerGroup,
          origin:
            entry.origin === 'draw'
              ? t('Ziehung', 'draw')
              : entry.origin === 'supplementary'
                ? t('Ergänzungsstichprobe', 'supplementary')
                : t('Ersatz', 'replacement'),
          status: entry.status === 'active' ? t('aktiv', 'active') : t('ersetzt', 'replaced'),
        }))}
      />
    </Section>
  );
}
