import { KolButton, KolForm, KolInputCheckbox, KolInputText, KolSelect, KolTextarea } from '@public-ui/react-v19';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../../api';
import { currentQuarter } from '../../calendar';
import { useCommand } from '../../commands';
import { CommandError, fieldProps, messageFor, selectedOf, textOf } from '../../forms';
import { useTexts, type Texts } from '../../i18n';
import { hasRole, type Session } from '../../session';
import { DataTable, ErrorAlert, Loading, Page, Section, Success } from '../../ui';
import { useAreas } from './data';
import { areaName, idList, RISKS_KEY, type AreaRiskAnalysis, type OrganisationArea, type RiskView } from './types';

const analysesKey = (year: number, quarter: number) => [...RISKS_KEY, 'analyses', year, quarter];

/** The areas' quarterly risk analyses: every reader sees them, area heads (own area) and management consolidate. */
export function AnalysesPage({ session }: { readonly session: Session }) {
  const texts = useTexts();
  const { t, date } = texts;
  const now = currentQuarter();
  const [year, setYear] = useState(now.year);
  const [quarter, setQuarter] = useState(now.quarter);
  const areas = useAreas();
  const analyses = useQuery({
    queryKey: analysesKey(year, quarter),
    queryFn: ({ signal }) => get<{ analyses: AreaRiskAnalysis[] }>(`/api/v1/risk-analyses/${year}/Q${quarter}`, signal),
  });
  const consolidates = hasRole(session, 'management', 'area_head');
  return (
    <Page title={t('Risikoanalysen der Bereiche', 'Areas’ risk analyses')}>
      <p>
        {t(
          'Die Bereichsleitung fasst die Teamberichte eines Quartals zur Risikoanalyse ihres Bereichs zusammen; ein später Bericht ergibt eine neue Fassung.',
          'The area head consolidates a quarter’s team reports into the area’s risk analysis; a late report gives a new version.',
        )}
      </p>
      <div className="row">
        <KolSelect
          _label={t('Jahr', 'Year')}
          _options={Array.from({ length: 5 }, (_, index) => now.year - index).map((value) => ({
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
      <Section title={t(`Risikoanalysen ${year}/Q${quarter}`, `Risk analyses ${year}/Q${quarter}`)}>
        {analyses.isPending ? <Loading /> : null}
        {analyses.error ? <ErrorAlert error={analyses.error} /> : null}
        {analyses.data && analyses.data.analyses.length === 0 ? (
          <p>{t('Für dieses Quartal liegt noch keine Risikoanalyse vor.', 'No risk analysis for this quarter yet.')}</p>
        ) : null}
        {analyses.data && analyses.data.analyses.length > 0 ? (
          <DataTable
            label={t(`Risikoanalysen ${year}/Q${quarter}`, `Risk analyses ${year}/Q${quarter}`)}
            columns={[
              { key: 'area', label: t('Bereich', 'Area') },
              { key: 'on', label: t('Zusammengefasst am', 'Consolidated on') },
              { key: 'reports', label: t('Teamberichte', 'Team reports') },
              { key: 'risks', label: t('Risiken', 'Risks'), align: 'right' },
              { key: 'summary', label: t('Zusammenfassung', 'Summary') },
              { key: 'versions', label: t('Fassungen', 'Versions'), align: 'right' },
            ]}
            rows={analyses.data.analyses.map((analysis) => ({
              area: areaName(analysis.areaId, areas.data, t),
              on: date(analysis.consolidatedOn),
              reports: analysis.teamReports.join(', '),
              risks: analysis.riskIds.length,
              summary: analysis.summary,
              versions: analysis.versions,
            }))}
          />
        ) : null}
      </Section>
      {consolidates && areas.data ? (
        <ConsolidateForm
          key={`${year}-${quarter}`}
          session={session}
          areas={areas.data}
          year={year}
          quarter={quarter}
          texts={texts}
        />
      ) : null}
    </Page>
  );
}

function ConsolidateForm({
  session,
  areas,
  year,
  quarter,
  texts,
}: {
  readonly session: Session;
  readonly areas: readonly OrganisationArea[];
  readonly year: number;
  readonly quarter: number;
  readonly texts: Texts;
}) {
  const { t, pick } = texts;
  const client = useQueryClient();
  const choices = hasRole(session, 'management') ? areas : areas.filter((area) => session.units.includes(area.id));
  const [area, setArea] = useState(choices[0]?.id ?? '');
  const [teamReports, setTeamReports] = useState('');
  const [riskIds, setRiskIds] = useState<readonly string[]>([]);
  const [summary, setSummary] = useState('');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState(false);
  const risks = useQuery({
    queryKey: [...RISKS_KEY, 'list', `status=open&areaId=${area}`],
    queryFn: ({ signal }) =>
      get<{ risks: RiskView[] }>(`/api/v1/risks?status=open&areaId=${encodeURIComponent(area)}`, signal),
    enabled: area !== '',
  });
  const consolidate = useCommand<Record<string, unknown>>(
    'PUT',
    `/api/v1/risk-analyses/${encodeURIComponent(area)}/${year}/Q${quarter}`,
  );
  const field = (name: string) => fieldProps(messageFor(consolidate.error, name), pick);
  const submit = async () => {
    setDone(false);
    const result = await consolidate.run({ teamReports: idList(teamReports), riskIds, summary, reason });
    if (result) {
      setDone(true);
      setReason('');
      await client.invalidateQueries({ queryKey: analysesKey(year, quarter) });
    }
  };
  if (choices.length === 0) return null;
  return (
    <Section
      title={t(`Risikoanalyse ${year}/Q${quarter} zusammenfassen`, `Consolidate the ${year}/Q${quarter} risk analysis`)}
    >
      <KolForm _on={{ onSubmit: () => void submit() }}>
        <div className="stack">
          <KolSelect
            _label={t('Bereich', 'Area')}
            _options={choices.map((choice) => ({ label: choice.name, value: choice.id }))}
            _value={[area]}
            _on={{
              onChange: (_event: Event, next: unknown) => {
                setArea(selectedOf(next));
                setRiskIds([]);
              },
            }}
          />
          <KolInputText
            _label={t('Einbezogene Teamberichte', 'Team reports taken in')}
            _hint={t(
              `z. B. team-mi-1-${year}-Q${quarter}; mehrere durch Komma getrennt`,
              `e.g. team-mi-1-${year}-Q${quarter}; several separated by commas`,
            )}
            _value={teamReports}
            _required
            _on={{ onInput: (_event: Event, value: unknown) => setTeamReports(textOf(value)) }}
            {...field('teamReports')}
          />
          {risks.data && risks.data.risks.length > 0 ? (
            <fieldset className="stack">
              <legend>{t('Risiken des Registers, die der Bereich sieht', 'Register risks the area sees')}</legend>
              {risks.data.risks.map((risk) => (
                <KolInputCheckbox
                  key={risk._id}
                  _label={risk.title}
                  _checked={riskIds.includes(risk._id)}
                  _value={risk._id}
                  _on={{
                    // Each input toggles (KoliBri reports the value or nothing, depending on the state).
                    onInput: () =>
                      setRiskIds((ids) =>
                        ids.includes(risk._id) ? ids.filter((id) => id !== risk._id) : [...ids, risk._id],
                      ),
                  }}
                />
              ))}
            </fieldset>
          ) : null}
          <KolTextarea
            _label={t('Zusammenfassung', 'Summary')}
            _value={summary}
            _required
            _rows={4}
            _on={{ onInput: (_event: Event, value: unknown) => setSummary(textOf(value)) }}
            {...field('summary')}
          />
          <KolTextarea
            _label={t('Begründung', 'Reason')}
            _value={reason}
            _required
            _rows={2}
            _on={{ onInput: (_event: Event, value: unknown) => setReason(textOf(value)) }}
            {...field('reason')}
          />
          <CommandError
            command={consolidate}
            fields={['teamReports', 'riskIds', 'summary', 'reason']}
            onReload={() => consolidate.reset()}
          />
          {done ? <Success>{t('Risikoanalyse gespeichert.', 'Risk analysis saved.')}</Success> : null}
          <KolButton
            _type="submit"
            _variant="primary"
            _label={t('Risikoanalyse speichern', 'Save the risk analysis')}
            _disabled={consolidate.pending}
          />
        </div>
      </KolForm>
    </Section>
  );
}
