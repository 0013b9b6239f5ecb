import {
  KolButton,
  KolForm,
  KolInputCheckbox,
  KolInputDate,
  KolInputRadio,
  KolInputRange,
  KolInputText,
  KolSelect,
  KolTextarea,
} from '@public-ui/react-v19';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { get } from '../../api';
import { useCommand } from '../../commands';
import { CommandError, fieldProps, messageFor, selectedOf, textOf } from '../../forms';
import { useTexts, type Texts } from '../../i18n';
import { hasRole, type Session } from '../../session';
import { DataTable, ErrorAlert, isoValue, Loading, Page, Section, Success } from '../../ui';
import { instant } from '../oversight/parts';
import { useAreas, useMatrix } from './data';
import {
  appetiteText,
  areaName,
  assessmentText,
  auditorName,
  idList,
  label,
  RISK_STRATEGIES,
  riskKey,
  RISKS_KEY,
  sourceName,
  strategyName,
  type RiskAsOf,
  type RiskHistory,
  type RiskMatrix,
  type RiskStrategy,
  type RiskView,
  type Treatment,
} from './types';

/** One risk: what it is, its assessments and treatments, the forms the caller may use, its history and past states. */
export function RiskPage({ riskId, session }: { readonly riskId: string; readonly session: Session }) {
  const texts = useTexts();
  const { t, date } = texts;
  const areas = useAreas();
  const matrix = useMatrix();
  const risk = useQuery({
    queryKey: riskKey(riskId),
    queryFn: ({ signal }) => get<RiskView>(`/api/v1/risks/${encodeURIComponent(riskId)}`, signal),
  });
  if (risk.isPending)
    return (
      <Page title={t('Risiko', 'Risk')}>
        <Loading />
      </Page>
    );
  if (risk.error)
    return (
      <Page title={t('Risiko', 'Risk')}>
        <ErrorAlert error={risk.error} />
      </Page>
    );
  const data = risk.data;
  const open = data.status === 'open';
  const management = hasRole(session, 'management');
  const maintains =
    management || (hasRole(session, 'area_head') && data.areaId !== null && session.units.includes(data.areaId));
  const links = [
    [t('Mängelkategorien', 'Defect categories'), data.links.defectCategories],
    [t('Entwicklungen', 'Trends'), data.links.trends],
    [t('Teamberichte', 'Team reports'), data.links.teamReports],
    [t('Maßnahmen', 'Measures'), data.links.measures],
  ] as const;
  return (
    <Page title={t(`Risiko: ${data.title}`, `Risk: ${data.title}`)}>
      <dl className="facts">
        <dt>{t('Stand', 'Status')}</dt>
        <dd>
          {open
            ? t('offen', 'open')
            : t(`geschlossen am ${date(data.closedOn ?? '')}`, `closed on ${date(data.closedOn ?? '')}`) +
              (data.closingReason ? ` – ${data.closingReason}` : '')}
        </dd>
        <dt>{t('Beschreibung', 'Description')}</dt>
        <dd>{data.description}</dd>
        <dt>{t('Quelle', 'Source')}</dt>
        <dd>
          {sourceName(data.source.kind, t)}
          {data.source.auditor ? ` – ${auditorName(data.source.auditor)}` : ''}
          {data.source.reference ? ` (${data.source.reference})` : ''}
        </dd>
        <dt>{t('Bereich', 'Area')}</dt>
        <dd>{areaName(data.areaId, areas.data, t)}</dd>
        <dt>{t('Prozess', 'Process')}</dt>
        <dd>{data.process}</dd>
        <dt>{t('Erfasst am', 'Identified on')}</dt>
        <dd>
          {date(data.identifiedOn)} – {data.identificationReason}
        </dd>
        {links
          .filter(([, values]) => values.length > 0)
          .map(([name, values]) => (
            <Fragment key={name}>
              <dt>{name}</dt>
              <dd>{values.join(', ')}</dd>
            </Fragment>
          ))}
        <dt>{t('Aktuelle Bewertung', 'Current assessment')}</dt>
        <dd>
          {data.assessment
            ? `${assessmentText(data.assessment, matrix.data?.matrix, texts)}, ${appetiteText(data.assessment, t)}; ${t('neu zu bewerten bis', 'reassess by')} ${date(data.assessment.reassessBy)}${data.reassessmentOverdue ? ` – ${t('überfällig', 'overdue')}` : ''}`
            : t('noch nicht bewertet', 'not yet assessed')}
        </dd>
        <dt>{t('Strategie', 'Strategy')}</dt>
        <dd>
          {data.treatment
            ? treatmentText(data.treatment, texts) +
              (data.recheckOverdue ? ` – ${t('Überprüfung überfällig', 're-check overdue')}` : '')
            : t('noch nicht entschieden', 'not yet decided')}
        </dd>
      </dl>
      {open && maintains && matrix.data ? <AssessForm risk={data} matrix={matrix.data.matrix} texts={texts} /> : null}
      {open && management && data.assessment ? <TreatmentForm risk={data} texts={texts} /> : null}
      {open && management ? <CloseForm risk={data} texts={texts} /> : null}
      <Assessments risk={data} matrix={matrix.data?.matrix} texts={texts} />
      <History riskId={riskId} texts={texts} />
    </Page>
  );
}

