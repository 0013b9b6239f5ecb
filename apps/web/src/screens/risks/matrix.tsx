import { KolButton, KolForm, KolInputText, KolSelect, KolTextarea } from '@public-ui/react-v19';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../../api';
import { useCommand } from '../../commands';
import { CommandError, fieldProps, messageFor, NumberField, selectedOf, textOf } from '../../forms';
import { useTexts, type Texts } from '../../i18n';
import { hasRole, type Session } from '../../session';
import { DataTable, ErrorAlert, Loading, Page, Section, Success } from '../../ui';
import { useMatrix } from './data';
import { label, type MatrixInForce, type RiskLevel } from './types';

/** The matrix in force with its appetite line, for every reader; management sets it. */
export function MatrixPage({ session }: { readonly session: Session }) {
  const texts = useTexts();
  const { t, date } = texts;
  const matrix = useMatrix();
  return (
    <Page title={t('Risikomatrix und Risikobereitschaft', 'Risk matrix and appetite')}>
      {matrix.isPending ? <Loading /> : null}
      {matrix.error ? <ErrorAlert error={matrix.error} /> : null}
      {matrix.data ? (
        <>
          <p>
            {matrix.data.revision < 0
              ? t(
                  'Es gilt die Standardmatrix (die Geschäftsführung hat noch keine festgelegt).',
                  'The default matrix applies (management has not set one yet).',
                )
              : t(
                  `Festgelegt von der Geschäftsführung am ${date(matrix.data.decidedOn ?? '')}.`,
                  `Set by management on ${date(matrix.data.decidedOn ?? '')}.`,
                )}{' '}
            {t(
              `Risikobereitschaft: bis Wert ${matrix.data.matrix.appetite.maxAcceptedScore} (Ausmaß × Wahrscheinlichkeit).`,
              `Appetite: up to score ${matrix.data.matrix.appetite.maxAcceptedScore} (impact × likelihood).`,
            )}{' '}
            {matrix.data.matrix.appetite.alwaysTreatFromImpact === null
              ? t('Kein Schadenspotenzial benannt.', 'No damage potential named.')
              : t(
                  `Ab Schadensausmaß ${matrix.data.matrix.appetite.alwaysTreatFromImpact} ist ein Risiko ein Schadenspotenzial und wird immer behandelt.`,
                  `From impact ${matrix.data.matrix.appetite.alwaysTreatFromImpact} a risk is a damage potential and is always treated.`,
                )}
          </p>
          <DataTable
            label={t('Stufen der Matrix', 'Levels of the matrix')}
            columns={[
              { key: 'level', label: t('Stufe', 'Level'), align: 'right' },
              { key: 'impact', label: t('Schadensausmaß', 'Impact') },
              { key: 'likelihood', label: t('Eintrittswahrscheinlichkeit', 'Likelihood') },
            ]}
            rows={Array.from(
              { length: Math.max(matrix.data.matrix.impact.length, matrix.data.matrix.likelihood.length) },
              (_, index) => ({
                level: index + 1,
                impact: matrix.data.matrix.impact[index] ? label(matrix.data.matrix.impact[index], texts) : '–',
                likelihood: matrix.data.matrix.likelihood[index]
                  ? label(matrix.data.matrix.likelihood[index], texts)
                  : '–',
              }),
            )}
          />
          {hasRole(session, 'management') ? <MatrixForm current={matrix.data} texts={texts} /> : null}
        </>
      ) : null}
    </Page>
  );
}

function Scale({
  name,
  levels,
  onChange,
  error,
  texts,
}: {
  readonly name: 'impact' | 'likelihood';
  readonly levels: readonly RiskLevel[];
  readonly onChange: (levels: RiskLevel[]) => void;
  readonly error: unknown;
  readonly texts: Texts;
}) {
  const { t, pick } = texts;
  const title = name === 'impact' ? t('Schadensausmaß', 'Impact') : t('Eintrittswahrscheinlichkeit', 'Likelihood');
  // A message about the whole scale (its number of levels), not one label.
  const whole =
    error instanceof ApiError ? error.problem.errors?.find((entry) => entry.field === name)?.message : undefined;
  const set = (index: number, key: 'de' | 'en', value: string) =>
    onChange(levels.map((level, at) => (at === index ? { ...level, [key]: value } : level)));
  return (
    <Section title={title} level={3}>
      {levels.map((level, index) => (
        <div className="row" key={level.level}>
          <KolInputText
            _label={t(`${title} Stufe ${level.level} (deutsch)`, `${title} level ${level.level} (German)`)}
            _value={level.de}
            _required
            _on={{ onInput: (_event: Event, value: unknown) => set(index, 'de', textOf(value)) }}
            {...fieldProps(messageFor(error, `${name}[${index}].de`, `${name}.${index}.de`), pick)}
          />
          <KolInputText
            _label={t(`${title} Stufe ${level.level} (englisch)`, `${title} level ${level.level} (English)`)}
            _value={level.en}
            _required
            _on={{ onInput: (_event: Event, value: unknown) => set(index, 'en', textOf(value)) }}
            {...fieldProps(messageFor(error, `${name}[${index}].en`, `${name}.${index}.en`), pick)}
          />
        </div>
      ))}
      {whole ? <p className="field-error">{pick(whole)}</p> : null}
      <div className="row">
        <KolButton
          _label={t(`${title}: Stufe hinzufügen`, `${title}: add a level`)}
          _disabled={levels.length >= 10}
          _on={{
            onClick: () => onChange([...levels, { level: levels.length + 1, de: '', en: '' }]),
          }}
        />
        <KolButton
          _label={t(`${title}: letzte Stufe entfernen`, `${title}: remove the last level`)}
          _disabled={levels.length <= 2}
          _on={{ onClick: () => onChange(levels.slice(0, -1)) }}
        />
      </div>
    </Section>
  );
}

