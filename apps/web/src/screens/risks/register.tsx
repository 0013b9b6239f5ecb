import { KolLink, KolSelect } from '@public-ui/react-v19';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../../api';
import { lastEndedQuarter } from '../../calendar';
import { selectedOf } from '../../forms';
import { useTexts } from '../../i18n';
import { navigate } from '../../router';
import { hasRole, type Session } from '../../session';
import { DataTable, ErrorAlert, Loading, Page, Section } from '../../ui';
import { Downloads } from '../oversight/parts';
import { useAreas } from './data';
import { HeatMapSection } from './heat-map';
import { appetiteText, areaName, RISKS_KEY, strategyName, type RiskView } from './types';

type StatusFilter = '' | 'open' | 'closed';
type AppetiteFilter = '' | 'true' | 'false';

/** The register for management, area heads and auditors: the heat map, the list with its filters, the quarterly report. */
export function RegisterPage({ session, query }: { readonly session: Session; readonly query: URLSearchParams }) {
  const texts = useTexts();
  const { t, date } = texts;
  // The filters live in the address (bookmarkable; the navigation entry opens the default: open risks).
  const status: StatusFilter =
    query.get('stand') === 'alle' ? '' : query.get('stand') === 'geschlossen' ? 'closed' : 'open';
  const area = query.get('bereich') ?? '';
  const appetite: AppetiteFilter =
    query.get('bereitschaft') === 'ueber' ? 'true' : query.get('bereitschaft') === 'innerhalb' ? 'false' : '';
  const filter = (next: { status?: StatusFilter; area?: string; appetite?: AppetiteFilter }) => {
    const chosen = { status, area, appetite, ...next };
    const params = new URLSearchParams({
      ...(chosen.status === 'open' ? {} : { stand: chosen.status === 'closed' ? 'geschlossen' : 'alle' }),
      ...(chosen.area ? { bereich: chosen.area } : {}),
      ...(chosen.appetite ? { bereitschaft: chosen.appetite === 'true' ? 'ueber' : 'innerhalb' } : {}),
    }).toString();
    navigate(`/risiken${params ? `?${params}` : ''}`, { replace: true });
  };
  const areas = useAreas();
  const apiQuery = new URLSearchParams({
    ...(status ? { status } : {}),
    ...(area ? { areaId: area } : {}),
    ...(appetite ? { aboveAppetite: appetite } : {}),
  }).toString();
  const risks = useQuery({
    queryKey: [...RISKS_KEY, 'list', apiQuery],
    queryFn: ({ signal }) => get<{ risks: RiskView[] }>(`/api/v1/risks${apiQuery ? `?${apiQuery}` : ''}`, signal),
  });
  const maintains = hasRole(session, 'management', 'area_head');
  return (
    <Page title={t('Risikoregister', 'Risk register')}>
      <nav aria-label={t('Zum Risikoregister', 'For the risk register')} className="row">
        {maintains ? <KolLink _href="/risiken/neu" _label={t('Risiko erfassen', 'Identify a risk')} /> : null}
        <KolLink
          _href="/risiken/matrix"
          _label={t('Risikomatrix und Risikobereitschaft', 'Risk matrix and appetite')}
        />
        <KolLink _href="/risiken/analysen" _label={t('Risikoanalysen der Bereiche', 'Areas’ risk analyses')} />
      </nav>
      <HeatMapSection />
      <Section title={t('Risiken', 'Risks')}>
        <div className="row">
          <KolSelect
            _label={t('Stand', 'Status')}
            _options={[
              { label: t('alle', 'all'), value: '' },
              { label: t('offen', 'open'), value: 'open' },
              { label: t('geschlossen', 'closed'), value: 'closed' },
            ]}
            _value={[status]}
            _on={{ onChange: (_event: Event, next: unknown) => filter({ status: selectedOf(next) as StatusFilter }) }}
          />
          <KolSelect
            _label={t('Bereich', 'Area')}
            _options={[
              { label: t('alle', 'all'), value: '' },
              ...(areas.data ?? []).map((candidate) => ({ label: candidate.name, value: candidate.id })),
            ]}
            _value={[area]}
            _on={{ onChange: (_event: Event, next: unknown) => filter({ area: selectedOf(next) }) }}
          />
          <KolSelect
            _label={t('Risikobereitschaft', 'Appetite')}
            _options={[
              { label: t('alle', 'all'), value: '' },
              { label: t('nur über der Risikobereitschaft', 'only above the appetite'), value: 'true' },
              { label: t('nur innerhalb', 'only within'), value: 'false' },
            ]}
            _value={[appetite]}
            _on={{
              onChange: (_event: Event, next: unknown) => filter({ appetite: selectedOf(next) as AppetiteFilter }),
            }}
          />
        </div>
        {risks.isPending ? <Loading /> : null}
        {risks.error ? <ErrorAlert error={risks.error} /> : null}
        {risks.data && risks.data.risks.length === 0 ? (
          <p>{t('Keine Risiken zu dieser Auswahl.', 'No risks for this selection.')}</p>
        ) : null}
        {risks.data && risks.data.risks.length > 0 ? (
          <DataTable
            label={t('Risiken des Registers', 'Risks of the register')}
            columns={[
              { key: 'title', label: t('Risiko', 'Risk'), href: (row) => `/risiken/${String(row['id'])}` },
              { key: 'area', label: t('Bereich', 'Area') },
              { key: 'status', label: t('Stand', 'Status') },
              { key: 'score', label: t('Bewertung', 'Assessment') },
              { key: 'strategy', label: t('Strategie', 'Strategy') },
              { key: 'due', label: t('Neu zu bewerten bis', 'Reassess by') },
            ]}
            rows={risks.data.risks.map((risk) => ({
              id: risk._id,
              title: risk.title,
              area: areaName(risk.areaId, areas.data, t),
              status:
                risk.status === 'open'
                  ? t('offen', 'open')
                  : t(`geschlossen am ${date(risk.closedOn ?? '')}`, `closed on ${date(risk.closedOn ?? '')}`),
              score: risk.assessment
                ? `${t('Wert', 'Score')} ${risk.assessment.score}, ${appetiteText(risk.assessment, t)}`
                : t('nicht bewertet', 'not assessed'),
              strategy: risk.treatment
                ? strategyName(risk.treatment.strategy, t) +
                  (risk.recheckOverdue ? ` – ${t('Überprüfung überfällig', 're-check overdue')}` : '')
                : t('nicht entschieden', 'not decided'),
              due: risk.assessment
                ? date(risk.assessment.reassessBy) +
                  (risk.reassessmentOverdue ? ` – ${t('überfällig', 'overdue')}` : '')
                : '–',
            }))}
          />
        ) : null}
      </Section>
      <ReportDownloads />
    </Page>
  );
}