function treatmentText(treatment: Treatment, texts: Texts): string {
  const { t, date } = texts;
  const name = strategyName(treatment.strategy, t);
  const detail =
    treatment.strategy === 'reduce'
      ? t(`durch Maßnahmen ${treatment.measureIds.join(', ')}`, `by measures ${treatment.measureIds.join(', ')}`)
      : treatment.strategy === 'transfer'
        ? t(`an ${treatment.transferTo ?? ''}`, `to ${treatment.transferTo ?? ''}`)
        : treatment.strategy === 'accept'
          ? t(
              `Überprüfung bis ${date(treatment.recheckOn ?? '')}${treatment.againstAppetite ? ', gegen die Risikobereitschaft bestätigt' : ''}`,
              `re-check by ${date(treatment.recheckOn ?? '')}${treatment.againstAppetite ? ', confirmed against the appetite' : ''}`,
            )
          : '';
  return `${name}${detail ? ` (${detail})` : ''}, ${t('entschieden am', 'decided on')} ${date(treatment.decidedOn)}`;
}

function useRefresh(riskId: string) {
  const client = useQueryClient();
  return async () => {
    await client.invalidateQueries({ queryKey: RISKS_KEY });
    await client.invalidateQueries({ queryKey: riskKey(riskId) });
  };
}

function AssessForm({
  risk,
  matrix,
  texts,
}: {
  readonly risk: RiskView;
  readonly matrix: RiskMatrix;
  readonly texts: Texts;
}) {
  const { t, pick } = texts;
  const refresh = useRefresh(risk._id);
  const [impact, setImpact] = useState(risk.assessment?.impact ?? 1);
  const [likelihood, setLikelihood] = useState(risk.assessment?.likelihood ?? 1);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const assess = useCommand<{ impact: number; likelihood: number; reason: string }>(
    'POST',
    `/api/v1/risks/${encodeURIComponent(risk._id)}/assessments`,
  );
  const score = impact * likelihood;
  const damagePotential =
    matrix.appetite.alwaysTreatFromImpact !== null && impact >= matrix.appetite.alwaysTreatFromImpact;
  const above = damagePotential || score > matrix.appetite.maxAcceptedScore;
  const submit = async () => {
    setDone(null);
    const result = await assess.run({ impact, likelihood, reason }, { ifMatch: risk.streamRevision });
    if (result) {
      setReason('');
      setDone(
        risk.assessment ? t('Risiko neu bewertet.', 'Risk reassessed.') : t('Risiko bewertet.', 'Risk assessed.'),
      );
      await refresh();
    }
  };
  const reload = async () => {
    await refresh();
    assess.reset();
  };
  const levels = (scale: RiskMatrix['impact']) =>
    scale.map((level) => ({ label: `${level.level} – ${label(level, texts)}`, value: level.level }));
  return (
    <Section title={risk.assessment ? t('Neu bewerten', 'Reassess') : t('Bewerten', 'Assess')}>
      <KolForm _on={{ onSubmit: () => void submit() }}>
        <div className="stack">
          <div className="row">
            <KolSelect
              _label={t('Schadensausmaß', 'Impact')}
              _options={levels(matrix.impact)}
              _value={[impact]}
              _on={{ onChange: (_event: Event, next: unknown) => setImpact(Number(selectedOf(next)) || 1) }}
              {...fieldProps(messageFor(assess.error, 'impact'), pick)}
            />
            <KolSelect
              _label={t('Eintrittswahrscheinlichkeit', 'Likelihood')}
              _options={levels(matrix.likelihood)}
              _value={[likelihood]}
              _on={{ onChange: (_event: Event, next: unknown) => setLikelihood(Number(selectedOf(next)) || 1) }}
              {...fieldProps(messageFor(assess.error, 'likelihood'), pick)}
            />
          </div>
          <p aria-live="polite">
            <strong>
              {t(`Wert ${score}`, `Score ${score}`)} –{' '}
              {damagePotential
                ? t(
                    'Schadenspotenzial: über der Risikobereitschaft, wird unabhängig von der Wahrscheinlichkeit behandelt',
                    'damage potential: above the appetite, treated whatever its likelihood',
                  )
                : above
                  ? t(
                      `über der Risikobereitschaft (höchstens ${matrix.appetite.maxAcceptedScore})`,
                      `above the appetite (at most ${matrix.appetite.maxAcceptedScore})`,
                    )
                  : t(
                      `innerhalb der Risikobereitschaft (höchstens ${matrix.appetite.maxAcceptedScore})`,
                      `within the appetite (at most ${matrix.appetite.maxAcceptedScore})`,
                    )}
            </strong>
          </p>
          <KolTextarea
            _label={t('Begründung der Bewertung', 'Reason for the assessment')}
            _value={reason}
            _required
            _rows={3}
            _on={{ onInput: (_event: Event, value: unknown) => setReason(textOf(value)) }}
            {...fieldProps(messageFor(assess.error, 'reason'), pick)}
          />
          <CommandError command={assess} fields={['impact', 'likelihood', 'reason']} onReload={reload} />
          {done ? <Success>{done}</Success> : null}
          <KolButton
            _type="submit"
            _variant="primary"
            _label={risk.assessment ? t('Neu bewerten', 'Reassess') : t('Bewerten', 'Assess')}
            _disabled={assess.pending}
          />
        </div>
      </KolForm>
    </Section>
  );
}

