import { KolButton, KolForm, KolInputRange, KolInputText } from '@public-ui/react-v19';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../../api';
import { useTexts, type Texts } from '../../i18n';
import { navigate } from '../../router';
import { DataTable, ErrorAlert, Loading, Page, Section } from '../../ui';
import { breakable, Downloads, instant, shortId } from './parts';
import { textOf } from '../../forms';

interface HistoryEvent {
  readonly position: number;
  readonly streamId: string;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly actor: { readonly user: string; readonly role: string };
  readonly line: { readonly de: string; readonly en: string };
}

interface ReviewHistory {
  readonly reviewId: string;
  readonly teamId: string;
  readonly areaId: string;
  readonly month: string;
  readonly disclosure: 'full' | 'pseudonymised';
  readonly streams: readonly {
    readonly streamId: string;
    readonly kind: 'review' | 'measure';
    readonly revision: number;
  }[];
  readonly events: readonly HistoryEvent[];
}

/** The review's state as its decider folds it from the events up to a revision (not a read model). */
interface FoldedReview {
  readonly status: 'absent' | 'open' | 'completed' | 'withdrawn';
  readonly answers?: Readonly<Record<string, { readonly kind: string; readonly value: unknown }>>;
  readonly defects?: Readonly<
    Record<
      string,
      { readonly questionId: string; readonly category: string; readonly severity: string; readonly withdrawn: boolean }
    >
  >;
  readonly lookBackMonths?: number | null;
  readonly outcome?: string | null;
}

