import { KolButton, KolForm, KolInputDate, KolSelect, KolTextarea } from '@public-ui/react-v19';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../../api';
import { useCommand } from '../../commands';
import { useTexts } from '../../i18n';
import { navigate } from '../../router';
import { hasRole, useSession } from '../../session';
import { DataTable, ErrorAlert, isoValue, Loading, Page, Section } from '../../ui';
import type { CatalogueEntry, QuestionnaireSummary } from './types';
import { fieldProps, messageFor, selectedOf, textOf } from '../../forms';

interface Question {
  readonly id: string;
  readonly text: string;
  readonly answerType: string;
  readonly mandatory: boolean;
  readonly category: string;
  readonly legalNorm: string | null;
}

interface QuestionnaireView extends Omit<QuestionnaireSummary, 'versions' | 'regionalAdditions'> {
  readonly versions: readonly {
    readonly version: number;
    readonly validFrom: string;
    readonly publishedAt: string;
    readonly reason: string;
    readonly sections: readonly {
      readonly id: string;
      readonly title: string;
      readonly questions: readonly Question[];
    }[];
  }[];
  readonly regionalAdditions: readonly {
    readonly additionId: string;
    readonly region: string;
    readonly validFrom: string;
    readonly validTo: string;
    readonly reason: string;
    readonly questions: readonly Question[];
  }[];
}

/** Area head and management: the questionnaires in use, and a new one loaded from a shipped catalogue. */
export function QuestionnairesPage() {
  const { t, date, pick } = useTexts();
  const { session } = useSession();
  const client = useQueryClient();
  const list = useQuery({
    queryKey: ['questionnaires'],
    queryFn: ({ signal }) => get<{ items: QuestionnaireSummary[] }>('/api/v1/questionnaires', signal),
  });
  const catalogues = useQuery({
    queryKey: ['questionnaire-catalogues'],
    queryFn: ({ signal }) => get<{ items: CatalogueEntry[] }>('/api/v1/questionnaire-catalogues', signal),
  });
  const [catalogue, setCatalogue] = useState('');
  const [validFrom, setValidFrom] = useState('');
  const [reason, setReason] = useState('');
  const publish = useCommand<{ catalogue: string; validFrom?: string; reason?: string }>(
    'POST',
    '/api/v1/questionnaires',
  );
  const chosen = catalogue || catalogues.data?.items[0]?.catalogue || '';
  const submit = async () => {
    const result = await publish.run({
      catalogue: chosen,
      ...(validFrom === '' ? {} : { validFrom }),
      ...(reason.trim() === '' ? {} : { reason: reason.trim() }),
    });
    if (result?.id) {
      await client.invalidateQueries({ queryKey: ['questionnaires'] });
      navigate(`/frageboegen/${result.id}`);
    }
  };
  return (
    <Page title={t('Fragebögen', 'Questionnaires')}>
      {list.isPending ? <Loading /> : null}
      {list.error ? <ErrorAlert error={list.error} /> : null}
      {list.data ? (
        <DataTable
          label={t('Fragebögen', 'Questionnaires')}
          columns={[
            { key: 'title', label: t('Titel', 'Title'), href: (row) => `/frageboegen/${String(row['id'])}` },
            { key: 'process', label: t('Kundenprozess', 'Customer process') },
            { key: 'inForce', label: t('Geltende Version', 'Version in force'), align: 'right' },
            { key: 'latest', label: t('Neueste Version', 'Latest version'), align: 'right' },
            { key: 'regional', label: t('Regionale Ergänzungen', 'Regional extras'), align: 'right' },
            { key: 'published', label: t('Veröffentlicht', 'Published') },
          ]}
          rows={list.data.items.map((item) => ({
            id: item.id,
            title: item.title,
            process: item.process,
            inForce: item.versionInForce ?? '–',
            latest: item.latestVersion,
            regional: item.regionalAdditions,
            published: item.versions.at(-1) ? date(item.versions.at(-1)!.publishedAt) : '–',
          }))}
        />
      ) : null}
      {hasRole(session, 'area_head', 'management') ? (
        <Section title={t('Aus einem Fragenkatalog laden', 'Load from a catalogue')}>
          {catalogues.error ? <ErrorAlert error={catalogues.error} /> : null}
          <KolForm _on={{ onSubmit: () => void submit() }}>
            <div className="stack">
              <KolSelect
                _label={t('Fragenkatalog', 'Catalogue')}
                _options={(catalogues.data?.items ?? []).map((item) => ({ label: item.title, value: item.catalogue }))}
                _value={[chosen]}
                _required
                _on={{ onChange: (_event: Event, value: unknown) => setCatalogue(selectedOf(value)) }}
                {...fieldProps(messageFor(publish.error, 'catalogue'), pick)}
              />
              <KolInputDate
                _type="date"
                _label={t('Gültig ab', 'Valid from')}
                _value={isoValue(validFrom)}
                _on={{ onInput: (_event: Event, value: unknown) => setValidFrom(textOf(value)) }}
                {...fieldProps(messageFor(publish.error, 'validFrom'), pick)}
              />
              <KolTextarea
                _label={t('Begründung (leer: die des Katalogs)', 'Reason (empty: the catalogue’s)')}
                _value={reason}
                _rows={2}
                _on={{ onInput: (_event: Event, value: unknown) => setReason(textOf(value)) }}
                {...fieldProps(messageFor(publish.error, 'reason'), pick)}
              />
              {publish.error && !messageFor(publish.error, 'catalogue', 'validFrom', 'reason') ? (
                <ErrorAlert error={publish.error} />
              ) : null}
              <KolButton
                _type="submit"
                _variant="primary"
                _label={t('Fragebogen laden', 'Load questionnaire')}
                _disabled={publish.pending || chosen === ''}
              />
            </div>
          </KolForm>
        </Section>
      ) : null}
    </Page>
  );
}

