import { useQuery } from '@tanstack/react-query';
import { get } from '../api';
import { useTexts } from '../i18n';
import { DataTable, ErrorAlert, Loading, Page, Section } from '../ui';

interface Programme {
  readonly id: string;
  readonly revision: number;
  readonly areaId: string;
  readonly updatedAt: string;
  readonly settings: {
    readonly title: string;
    readonly customerProcess: string;
    readonly minimumCasesPerTeamLead: number;
    readonly retentionMonths: number;
  };
}

interface Person {
  readonly name: string | null;
}

interface Area {
  readonly id: string;
  readonly name: string;
  readonly teams: readonly {
    readonly id: string;
    readonly name: string;
    readonly teamLead: Person | null;
    readonly deputy: Person | null;
  }[];
}

/**
 * Every employee (000:77): the programmes in force and who supervises which team. Team-level only: no
 * figures about anyone's work.
 */
export function TransparencyPage() {
  const { t, date } = useTexts();
  const programmes = useQuery({
    queryKey: ['programmes'],
    queryFn: ({ signal }) => get<{ items: Programme[] }>('/api/v1/programmes', signal),
  });
  const organisation = useQuery({
    queryKey: ['organisation'],
    queryFn: ({ signal }) => get<{ areas: Area[] }>('/api/v1/organisation', signal),
  });
  const nobody = t('nicht besetzt', 'vacant');
  return (
    <Page title={t('Transparenz', 'Transparency')}>
      <Section title={t('Geltende Prüfpläne', 'Programmes in force')}>
        {programmes.isPending ? <Loading /> : null}
        {programmes.error ? <ErrorAlert error={programmes.error} /> : null}
        {programmes.data && programmes.data.items.length === 0 ? (
          <p>{t('Noch kein Prüfplan festgelegt.', 'No programme defined yet.')}</p>
        ) : null}
        {programmes.data && programmes.data.items.length > 0 ? (
          <DataTable
            label={t('Prüfpläne', 'Programmes')}
            columns={[
              { key: 'title', label: t('Prüfplan', 'Programme') },
              { key: 'area', label: t('Bereich', 'Area') },
              { key: 'process', label: t('Kundenprozess', 'Customer process') },
              {
                key: 'minimum',
                label: t('Fälle je Teamleitung und Monat', 'Cases per team lead and month'),
                align: 'right',
              },
              { key: 'retention', label: t('Aufbewahrung (Monate)', 'Retention (months)'), align: 'right' },
              { key: 'updated', label: t('Stand', 'As of') },
            ]}
            rows={programmes.data.items.map((programme) => ({
              title: programme.settings.title,
              area: programme.areaId,
              process: programme.settings.customerProcess,
              minimum: programme.settings.minimumCasesPerTeamLead,
              retention: programme.settings.retentionMonths,
              updated: date(programme.updatedAt),
            }))}
          />
        ) : null}
      </Section>
      <Section title={t('Wer welches Team beaufsichtigt', 'Who supervises which team')}>
        {organisation.isPending ? <Loading /> : null}
        {organisation.error ? <ErrorAlert error={organisation.error} /> : null}
        {organisation.data?.areas.map((area) => (
          <DataTable
            key={area.id}
            label={`${t('Bereich', 'Area')} ${area.name}`}
            columns={[
              { key: 'team', label: t('Team', 'Team') },
              { key: 'lead', label: t('Teamleitung', 'Team lead') },
              { key: 'deputy', label: t('Stellvertretung', 'Deputy') },
            ]}
            rows={area.teams.map((team) => ({
              team: team.name,
              lead: team.teamLead?.name ?? nobody,
              deputy: team.deputy?.name ?? nobody,
            }))}
          />
        ))}
      </Section>
    </Page>
  );
}
