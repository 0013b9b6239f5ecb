import { KolButton, KolForm, KolInputFile, KolInputText } from '@public-ui/react-v19';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, get } from '../../api';
import { useCommand } from '../../commands';
import { useTexts, type Texts } from '../../i18n';
import { DataTable, ErrorAlert, Loading, Page, Section, Success } from '../../ui';
import type { OrganisationView } from '../area/types';
import { fieldProps, messageFor, textOf } from '../../forms';

/** Management: the organisation (areas, teams, leads) loaded from a JSON file, and the Jobcenter's region. */
export function OrganisationPage() {
  const texts = useTexts();
  const { t } = texts;
  const organisation = useQuery({
    queryKey: ['organisation'],
    queryFn: ({ signal }) => get<OrganisationView>('/api/v1/organisation', signal),
  });
  return (
    <Page title={t('Organisation und Region', 'Organisation and region')}>
      {organisation.isPending ? <Loading /> : null}
      {organisation.error ? <ErrorAlert error={organisation.error} /> : null}
      {organisation.data ? (
        <DataTable
          label={t('Teams und Teamleitungen', 'Teams and team leads')}
          columns={[
            { key: 'area', label: t('Bereich', 'Area') },
            { key: 'team', label: t('Team', 'Team') },
            { key: 'process', label: t('Kundenprozess', 'Customer process') },
            { key: 'lead', label: t('Teamleitung', 'Team lead') },
            { key: 'deputy', label: t('Stellvertretung', 'Deputy') },
          ]}
          rows={organisation.data.areas.flatMap((area) =>
            area.teams.map((team) => ({
              area: area.name,
              team: team.name,
              process: team.process,
              lead: team.teamLead?.name ?? '–',
              deputy: team.deputy?.name ?? '–',
            })),
          )}
        />
      ) : null}
      <OrganisationUpload texts={texts} />
      <Region texts={texts} />
    </Page>
  );
}

function OrganisationUpload({ texts }: { readonly texts: Texts }) {
  const { t, pick } = texts;
  const client = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [parseError, setParseError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const load = useCommand<unknown>('PUT', '/api/v1/organisation');
  const submit = async () => {
    if (!file) return;
    setDone(false);
    setParseError(null);
    let body: unknown;
    try {
      body = JSON.parse(await file.text());
    } catch (error) {
      setParseError(
        t(`Die Datei ist kein gültiges JSON: ${String(error)}`, `The file is not valid JSON: ${String(error)}`),
      );
      return;
    }
    const result = await load.run(body);
    if (result) {
      setDone(true);
      await client.invalidateQueries({ queryKey: ['organisation'] });
    }
  };
  const errors = load.error instanceof ApiError ? (load.error.problem.errors ?? []) : [];
  const message =
    parseError ??
    (errors.length > 0
      ? t(
          `Die Datei enthält ${errors.length} Fehler; siehe Liste unter dem Feld.`,
          `The file has ${errors.length} errors; see the list below the field.`,
        )
      : load.error instanceof ApiError
        ? pick(load.error.problem.detail || load.error.problem.title)
        : undefined);
  return (
    <Section title={t('Organisationsdatei laden', 'Load the organisation file')}>
      <p>
        {t(
          'JSON mit { "areas": [{ "id", "name", "teams": [{ "id", "name", "process", "lead", "deputy" }] }] }. Dieselbe Datei ein zweites Mal zu laden ändert nichts.',
          'JSON with { "areas": [{ "id", "name", "teams": [{ "id", "name", "process", "lead", "deputy" }] }] }. Loading the same file again changes nothing.',
        )}
      </p>
      <KolForm _on={{ onSubmit: () => void submit() }}>
        <div className="stack">
          <KolInputFile
            _label={t('Organisationsdatei (JSON)', 'Organisation file (JSON)')}
            _accept=".json,application/json"
            _required
            _on={{
              onChange: (_event: Event, value: unknown) => {
                load.reset();
                setParseError(null);
                setDone(false);
                setFile(value instanceof FileList ? (value[0] ?? null) : null);
              },
            }}
            {...fieldProps(message, (text) => text)}
          />
          {errors.length > 0 ? (
            <DataTable
              label={t('Fehler in der Organisationsdatei', 'Errors in the organisation file')}
              columns={[
                { key: 'field', label: t('Angabe', 'Field') },
                { key: 'message', label: t('Meldung', 'Message') },
              ]}
              rows={errors.map((error) => ({ field: error.field, message: pick(error.message) }))}
            />
          ) : null}
          {load.error && !(load.error instanceof ApiError) ? <ErrorAlert error={load.error} /> : null}
          {done ? <Success>{t('Organisation geladen.', 'Organisation loaded.')}</Success> : null}
          <KolButton
            _type="submit"
            _variant="primary"
            _label={t('Organisation laden', 'Load organisation')}
            _disabled={load.pending || file === null}
          />
        </div>
      </KolForm>
    </Section>
  );
}

function Region({ texts }: { readonly texts: Texts }) {
  const { t, pick, date } = texts;
  const client = useQueryClient();
  const region = useQuery({
    queryKey: ['region'],
    queryFn: async ({ signal }) => {
      try {
        return await get<{ region: string; since: string }>('/api/v1/cross-level/region', signal);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
  const [value, setValue] = useState('');
  const [done, setDone] = useState(false);
  const assign = useCommand<{ region: string }>('PUT', '/api/v1/cross-level/region');
  const submit = async () => {
    setDone(false);
    const result = await assign.run({ region: value.trim() });
    if (result) {
      setDone(true);
      setValue('');
      await client.invalidateQueries({ queryKey: ['region'] });
    }
  };
  return (
    <Section title={t('Region (Regionaldirektion)', 'Region (regional directorate)')}>
      {region.error ? <ErrorAlert error={region.error} /> : null}
      <p>
        {region.data
          ? t(
              `Zugeordnet: ${region.data.region} seit ${date(region.data.since)}.`,
              `Assigned: ${region.data.region} since ${date(region.data.since)}.`,
            )
          : region.isPending
            ? ''
            : t('Noch keiner Region zugeordnet.', 'Not assigned to a region yet.')}
      </p>
      <KolForm _on={{ onSubmit: () => void submit() }}>
        <div className="stack">
          <KolInputText
            _label={t('Region (Kennung, z. B. rd-nrw)', 'Region (id, e.g. rd-nrw)')}
            _value={value}
            _required
            _on={{ onInput: (_event: Event, next: unknown) => setValue(textOf(next)) }}
            {...fieldProps(messageFor(assign.error, 'region'), pick)}
          />
          {assign.error && !messageFor(assign.error, 'region') ? <ErrorAlert error={assign.error} /> : null}
          {done ? <Success>{t('Region zugeordnet.', 'Region assigned.')}</Success> : null}
          <KolButton _type="submit" _label={t('Region zuordnen', 'Assign region')} _disabled={assign.pending} />
        </div>
      </KolForm>
    </Section>
  );
}