function TreatmentForm({ risk, texts }: { readonly risk: RiskView; readonly texts: Texts }) {
  const { t, pick } = texts;
  const refresh = useRefresh(risk._id);
  const [strategy, setStrategy] = useState<RiskStrategy>(risk.treatment?.strategy ?? 'reduce');
  const [measures, setMeasures] = useState('');
  const [transferTo, setTransferTo] = useState('');
  const [recheckOn, setRecheckOn] = useState('');
  const [against, setAgainst] = useState(false);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const decide = useCommand<Record<string, unknown>>('POST', `/api/v1/risks/${encodeURIComponent(risk._id)}/treatment`);
  const field = (name: string) => fieldProps(messageFor(decide.error, name), pick);
  const assessment = risk.assessment!;
  const submit = async () => {
    setDone(null);
    const result = await decide.run(
      {
        strategy,
        reason,
        ...(strategy === 'reduce' ? { measureIds: idList(measures) } : {}),
        ...(strategy === 'transfer' ? { transferTo } : {}),
        ...(strategy === 'accept' ? { recheckOn, againstAppetite: against } : {}),
      },
      { ifMatch: risk.streamRevision },
    );
    if (result) {
      setReason('');
      setAgainst(false);
      setDone(t('Strategie entschieden.', 'Strategy decided.'));
      await refresh();
    }
  };
  const reload = async () => {
    await refresh();
    decide.reset();
  };
  return (
    <Section title={t('Strategie entscheiden', 'Decide the strategy')}>
      <KolForm _on={{ onSubmit: () => void submit() }}>
        <div className="stack">
          <KolInputRadio
            _label={t('Strategie', 'Strategy')}
            _name="risk-strategy"
            _orientation="horizontal"
            _options={RISK_STRATEGIES.map((value) => ({ label: strategyName(value, t), value }))}
            _value={strategy}
            _on={{ onInput: (_event: Event, value: unknown) => setStrategy(String(value) as RiskStrategy) }}
            {...field('strategy')}
          />
          {strategy === 'reduce' ? (
            <KolInputText
              _label={t('Maßnahmen (Kennungen)', 'Measures (ids)')}
              _hint={t('mindestens eine; mehrere durch Komma getrennt', 'at least one; several separated by commas')}
              _value={measures}
              _required
              _on={{ onInput: (_event: Event, value: unknown) => setMeasures(textOf(value)) }}
              {...field('measureIds')}
            />
          ) : null}
          {strategy === 'transfer' ? (
            <KolInputText
              _label={t('Übertragen an', 'Transferred to')}
              _value={transferTo}
              _required
              _on={{ onInput: (_event: Event, value: unknown) => setTransferTo(textOf(value)) }}
              {...field('transferTo')}
            />
          ) : null}
          {strategy === 'accept' ? (
            <>
              {assessment.damagePotential ? (
                <p>
                  {t(
                    'Dieses Risiko ist ein Schadenspotenzial: es wird unabhängig von seiner Wahrscheinlichkeit nicht hingenommen.',
                    'This risk is a damage potential: it is not accepted whatever its likelihood.',
                  )}
                </p>
              ) : null}
              <KolInputDate
                _type="date"
                _label={t('Überprüfung spätestens am', 'Re-check by')}
                _value={isoValue(recheckOn)}
                _required
                _on={{ onInput: (_event: Event, value: unknown) => setRecheckOn(textOf(value)) }}
                {...field('recheckOn')}
              />
              {assessment.aboveAppetite && !assessment.damagePotential ? (
                <KolInputCheckbox
                  _label={t(
                    `Hinnahme gegen die Risikobereitschaft bestätigen (Wert ${assessment.score})`,
                    `Confirm accepting against the appetite (score ${assessment.score})`,
                  )}
                  _checked={against}
                  _value="against"
                  _on={{
                    onInput: (_event: Event, value: unknown) => setAgainst(value === true || value === 'against'),
                  }}
                />
              ) : null}
            </>
          ) : null}
          <KolTextarea
            _label={t('Begründung der Geschäftsführung', 'Management’s reason')}
            _value={reason}
            _required
            _rows={3}
            _on={{ onInput: (_event: Event, value: unknown) => setReason(textOf(value)) }}
            {...field('reason')}
          />
          <CommandError
            command={decide}
            fields={['strategy', 'measureIds', 'transferTo', 'recheckOn', 'reason']}
            onReload={reload}
          />
          {done ? <Success>{done}</Success> : null}
          <KolButton _type="submit" _variant="primary" _label={t('Entscheiden', 'Decide')} _disabled={decide.pending} />
        </div>
      </KolForm>
    </Section>
  );
}

