import { KolButton, KolForm, KolLink, KolTextarea } from '@public-ui/react-v19';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../../api';
import { lastEndedMonth } from '../../calendar';
import { useCommand } from '../../commands';
import { CommandError, NumberField, fieldProps, messageFor, textOf } from '../../forms';
import { useTexts, type Texts } from '../../i18n';
import { hasRole, useSession } from '../../session';
import { DataTable, ErrorAlert, Loading, Page, Section, Success } from '../../ui';
import type { IndicatorSettings, SettingsView } from './types';

const settingsKey = (teamId: string) => ['indicator-settings', teamId];

/** The team's agreement on the indicators (004:42): read by its leadership, agreed by team lead or deputy. */
export function SettingsPage({ teamId }: { readonly teamId: string }) {
  const texts = useTexts();
  const { t } = texts;
  const { session } = useSession();
  const path = `/api/v1/teams/${encodeURIComponent(teamId)}/indicator-settings`;
  const settings = useQuery({
    queryKey: settingsKey(teamId),
    queryFn: ({ signal }) => get<SettingsView>(path, signal),
  });
  return (
    <Page title={t(`Teamvereinbarung zu den Kennzahlen ${teamId}`, `Team agreement on the indicators ${teamId}`)}>
      <nav aria-label={t('Zu den Kennzahlen', 'To the indicators')} className="row">
        <KolLink
          _href={`/teams/${encodeURIComponent(teamId)}/kennzahlen?monat=${lastEndedMonth()}`}
          _label={t('Zu den Kennzahlen des Teams', "To the team's indicators")}
        />
      </nav>
      {settings.isPending ? <Loading /> : null}
      {settings.error ? <ErrorAlert error={settings.error} /> : null}
      {settings.data ? (
        <>
          <Section title={t('Geltende Einstellungen', 'Settings in force')}>
            <p>
              {settings.data.agreed
                ? t('Vom Team vereinbart.', 'Agreed by the team.')
                : t('Es gelten die Standardwerte.', 'The standard values apply.')}
            </p>
            <DataTable
              label={t('Geltende Einstellungen', 'Settings in force')}
              columns={[
                { key: 'name', label: t('Einstellung', 'Setting') },
                { key: 'value', label: t('Wert', 'Value'), align: 'right' },
              ]}
              rows={[
                {
                  name: t('Beratungsabstand (Monate)', 'Contact interval (months)'),
                  value: settings.data.settings.contactIntervalMonths,
                },
                {
                  name: t('Anteil Beratungszeit (%)', 'Counselling share (%)'),
                  value: settings.data.settings.counsellingSharePercent,
                },
                {
                  name: t('Termindauer (Minuten)', 'Slot length (minutes)'),
                  value: settings.data.settings.slotMinutes,
                },
              ]}
            />
          </Section>
          {hasRole(session, 'team_lead', 'deputy') ? (
            <Agree path={path} teamId={teamId} current={settings.data.settings} texts={texts} />
          ) : null}
        </>
      ) : null}
    </Page>
  );
}

function Agree({
  path,
  teamId,
  current,
  texts,
}: {
  readonly path: string;
  readonly teamId: string;
  readonly current: IndicatorSettings;
  readonly texts: Texts;
}) {
  const { t, pick } = texts;
  const client = useQueryClient();
  const [interval, setInterval] = useState<number | null>(current.contactIntervalMonths);
  const [share, setShare] = useState<number | null>(current.counsellingSharePercent);
  const [slot, setSlot] = useState<number | null>(current.slotMinutes);
  const [reason, setReason] = useState('');
  const [saved, setSaved] = useState(false);
  const command = useCommand<{
    contactIntervalMonths: number | null;
    counsellingSharePercent: number | null;
    slotMinutes: number | null;
    reason: string;
  }>('PUT', path);
  const reload = () => client.invalidateQueries({ queryKey: settingsKey(teamId) });
  const submit = async () => {
    setSaved(false);
    const result = await command.run({
      contactIntervalMonths: interval,
      counsellingSharePercent: share,
      slotMinutes: slot,
      reason,
    });
    if (result) {
      setSaved(true);
      await reload();
    }
  };
  const field = (name: string) => fieldProps(messageFor(command.error, name), pick);
  return (
    <Section title={t('Teamvereinbarung ändern', 'Change the team agreement')}>
      <p>
        {t(
          'Ein kürzerer Beratungsabstand als 6 Monate kann im Team vereinbart werden; er gilt für Importe ab jetzt.',
          'A contact interval shorter than 6 months can be agreed in the team; it applies to imports from now on.',
        )}
      </p>
      <KolForm _on={{ onSubmit: () => void submit() }}>
        <div className="stack">
          <NumberField
            label={t('Beratungsabstand in Monaten', 'Contact interval in months')}
            value={interval}
            onChange={setInterval}
            min={1}
            max={6}
            required
            message={field('contactIntervalMonths')}
          />
          <NumberField
            label={t('Anteil Beratungszeit an der Arbeitszeit in %', 'Counselling share of working time in %')}
            value={share}
            onChange={setShare}
            min={1}
            max={100}
            message={field('counsellingSharePercent')}
          />
          <NumberField
            label={t('Termindauer in Minuten', 'Slot length in minutes')}
            value={slot}
            onChange={setSlot}
            min={5}
            max={480}
            message={field('slotMinutes')}
          />
          <KolTextarea
            _label={t('Begründung (Teamvereinbarung)', 'Reason (team agreement)')}
            _value={reason}
            _rows={2}
            _required
            _on={{ onInput: (_event: Event, value: unknown) => setReason(textOf(value)) }}
            {...field('reason')}
          />
          <CommandError
            command={command}
            fields={['contactIntervalMonths', 'counsellingSharePercent', 'slotMinutes', 'reason']}
            onReload={reload}
          />
          {saved ? <Success>{t('Teamvereinbarung gespeichert.', 'Team agreement saved.')}</Success> : null}
          <KolButton
            _type="submit"
            _variant="primary"
            _label={t('Vereinbarung speichern', 'Save the agreement')}
            _disabled={command.pending}
          />
        </div>
      </KolForm>
    </Section>
  );
}
