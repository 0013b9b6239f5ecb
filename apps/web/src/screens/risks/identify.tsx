import { KolButton, KolForm, KolInputText, KolSelect, KolTextarea } from '@public-ui/react-v19';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCommand } from '../../commands';
import { CommandError, fieldProps, messageFor, selectedOf, textOf } from '../../forms';
import { useTexts } from '../../i18n';
import { navigate } from '../../router';
import { hasRole, type Session } from '../../session';
import { Page, Section } from '../../ui';
import { useAreas } from './data';
import {
  auditorName,
  EXTERNAL_AUDITORS,
  idList,
  RISK_SOURCES,
  RISKS_KEY,
  sourceName,
  type ExternalAuditor,
  type RiskSourceKind,
} from './types';

const FIELDS = ['title', 'description', 'source', 'areaId', 'process', 'links', 'reason'];
/** The whole Jobcenter (no area) in the area select. */
const WHOLE = '-';

/** Identify a risk: management for the whole Jobcenter or any area, an area head for their own area. */
export function IdentifyPage({ session }: { readonly session: Session }) {
  const { t, pick } = useTexts();
  const client = useQueryClient();
  const areas = useAreas();
  const management = hasRole(session, 'management');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [kind, setKind] = useState<RiskSourceKind>('supervision');
  const [auditor, setAuditor] = useState<ExternalAuditor>('bundesrechnungshof');
  const [reference, setReference] = useState('');
  const [area, setArea] = useState(management ? WHOLE : (session.units[0] ?? ''));
  const [process, setProcess] = useState('');
  const [defectCategories, setDefectCategories] = useState('');
  const [trends, setTrends] = useState('');
  const [teamReports, setTeamReports] = useState('');
  const [measures, setMeasures] = useState('');
  const [reason, setReason] = useState('');
  const identify = useCommand<Record<string, unknown>>('POST', '/api/v1/risks');
  const field = (...names: string[]) => fieldProps(messageFor(identify.error, ...names), pick);
  const areaOptions = [
    ...(management ? [{ label: t('ganzes Jobcenter', 'whole Jobcenter'), value: WHOLE }] : []),
    ...(areas.data ?? [])
      .filter((candidate) => management || session.units.includes(candidate.id))
      .map((candidate) => ({ label: candidate.name, value: candidate.id })),
  ];
  const submit = async () => {
    const result = await identify.run({
      title,
      description,
      source: {
        kind,
        ...(kind === 'external-audit' ? { auditor } : {}),
        ...(reference.trim() ? { reference: reference.trim() } : {}),
      },
      ...(area && area !== WHOLE ? { areaId: area } : {}),
      process,
      links: {
        defectCategories: idList(defectCategories),
        trends: idList(trends),
        teamReports: idList(teamReports),
        measures: idList(measures),
      },
      reason,
    });
    if (result?.id) {
      await client.invalidateQueries({ queryKey: RISKS_KEY });
      navigate(`/risiken/${result.id}`);
    }
  };
  const commaHint = t('mehrere durch Komma getrennt', 'several separated by commas');
  return (
    <Page title={t('Risiko erfassen', 'Identify a risk')}>
      <KolForm _on={{ onSubmit: () => void submit() }}>
        <div className="stack">
          <KolInputText
            _label={t('Bezeichnung', 'Title')}
            _value={title}
            _required
            _on={{ onInput: (_event: Event, value: unknown) => setTitle(textOf(value)) }}
            {...field('title')}
          />
          <KolTextarea
            _label={t('Beschreibung', 'Description')}
            _value={description}
            _required
            _rows={4}
            _on={{ onInput: (_event: Event, value: unknown) => setDescription(textOf(value)) }}
            {...field('description')}
          />
          <KolSelect
            _label={t('Quelle', 'Source')}
            _options={RISK_SOURCES.map((value) => ({ label: sourceName(value, t), value }))}
            _value={[kind]}
            _on={{ onChange: (_event: Event, next: unknown) => setKind(selectedOf(next) as RiskSourceKind) }}
            {...field('source.kind')}
          />
          {kind === 'external-audit' ? (
            <KolSelect
              _label={t('Prüfende Stelle', 'Auditing body')}
              _options={EXTERNAL_AUDITORS.map((value) => ({ label: auditorName(value), value }))}
              _value={[auditor]}
              _on={{ onChange: (_event: Event, next: unknown) => setAuditor(selectedOf(next) as ExternalAuditor) }}
              {...field('source.auditor')}
            />
          ) : null}
          <KolInputText
            _label={t('Fundstelle (optional)', 'Reference (optional)')}
            _hint={t('z. B. Bericht, Feststellung, Datum', 'e.g. report, finding, date')}
            _value={reference}
            _on={{ onInput: (_event: Event, value: unknown) => setReference(textOf(value)) }}
            {...field('source.reference')}
          />
          <KolSelect
            _label={t('Bereich', 'Area')}
            _options={areaOptions}
            _value={[area]}
            _on={{ onChange: (_event: Event, next: unknown) => setArea(selectedOf(next)) }}
            {...field('areaId')}
          />
          <KolInputText
            _label={t('Prozess', 'Process')}
            _value={process}
            _required
            _on={{ onInput: (_event: Event, value: unknown) => setProcess(textOf(value)) }}
            {...field('process')}
          />
          <Section title={t('Verknüpfungen (was das Risiko aufgezeigt hat)', 'Links (what raised the risk)')} level={3}>
            <KolInputText
              _label={t('Mängelkategorien', 'Defect categories')}
              _hint={commaHint}
              _value={defectCategories}
              _on={{ onInput: (_event: Event, value: unknown) => setDefectCategories(textOf(value)) }}
              {...field('links.defectCategories')}
            />
            <KolInputText
              _label={t('Entwicklungen', 'Trends')}
              _hint={commaHint}
              _value={trends}
              _on={{ onInput: (_event: Event, value: unknown) => setTrends(textOf(value)) }}
              {...field('links.trends')}
            />
            <KolInputText
              _label={t('Teamberichte', 'Team reports')}
              _hint={t(
                'z. B. team-mi-1-2026-Q1; mehrere durch Komma getrennt',
                'e.g. team-mi-1-2026-Q1; several separated by commas',
              )}
              _value={teamReports}
              _on={{ onInput: (_event: Event, value: unknown) => setTeamReports(textOf(value)) }}
              {...field('links.teamReports')}
            />
            <KolInputText
              _label={t('Maßnahmen', 'Measures')}
              _hint={commaHint}
              _value={measures}
              _on={{ onInput: (_event: Event, value: unknown) => setMeasures(textOf(value)) }}
              {...field('links.measures')}
            />
          </Section>
          <KolTextarea
            _label={t('Begründung', 'Reason')}
            _value={reason}
            _required
            _rows={3}
            _on={{ onInput: (_event: Event, value: unknown) => setReason(textOf(value)) }}
            {...field('reason')}
          />
          <CommandError command={identify} fields={FIELDS} onReload={() => identify.reset()} />
          <KolButton
            _type="submit"
            _variant="primary"
            _label={t('Risiko erfassen', 'Identify the risk')}
            _disabled={identify.pending}
          />
        </div>
      </KolForm>
    </Page>
  );
}