function CloseForm({ risk, texts }: { readonly risk: RiskView; readonly texts: Texts }) {
  const { t, pick } = texts;
  const refresh = useRefresh(risk._id);
  const [reason, setReason] = useState('');
  const close = useCommand<{ reason: string }>('POST', `/api/v1/risks/${encodeURIComponent(risk._id)}/closure`);
  const submit = async () => {
    if (await close.run({ reason }, { ifMatch: risk.streamRevision })) await refresh();
  };
  const reload = async () => {
    await refresh();
    close.reset();
  };
  return (
    <Section title={t('Risiko schließen', 'Close the risk')}>
      <KolForm _on={{ onSubmit: () => void submit() }}>
        <div className="stack">
          <KolTextarea
            _label={t('Grund des Schließens', 'Reason for closing')}
            _value={reason}
            _required
            _rows={2}
            _on={{ onInput: (_event: Event, value: unknown) => setReason(textOf(value)) }}
            {...fieldProps(messageFor(close.error, 'reason'), pick)}
          />
          <CommandError command={close} fields={['reason']} onReload={reload} />
          <KolButton _type="submit" _label={t('Schließen', 'Close')} _disabled={close.pending} />
        </div>
      </KolForm>
    </Section>
  );
}

function Assessments({
  risk,
  matrix,
  texts,
}: {
  readonly risk: RiskView;
  readonly matrix: RiskMatrix | undefined;
  readonly texts: Texts;
}) {
  const { t, date } = texts;
  return (
    <Section title={t('Bewertungen und Strategien', 'Assessments and strategies')}>
      {risk.assessments.length === 0 ? (
        <p>{t('Noch keine Bewertung.', 'No assessment yet.')}</p>
      ) : (
        <DataTable
          label={t('Bewertungen', 'Assessments')}
          columns={[
            { key: 'on', label: t('Am', 'On') },
            { key: 'kind', label: t('Art', 'Kind') },
            { key: 'assessment', label: t('Ausmaß × Wahrscheinlichkeit', 'Impact × likelihood') },
            { key: 'appetite', label: t('Risikobereitschaft', 'Appetite') },
            { key: 'due', label: t('Neu zu bewerten bis', 'Reassess by') },
            { key: 'reason', label: t('Begründung', 'Reason') },
          ]}
          rows={risk.assessments.map((assessment) => ({
            on: date(assessment.assessedOn),
            kind: assessment.kind === 'assessed' ? t('Bewertung', 'assessment') : t('Neubewertung', 'reassessment'),
            assessment: assessmentText(assessment, matrix, texts),
            appetite: appetiteText(assessment, t),
            due: date(assessment.reassessBy),
            reason: assessment.reason,
          }))}
        />
      )}
      {risk.treatments.length > 0 ? (
        <DataTable
          label={t('Strategien', 'Strategies')}
          columns={[
            { key: 'decision', label: t('Entscheidung', 'Decision') },
            { key: 'reason', label: t('Begründung', 'Reason') },
          ]}
          rows={risk.treatments.map((treatment) => ({
            decision: treatmentText(treatment, texts),
            reason: treatment.reason ?? '',
          }))}
        />
      ) : null}
    </Section>
  );
}