interface AsOfView {
  readonly revision: number | null;
  readonly currentRevision: number | null;
  readonly eventsApplied: number;
  readonly lastOccurredAt: string | null;
  readonly disclosure: 'full' | 'pseudonymised';
  readonly state: FoldedReview;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const reviewRecordPath = (reviewId: string) => `/revision/pruefungen/${encodeURIComponent(reviewId)}`;

/** Auditor: opens a review's record by its id (the ids are in the sample verification and the access log). */
export function ReviewLookupPage() {
  const { t } = useTexts();
  const [id, setId] = useState('');
  const [invalid, setInvalid] = useState(false);
  const open = () => {
    if (!UUID.test(id.trim())) {
      setInvalid(true);
      return;
    }
    navigate(reviewRecordPath(id.trim().toLowerCase()));
  };
  return (
    <Page title={t('Prüfungsakte öffnen', 'Open a review’s record')}>
      <p>
        {t(
          'Die Kennungen der Prüfungen stehen in der Stichprobenprüfung und im Zugriffsprotokoll.',
          'Review ids are listed in the sample verification and the access log.',
        )}
      </p>
      <KolForm _on={{ onSubmit: open }}>
        <div className="stack">
          <KolInputText
            _label={t('Kennung der Prüfung', 'Review id')}
            _value={id}
            _required
            _on={{
              onInput: (_event: Event, next: unknown) => {
                setInvalid(false);
                setId(textOf(next));
              },
            }}
            {...(invalid
              ? {
                  _msg: {
                    _type: 'error' as const,
                    _description: t('Eine Kennung (UUID) erwartet', 'A review id (UUID) is expected'),
                  },
                  _touched: true,
                }
              : {})}
          />
          <KolButton _type="submit" _variant="primary" _label={t('Akte öffnen', 'Open record')} />
        </div>
      </KolForm>
    </Page>
  );
}

function outcomeName(outcome: string | null | undefined, t: Texts['t']): string {
  if (outcome === 'goal-directed') return t('zielgerichtet', 'goal-directed');
  if (outcome === 'not-goal-directed') return t('nicht zielgerichtet', 'not goal-directed');
  return t('noch keine', 'none yet');
}

function statusName(status: FoldedReview['status'], t: Texts['t']): string {
  switch (status) {
    case 'absent':
      return t('noch nicht angelegt', 'not yet created');
    case 'open':
      return t('offen', 'open');
    case 'completed':
      return t('abgeschlossen', 'completed');
    case 'withdrawn':
      return t('ersetzt', 'replaced');
  }
}

function answerText(answer: { readonly kind: string; readonly value: unknown }, t: Texts['t']): string {
  const names: Record<string, string> = {
    yes: t('ja', 'yes'),
    no: t('nein', 'no'),
    na: t('entfällt', 'not applicable'),
    'goal-directed': t('zielgerichtet', 'goal-directed'),
    'not-goal-directed': t('nicht zielgerichtet', 'not goal-directed'),
  };
  if (typeof answer.value === 'string') return names[answer.value] ?? answer.value;
  if (answer.value === null) return t('gelöscht (Schlüssel vernichtet)', 'erased (key destroyed)');
  return JSON.stringify(answer.value);
}

/** Auditor (and the review's readers): the record of one review, its time travel and its export. */
export function ReviewRecordPage({ reviewId }: { readonly reviewId: string }) {
  const texts = useTexts();
  const { t, language, month } = texts;
  const history = useQuery({
    queryKey: ['oversight', 'history', reviewId],
    queryFn: ({ signal }) => get<ReviewHistory>(`/api/v1/reviews/${encodeURIComponent(reviewId)}/history`, signal),
  });
  const title = t(`Prüfungsakte ${shortId(reviewId)}`, `Review record ${shortId(reviewId)}`);
  if (history.isPending)
    return (
      <Page title={title}>
        <Loading />
      </Page>
    );
  if (history.error)
    return (
      <Page title={title}>
        <ErrorAlert error={history.error} />
      </Page>
    );
  const data = history.data;
  const reviewStream = data.streams.find((stream) => stream.kind === 'review');
  const base = `/api/v1/reviews/${encodeURIComponent(reviewId)}`;
  return (
    <Page title={title}>
      <dl className="facts">
        <dt>{t('Prüfung', 'Review')}</dt>
        <dd>{data.reviewId}</dd>
        <dt>{t('Team', 'Team')}</dt>
        <dd>{data.teamId}</dd>
        <dt>{t('Bereich', 'Area')}</dt>
        <dd>{data.areaId}</dd>
        <dt>{t('Stichprobenmonat', 'Sample month')}</dt>
        <dd>{month(data.month)}</dd>
        <dt>{t('Personenbezogene Angaben', 'Personal data')}</dt>
        <dd>
          {data.disclosure === 'full'
            ? t('im Klartext (Zugriff wird protokolliert)', 'in clear (the access is logged)')
            : t('als Platzhalter (pseudonymisiert)', 'as placeholders (pseudonymised)')}
        </dd>
      </dl>
      <Downloads
        links={[
          { label: t('Akte als JSON herunterladen', 'Download the record as JSON'), href: `${base}/audit-export.json` },
          { label: t('Akte als CSV herunterladen', 'Download the record as CSV'), href: `${base}/audit-export.csv` },
        ]}
      />
      {reviewStream && reviewStream.revision >= 0 ? (
        <TimeTravel reviewId={reviewId} latest={reviewStream.revision} history={data} texts={texts} />
      ) : null}
      <Section title={t('Verlauf', 'History')}>
        {/* A list, not a table: a line can be long (an answers event names every answer). */}
        <ol
          className="stack"
          aria-label={t('Ereignisse der Prüfung und ihrer Maßnahmen', 'Events of the review and its measures')}
        >
          {data.events.map((event) => (
            <li key={event.eventId}>
              <strong>
                {instant(event.occurredAt, language)} –{' '}
                {event.streamId.startsWith('measure') ? t('Maßnahme', 'Measure') : t('Prüfung', 'Review')},{' '}
                {t('Revision', 'revision')} {event.revision}, {t('Position', 'position')} {event.position} –{' '}
                {breakable(event.actor.user)} ({event.actor.role})
              </strong>
              <br />
              {breakable(language === 'de' ? event.line.de : event.line.en)}
            </li>
          ))}
        </ol>
      </Section>
    </Page>
  );
}

function TimeTravel({
  reviewId,
  latest,
  history,
  texts,
}: {
  readonly reviewId: string;
  readonly latest: number;
  readonly history: ReviewHistory;
  readonly texts: Texts;
}) {
  const { t, language } = texts;
  const [revision, setRevision] = useState(latest);
  const choose = (next: unknown) => {
    const value = Number(next);
    if (Number.isInteger(value) && value >= 0 && value <= latest) setRevision(value);
  };
  const asOf = useQuery({
    queryKey: ['oversight', 'as-of', reviewId, revision],
    queryFn: ({ signal }) =>
      get<AsOfView>(`/api/v1/reviews/${encodeURIComponent(reviewId)}/as-of?revision=${revision}`, signal),
    placeholderData: keepPreviousData,
  });
  const event = history.events.find(
    (candidate) => candidate.revision === revision && !candidate.streamId.startsWith('measure'),
  );
  const state = asOf.data?.state;
  const answers = Object.entries(state?.answers ?? {});
  const defects = Object.entries(state?.defects ?? {});
  return (
    <Section title={t('Zeitreise', 'Time travel')}>
      <p>
        {t(
          'Der Stand der Prüfung nach einer Revision, aus den Ereignissen neu berechnet (nicht aus einer Ansicht).',
          'The review’s state after a revision, folded again from its events (not from a read model).',
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
            {event ? ` – ${language === 'de' ? event.line.de : event.line.en}` : ''}
            {asOf.data.lastOccurredAt ? ` (${instant(asOf.data.lastOccurredAt, language)})` : ''}
          </p>
          <dl className="facts">
            <dt>{t('Stand', 'Status')}</dt>
            <dd>{statusName(state.status, t)}</dd>
            <dt>{t('Gesamtbewertung', 'Overall assessment')}</dt>
            <dd>{outcomeName(state.outcome, t)}</dd>
            <dt>{t('Betrachtungszeitraum', 'Look-back')}</dt>
            <dd>
              {state.lookBackMonths == null
                ? t('Standard', 'standard')
                : t(`${state.lookBackMonths} Monate`, `${state.lookBackMonths} months`)}
            </dd>
            <dt>{t('Beantwortete Fragen', 'Questions answered')}</dt>
            <dd>{answers.length}</dd>
            <dt>{t('Mängel', 'Defects')}</dt>
            <dd>{defects.filter(([, defect]) => !defect.withdrawn).length}</dd>
          </dl>
          {answers.length > 0 ? (
            <DataTable
              label={t(`Antworten nach Revision ${revision}`, `Answers after revision ${revision}`)}
              columns={[
                { key: 'question', label: t('Frage (Kennung)', 'Question (id)') },
                { key: 'answer', label: t('Antwort', 'Answer') },
              ]}
              rows={answers.map(([question, answer]) => ({
                question: breakable(question),
                answer: breakable(answerText(answer, t)),
              }))}
            />
          ) : null}
          {defects.length > 0 ? (
            <DataTable
              label={t(`Mängel nach Revision ${revision}`, `Defects after revision ${revision}`)}
              columns={[
                { key: 'question', label: t('Frage (Kennung)', 'Question (id)') },
                { key: 'category', label: t('Kategorie', 'Category') },
                { key: 'severity', label: t('Schwere', 'Severity') },
                { key: 'state', label: t('Stand', 'State') },
              ]}
              rows={defects.map(([, defect]) => ({
                question: defect.questionId,
                category: defect.category,
                severity: defect.severity === 'serious' ? t('gravierend', 'serious') : t('gering', 'minor'),
                state: defect.withdrawn ? t('zurückgenommen', 'withdrawn') : t('gültig', 'in force'),
              }))}
            />
          ) : null}
        </div>
      ) : null}
    </Section>
  );
}