/** One questionnaire: its versions, the questions of the version in force, the regional extras. */
export function QuestionnairePage({ questionnaireId }: { readonly questionnaireId: string }) {
  const { t, date } = useTexts();
  const view = useQuery({
    queryKey: ['questionnaire', questionnaireId],
    queryFn: ({ signal }) =>
      get<QuestionnaireView>(`/api/v1/questionnaires/${encodeURIComponent(questionnaireId)}`, signal),
  });
  if (view.isPending) return <Loading />;
  if (view.error) return <ErrorAlert error={view.error} />;
  const data = view.data;
  const inForce = data.versions.find((version) => version.version === data.versionInForce) ?? data.versions.at(-1);
  return (
    <Page title={t(`Fragebogen: ${data.title}`, `Questionnaire: ${data.title}`)}>
      <Section title={t('Versionen', 'Versions')}>
        <DataTable
          label={t('Versionen', 'Versions')}
          columns={[
            { key: 'version', label: t('Version', 'Version'), align: 'right' },
            { key: 'validFrom', label: t('Gültig ab', 'Valid from') },
            { key: 'published', label: t('Veröffentlicht', 'Published') },
            { key: 'reason', label: t('Begründung', 'Reason') },
          ]}
          rows={data.versions.map((version) => ({
            version: version.version,
            validFrom: date(version.validFrom),
            published: date(version.publishedAt),
            reason: version.reason,
          }))}
        />
      </Section>
      {inForce ? (
        <Section title={t(`Fragen der Version ${inForce.version}`, `Questions of version ${inForce.version}`)}>
          {inForce.sections.map((section) => (
            <Section key={section.id} title={section.title} level={3}>
              <ul>
                {section.questions.map((question) => (
                  <li key={question.id}>
                    {question.text}
                    {question.mandatory ? ` (${t('Pflicht', 'mandatory')})` : ''}
                    {question.legalNorm ? `, ${question.legalNorm}` : ''}
                  </li>
                ))}
              </ul>
            </Section>
          ))}
        </Section>
      ) : null}
      <Section title={t('Regionale Ergänzungen', 'Regional extras')}>
        {data.regionalAdditions.length === 0 ? (
          <p>
            {t(
              'Keine. Die Regionaldirektion kann befristete Zusatzfragen ergänzen; die veröffentlichte Version bleibt unverändert.',
              'None. The regional directorate may add temporary extra questions; the published version stays unchanged.',
            )}
          </p>
        ) : (
          <DataTable
            label={t('Regionale Ergänzungen', 'Regional extras')}
            columns={[
              { key: 'region', label: t('Region', 'Region') },
              { key: 'period', label: t('Gültig', 'Valid') },
              { key: 'questions', label: t('Fragen', 'Questions') },
              { key: 'reason', label: t('Begründung', 'Reason') },
            ]}
            rows={data.regionalAdditions.map((addition) => ({
              region: addition.region,
              period: `${date(addition.validFrom)} – ${date(addition.validTo)}`,
              questions: addition.questions.map((question) => question.text).join(' · '),
              reason: addition.reason,
            }))}
          />
        )}
      </Section>
    </Page>
  );
}