function History({ riskId, texts }: { readonly riskId: string; readonly texts: Texts }) {
  const { t, language } = texts;
  const history = useQuery({
    queryKey: [...riskKey(riskId), 'history'],
    queryFn: ({ signal }) => get<RiskHistory>(`/api/v1/risks/${encodeURIComponent(riskId)}/history`, signal),
  });
  if (history.isPending) return <Loading />;
  if (history.error) return <ErrorAlert error={history.error} />;
  const data = history.data;
  return (
    <>
      {/* Keyed by the latest revision: after a new event it opens at the current state again. */}
      <TimeTravel key={data.revision} riskId={riskId} history={data} texts={texts} />
      <Section title={t('Verlauf', 'History')}>
        <ol className="stack" aria-label={t('Ereignisse des Risikos', 'Events of the risk')}>
          {data.events.map((event) => (
            <li key={event.eventId}>
              <strong>
                {instant(event.occurredAt, language)} – {t('Revision', 'revision')} {event.revision} –{' '}
                {event.actor.role}
              </strong>
              <br />
              {label(event.line, texts)}
            </li>
          ))}
        </ol>
      </Section>
    </>
  );
}

function TimeTravel({
  riskId,
  history,
  texts,
}: {
  readonly riskId: string;
  readonly history: RiskHistory;
  readonly texts: Texts;
}) {
  const { t, date, language } = texts;
  const latest = history.revision;
  const [revision, setRevision] = useState(latest);
  const choose = (next: unknown) => {
    const value = Number(next);
    if (Number.isInteger(value) && value >= 0 && value <= latest) setRevision(value);
  };
  const asOf = useQuery({
    queryKey: [...riskKey(riskId), 'as-of', revision],
    queryFn: ({ signal }) =>
      get<RiskAsOf>(`/api/v1/risks/${encodeURIComponent(riskId)}/as-of?revision=${revision}`, signal),
    placeholderData: keepPreviousData,
  });
  const event = history.events.find((candidate) => candidate.revision === revision);
  const state = asOf.data?.state;
  return (
    <Section title={t('Zeitreise', 'Time travel')}>
      <p>
        {t(
          'Der Stand des Risikos nach einer Revision, aus seinen Ereignissen neu berechnet.',
          'The risk’s state after a revision, folded again from its events.',
        )}
      </p>
      <KolInputRange
        _label={t('Revision', 'Revision')}
        _min={0}
        _max={latest}
        _step={1}
        _value={revision}
        _hint={t(`0 bis ${latest} (aktuell)`, `0 to ${latest} (current)`)}
        _on={{
          onInput: (_event: Event, next: unknown) => choose(next),
          onChange: (_event: Event, next: unknown) => choose(next),
        }}
      />
      {asOf.error ? <ErrorAlert error={asOf.error} /> : null}
      {asOf.isPending ? <Loading /> : null}
      {state && asOf.data ? (
        <div className="stack" aria-live="polite">
          <p>
            <strong>
              {t(
                `Stand nach Revision ${asOf.data.revision ?? revision} von ${asOf.data.currentRevision ?? latest}`,
                `State after revision ${asOf.data.revision ?? revision} of ${asOf.data.currentRevision ?? latest}`,
              )}
            </strong>
            {event ? ` – ${label(event.line, texts)}` : ''}
            {asOf.data.lastOccurredAt ? ` (${instant(asOf.data.lastOccurredAt, language)})` : ''}
          </p>
          <dl className="facts">
            <dt>{t('Stand', 'Status')}</dt>
            <dd>
              {state.status === 'closed'
                ? t(`geschlossen am ${date(state.closedOn ?? '')}`, `closed on ${date(state.closedOn ?? '')}`)
                : t('offen', 'open')}
            </dd>
            <dt>{t('Bewertung', 'Assessment')}</dt>
            <dd>
              {state.assessment
                ? `${state.assessment.impact} × ${state.assessment.likelihood} = ${state.assessment.score}, ${appetiteText(state.assessment, t)}`
                : t('noch nicht bewertet', 'not yet assessed')}
            </dd>
            <dt>{t('Zahl der Bewertungen', 'Number of assessments')}</dt>
            <dd>{state.assessments ?? 0}</dd>
            <dt>{t('Strategie', 'Strategy')}</dt>
            <dd>
              {state.treatment ? treatmentText(state.treatment, texts) : t('noch nicht entschieden', 'not yet decided')}
            </dd>
          </dl>
        </div>
      ) : null}
    </Section>
  );
}