function MatrixForm({ current, texts }: { readonly current: MatrixInForce; readonly texts: Texts }) {
  const { t, pick } = texts;
  const client = useQueryClient();
  const [impact, setImpact] = useState<RiskLevel[]>([...current.matrix.impact]);
  const [likelihood, setLikelihood] = useState<RiskLevel[]>([...current.matrix.likelihood]);
  const [maxScore, setMaxScore] = useState<number | null>(current.matrix.appetite.maxAcceptedScore);
  const [alwaysFrom, setAlwaysFrom] = useState(String(current.matrix.appetite.alwaysTreatFromImpact ?? ''));
  const [reason, setReason] = useState('');
  const [done, setDone] = useState(false);
  const set = useCommand<Record<string, unknown>>('PUT', '/api/v1/risk-matrix');
  const refresh = () => client.invalidateQueries({ queryKey: ['risks'] });
  const submit = async () => {
    setDone(false);
    const result = await set.run(
      {
        impact,
        likelihood,
        appetite: {
          maxAcceptedScore: maxScore ?? 0,
          alwaysTreatFromImpact: alwaysFrom === '' ? null : Number(alwaysFrom),
        },
        reason,
      },
      current.revision >= 0 ? { ifMatch: current.revision } : {},
    );
    if (result) {
      setDone(true);
      await refresh();
    }
  };
  // A 412 reloads the matrix in force (its revision for If-Match); the form keeps what was typed.
  const reload = async () => {
    await refresh();
    set.reset();
  };
  return (
    <Section title={t('Matrix festlegen', 'Set the matrix')}>
      <KolForm _on={{ onSubmit: () => void submit() }}>
        <div className="stack">
          <Scale name="impact" levels={impact} onChange={setImpact} error={set.error} texts={texts} />
          <Scale name="likelihood" levels={likelihood} onChange={setLikelihood} error={set.error} texts={texts} />
          <NumberField
            label={t('Risikobereitschaft: höchster hingenommener Wert', 'Appetite: highest accepted score')}
            value={maxScore}
            min={1}
            max={impact.length * likelihood.length - 1}
            required
            onChange={setMaxScore}
            message={fieldProps(messageFor(set.error, 'appetite.maxAcceptedScore'), pick)}
          />
          <KolSelect
            _label={t('Schadenspotenzial ab Schadensausmaß', 'Damage potential from impact')}
            _options={[
              { label: t('keines', 'none'), value: '' },
              ...impact.map((level) => ({
                label: `${level.level} – ${label(level, texts)}`,
                value: String(level.level),
              })),
            ]}
            _value={[alwaysFrom]}
            _on={{ onChange: (_event: Event, next: unknown) => setAlwaysFrom(selectedOf(next)) }}
            {...fieldProps(messageFor(set.error, 'appetite.alwaysTreatFromImpact'), pick)}
          />
          <KolTextarea
            _label={t('Begründung der Geschäftsführung', 'Management’s reason')}
            _value={reason}
            _required
            _rows={3}
            _on={{ onInput: (_event: Event, value: unknown) => setReason(textOf(value)) }}
            {...fieldProps(messageFor(set.error, 'reason'), pick)}
          />
          <CommandError command={set} fields={['impact', 'likelihood', 'appetite', 'reason']} onReload={reload} />
          {done ? <Success>{t('Matrix festgelegt.', 'Matrix set.')}</Success> : null}
          <KolButton
            _type="submit"
            _variant="primary"
            _label={t('Matrix festlegen', 'Set the matrix')}
            _disabled={set.pending}
          />
        </div>
      </KolForm>
    </Section>
  );
}