function ReportDownloads() {
  const { t } = useTexts();
  const fallback = lastEndedQuarter();
  const [year, setYear] = useState(fallback.year);
  const [quarter, setQuarter] = useState(fallback.quarter);
  const base = `/api/v1/risk-reports/${year}/Q${quarter}`;
  return (
    <Section title={t('Quartalsbericht für die Trägerversammlung', 'Quarterly risk report for the board')}>
      <div className="row">
        <KolSelect
          _label={t('Jahr', 'Year')}
          _options={Array.from({ length: 5 }, (_, index) => fallback.year + 1 - index).map((value) => ({
            label: String(value),
            value,
          }))}
          _value={[year]}
          _on={{ onChange: (_event: Event, next: unknown) => setYear(Number(selectedOf(next))) }}
        />
        <KolSelect
          _label={t('Quartal', 'Quarter')}
          _options={[1, 2, 3, 4].map((value) => ({ label: `Q${value}`, value }))}
          _value={[quarter]}
          _on={{ onChange: (_event: Event, next: unknown) => setQuarter(Number(selectedOf(next))) }}
        />
      </div>
      <Downloads
        links={[
          {
            label: t(`Risikobericht ${year}/Q${quarter} als PDF`, `Risk report ${year}/Q${quarter} as PDF`),
            href: `${base}.pdf`,
          },
          {
            label: t(`Risikobericht ${year}/Q${quarter} als CSV`, `Risk report ${year}/Q${quarter} as CSV`),
            href: `${base}.csv`,
          },
        ]}
      />
    </Section>
  );
}
