import {
  KolButton,
  KolForm,
  KolInputCheckbox,
  KolInputDate,
  KolInputRadio,
  KolInputText,
  KolSelect,
  KolTextarea,
} from '@public-ui/react-v19';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../../api';
import { useCommand } from '../../commands';
import { CommandError, fieldProps, NumberField, selectedOf, textOf } from '../../forms';
import { useTexts, type Texts } from '../../i18n';
import { ErrorAlert, isoValue, Loading, Page, Section, Success } from '../../ui';
import { DeputyBanner } from './deputy-banner';

type AnswerType = 'yes-no-na' | 'goal-directed' | 'text' | 'date';

interface Question {
  readonly id: string;
  readonly text: string;
  readonly answerType: AnswerType;
  readonly mandatory: boolean;
  readonly category: string;
  readonly legalNorm: string | null;
  readonly guidance: string | null;
}

interface ReviewView {
  readonly id: string;
  readonly revision: number;
  readonly teamId: string;
  readonly month: string;
  readonly deadline: string;
  readonly overdue: boolean;
  readonly status: 'open' | 'completed' | 'withdrawn';
  readonly customerGroup: string;
  readonly caseRef: string | null;
  readonly questionnaire: { readonly id: string; readonly version: number };
  readonly questions: readonly Question[];
  readonly answers: readonly { readonly questionId: string; readonly value: string | null }[];
  readonly lookBack: { readonly months: number; readonly reason: string | null };
  readonly defects: readonly {
    readonly defectId: string;
    readonly questionId: string;
    readonly category: string;
    readonly severity: 'minor' | 'serious';
    readonly legalNorm: string | null;
    readonly financialLoss: boolean;
    readonly vfv: boolean;
    readonly description: string | null;
    readonly withdrawn: boolean;
  }[];
  readonly outcome: 'goal-directed' | 'not-goal-directed' | null;
  readonly summary: string | null;
  readonly talks: readonly {
    readonly date: string;
    readonly employee: string | null;
    readonly outcome: string | null;
  }[];
  readonly teamDiscussions: readonly { readonly date: string; readonly notes: string | null }[];
  readonly deputyWork: boolean;
}

const reviewKey = (id: string) => ['review', id];

/** Team lead (or deputy while acting): one sampled case, answered with the pinned questionnaire version. */
export function ReviewPage({ reviewId }: { readonly reviewId: string }) {
  const texts = useTexts();
  const { t, date } = texts;
  const review = useQuery({
    queryKey: reviewKey(reviewId),
    queryFn: ({ signal }) => get<ReviewView>(`/api/v1/reviews/${encodeURIComponent(reviewId)}`, signal),
  });
  if (review.isPending) return <Loading />;
  if (review.error) return <ErrorAlert error={review.error} />;
  const data = review.data;
  const open = data.status === 'open';
  return (
    <Page title={t(`Prüfung ${data.caseRef ?? data.id.slice(0, 8)}`, `Review ${data.caseRef ?? data.id.slice(0, 8)}`)}>
      <DeputyBanner teamId={data.teamId} />
      <dl className="facts">
        <dt>{t('Team', 'Team')}</dt>
        <dd>{data.teamId}</dd>
        <dt>{t('Personengruppe', 'Customer group')}</dt>
        <dd>{data.customerGroup}</dd>
        <dt>{t('Frist', 'Deadline')}</dt>
        <dd>
          {date(data.deadline)}
          {data.overdue && open ? ` – ${t('überfällig', 'overdue')}` : ''}
        </dd>
        <dt>{t('Stand', 'Status')}</dt>
        <dd>
          {data.status === 'open'
            ? t('offen', 'open')
            : data.status === 'completed'
              ? t('abgeschlossen', 'completed')
              : t('ersetzt', 'replaced')}
        </dd>
        <dt>{t('Fragebogen', 'Questionnaire')}</dt>
        <dd>
          <QuestionnaireName questionnaire={data.questionnaire} />
        </dd>
        <dt>{t('Betrachtungszeitraum', 'Look-back')}</dt>
        <dd>{t(`${data.lookBack.months} Monate`, `${data.lookBack.months} months`)}</dd>
      </dl>
      {open ? <LookBack review={data} texts={texts} /> : null}
      {open ? <AnswersForm review={data} texts={texts} /> : <AnswersReadOnly review={data} texts={texts} />}
      <Defects review={data} texts={texts} />
      {open ? <Completion review={data} texts={texts} /> : null}
      {data.status === 'completed' ? <Talks review={data} texts={texts} /> : null}
      {data.status === 'completed' ? <TeamDiscussion review={data} texts={texts} /> : null}
      {data.status === 'completed' ? <Correction review={data} texts={texts} /> : null}
    </Page>
  );
}

/**
 * The pinned questionnaire by its title and version. The review's view names only the id; the title comes
 * from the questionnaire's read endpoint (every employee of the Jobcenter may read it, 000:77). Until it
 * has answered (or if it cannot), the id stands in.
 */
function QuestionnaireName({ questionnaire }: { readonly questionnaire: ReviewView['questionnaire'] }) {
  const { t, date } = useTexts();
  const pinned = useQuery({
    queryKey: ['questionnaire', questionnaire.id, 'version', questionnaire.version],
    queryFn: ({ signal }) =>
      get<{ readonly title: string; readonly version: number; readonly validFrom: string }>(
        `/api/v1/questionnaires/${encodeURIComponent(questionnaire.id)}?version=${questionnaire.version}`,
        signal,
      ),
    // Published versions never change.
    staleTime: Infinity,
  });
  const version = t(`Version ${questionnaire.version}`, `version ${questionnaire.version}`);
  return pinned.data ? (
    <>
      {pinned.data.title}, {version}{' '}
      {t(`(gültig ab ${date(pinned.data.validFrom)})`, `(valid from ${date(pinned.data.validFrom)})`)}
    </>
  ) : (
    <>
      {questionnaire.id}, {version}
    </>
  );
}

function answerOptions(type: AnswerType, t: Texts['t']) {
  return type === 'yes-no-na'
    ? [
        { label: t('ja', 'yes'), value: 'yes' },
        { label: t('nein', 'no'), value: 'no' },
        { label: t('entfällt', 'not applicable'), value: 'na' },
      ]
    : [
        { label: t('zielgerichtet', 'goal-directed'), value: 'goal-directed' },
        { label: t('nicht zielgerichtet', 'not goal-directed'), value: 'not-goal-directed' },
      ];
}

function AnswersForm({ review, texts }: { readonly review: ReviewView; readonly texts: Texts }) {
  const { t, pick } = texts;
  const client = useQueryClient();
  const saved = Object.fromEntries(review.answers.map((answer) => [answer.questionId, answer.value ?? '']));
  // What the user typed stays here until it is saved, also across a reload of a newer revision (412).
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [baseRevision, setBaseRevision] = useState(review.revision);
  const [done, setDone] = useState(false);
  const save = useCommand<{ answers: { questionId: string; value: string }[] }>(
    'PUT',
    `/api/v1/reviews/${encodeURIComponent(review.id)}/answers`,
  );
  const value = (id: string) => draft[id] ?? saved[id] ?? '';
  const set = (id: string, next: unknown) => {
    if (typeof next !== 'string') return;
    setDone(false);
    setDraft((current) => ({ ...current, [id]: next }));
  };
  const changed = Object.entries(draft).filter(([id, answer]) => answer !== '' && answer !== (saved[id] ?? ''));
  const submit = async () => {
    if (changed.length === 0) return;
    const result = await save.run(
      { answers: changed.map(([questionId, answer]) => ({ questionId, value: answer })) },
      { ifMatch: baseRevision },
    );
    if (result) {
      setDraft({});
      setDone(true);
      await client.invalidateQueries({ queryKey: reviewKey(review.id) });
    }
  };
  const reloadKeepingInput = async () => {
    await client.invalidateQueries({ queryKey: reviewKey(review.id) });
    const fresh = client.getQueryData<ReviewView>(reviewKey(review.id));
    if (fresh) setBaseRevision(fresh.revision);
    save.reset();
  };
  if (baseRevision < review.revision && !save.conflict && Object.keys(draft).length === 0)
    setBaseRevision(review.revision);
  return (
    <Section title={t('Fragen', 'Questions')}>
      <KolForm
        _requiredText={t(
          'Pflichtfragen sind mit einem Sternchen markiert.',
          'Mandatory questions are marked with an asterisk.',
        )}
        _on={{ onSubmit: () => void submit() }}
      >
        <div className="stack">
          {review.questions.map((question, index) => {
            const message = save.fieldMessage(`answers.${index}`) ?? save.fieldMessage('answers');
            const messageProps = fieldProps(message, pick);
            const label = `${question.text}${question.legalNorm ? ` (${question.legalNorm})` : ''}`;
            return (
              <div className="question" key={question.id}>
                {question.answerType === 'yes-no-na' || question.answerType === 'goal-directed' ? (
                  <KolInputRadio
                    _label={label}
                    _name={`answer-${question.id}`}
                    _options={answerOptions(question.answerType, t)}
                    _value={value(question.id)}
                    _required={question.mandatory}
                    _orientation="horizontal"
                    _hint={question.guidance ?? undefined}
                    {...messageProps}
                    _on={{ onInput: (_event: Event, next: unknown) => set(question.id, next) }}
                  />
                ) : question.answerType === 'date' ? (
                  <KolInputDate
                    _type="date"
                    _label={label}
                    _value={isoValue(value(question.id))}
                    _required={question.mandatory}
                    _hint={question.guidance ?? undefined}
                    {...messageProps}
                    _on={{ onInput: (_event: Event, next: unknown) => set(question.id, next) }}
                  />
                ) : (
                  <KolTextarea
                    _label={label}
                    _value={value(question.id)}
                    _required={question.mandatory}
                    _hint={question.guidance ?? undefined}
                    {...messageProps}
                    _rows={3}
                    _on={{ onInput: (_event: Event, next: unknown) => set(question.id, next) }}
                  />
                )}
              </div>
            );
          })}
          <CommandError command={save} onReload={reloadKeepingInput} />
          {done ? <Success>{t('Antworten gespeichert.', 'Answers saved.')}</Success> : null}
          <KolButton
            _type="submit"
            _variant="primary"
            _label={t(`Antworten speichern (${changed.length} geändert)`, `Save answers (${changed.length} changed)`)}
            _disabled={save.pending || changed.length === 0}
          />
        </div>
      </KolForm>
    </Section>
  );
}

function AnswersReadOnly({ review, texts }: { readonly review: ReviewView; readonly texts: Texts }) {
  const { t } = texts;
  const answers = new Map(review.answers.map((answer) => [answer.questionId, answer.value]));
  const shown = (question: Question) => {
    const answer = answers.get(question.id);
    if (answer === undefined || answer === null) return t('nicht beantwortet', 'not answered');
    if (question.answerType === 'yes-no-na' || question.answerType === 'goal-directed') {
      return answerOptions(question.answerType, t).find((option) => option.value === answer)?.label ?? answer;
    }
    return answer;
  };
  return (
    <Section title={t('Antworten', 'Answers')}>
      <dl className="facts">
        {review.questions.map((question) => (
          <div key={question.id} style={{ display: 'contents' }}>
            <dt>{question.text}</dt>
            <dd>{shown(question)}</dd>
          </div>
        ))}
      </dl>
    </Section>
  );
}

function Defects({ review, texts }: { readonly review: ReviewView; readonly texts: Texts }) {
  const { t, pick } = texts;
  const client = useQueryClient();
  const questions = review.questions;
  const [questionId, setQuestionId] = useState(questions[0]?.id ?? '');
  const [severity, setSeverity] = useState<'minor' | 'serious'>('minor');
  const [description, setDescription] = useState('');
  const [financialLoss, setFinancialLoss] = useState(false);
  const [done, setDone] = useState(false);
  const record = useCommand<Record<string, unknown>>(
    'POST',
    `/api/v1/reviews/${encodeURIComponent(review.id)}/defects`,
  );
  const question = questions.find((candidate) => candidate.id === questionId);
  const [category, setCategory] = useState('');
  const [legalNorm, setLegalNorm] = useState('');
  const submit = async () => {
    const result = await record.run({
      questionId,
      severity,
      description,
      financialLoss,
      ...(category.trim() !== '' ? { category: category.trim() } : {}),
      ...(legalNorm.trim() !== '' ? { legalNorm: legalNorm.trim() } : {}),
    });
    if (result) {
      setDescription('');
      setFinancialLoss(false);
      setCategory('');
      setLegalNorm('');
      setDone(true);
      await client.invalidateQueries({ queryKey: reviewKey(review.id) });
    }
  };
  const msg = (field: string) => fieldProps(record.fieldMessage(field), pick);
  const active = review.defects.filter((defect) => !defect.withdrawn);
  return (
    <Section title={t('Mängel', 'Defects')}>
      {active.length === 0 ? (
        <p>{t('Keine Mängel erfasst.', 'No defects recorded.')}</p>
      ) : (
        <ul>
          {active.map((defect) => (
            <li key={defect.defectId}>
              <strong>{defect.severity === 'serious' ? t('gravierend', 'serious') : t('gering', 'minor')}</strong>,{' '}
              {defect.category}
              {defect.legalNorm ? `, ${defect.legalNorm}` : ''}
              {defect.vfv ? `, ${t('Vermögensschaden (VfV-Verfahren)', 'financial loss (VfV procedure)')}` : ''}:{' '}
              {defect.description}
            </li>
          ))}
        </ul>
      )}
      {review.status === 'open' && questions.length > 0 ? (
        <KolForm _on={{ onSubmit: () => void submit() }}>
          <div className="stack">
            <KolSelect
              _label={t('Frage', 'Question')}
              _options={questions.map((candidate) => ({ label: candidate.text, value: candidate.id }))}
              _value={[questionId]}
              _required
              _on={{
                onChange: (_event: Event, next: unknown) => setQuestionId(String(Array.isArray(next) ? next[0] : next)),
              }}
              {...msg('questionId')}
            />
            <KolInputRadio
              _label={t('Schwere', 'Severity')}
              _name="defect-severity"
              _orientation="horizontal"
              _options={[
                { label: t('gering', 'minor'), value: 'minor' },
                { label: t('gravierend', 'serious'), value: 'serious' },
              ]}
              _value={severity}
              _required
              _on={{ onInput: (_event: Event, next: unknown) => setSeverity(next === 'serious' ? 'serious' : 'minor') }}
              {...msg('severity')}
            />
            <KolInputText
              _label={t('Kategorie', 'Category')}
              _hint={t(
                `Leer lassen für die Kategorie der Frage: ${question?.category ?? ''}`,
                `Leave empty for the question’s category: ${question?.category ?? ''}`,
              )}
              _value={category}
              _on={{ onInput: (_event: Event, next: unknown) => setCategory(textOf(next)) }}
              {...msg('category')}
            />
            <KolInputText
              _label={t('Rechtsnorm', 'Legal norm')}
              _hint={t(
                `Leer lassen für die Rechtsnorm der Frage: ${question?.legalNorm ?? '–'}`,
                `Leave empty for the question’s legal norm: ${question?.legalNorm ?? '–'}`,
              )}
              _value={legalNorm}
              _on={{ onInput: (_event: Event, next: unknown) => setLegalNorm(textOf(next)) }}
              {...msg('legalNorm')}
            />
            <KolTextarea
              _label={t('Beschreibung', 'Description')}
              _value={description}
              _required
              _rows={3}
              _on={{ onInput: (_event: Event, next: unknown) => setDescription(textOf(next)) }}
              {...msg('description')}
            />
            <KolInputCheckbox
              _label={t('Vermögensschaden (führt zum VfV-Verfahren)', 'Financial loss (leads to the VfV procedure)')}
              _checked={financialLoss}
              _value="financial-loss"
              _on={{
                onInput: (_event: Event, next: unknown) => setFinancialLoss(next === true || next === 'financial-loss'),
              }}
            />
            {record.error && !record.fieldMessage('description') && !record.fieldMessage('questionId') ? (
              <ErrorAlert error={record.error} />
            ) : null}
            {done ? <Success>{t('Mangel erfasst.', 'Defect recorded.')}</Success> : null}
            <KolButton _type="submit" _label={t('Mangel erfassen', 'Record defect')} _disabled={record.pending} />
          </div>
        </KolForm>
      ) : null}
    </Section>
  );
}

function Completion({ review, texts }: { readonly review: ReviewView; readonly texts: Texts }) {
  const { t, pick } = texts;
  const client = useQueryClient();
  const [outcome, setOutcome] = useState('');
  const [summary, setSummary] = useState('');
  const complete = useCommand<{ outcome: string; summary: string }>(
    'POST',
    `/api/v1/reviews/${encodeURIComponent(review.id)}/completion`,
  );
  const submit = async () => {
    const result = await complete.run({ outcome, summary }, { ifMatch: review.revision });
    if (result) await client.invalidateQueries({ queryKey: reviewKey(review.id) });
  };
  const msg = (field: string) => fieldProps(complete.fieldMessage(field), pick);
  return (
    <Section title={t('Abschluss', 'Completion')}>
      <KolForm _on={{ onSubmit: () => void submit() }}>
        <div className="stack">
          <KolInputRadio
            _label={t('Gesamtbewertung', 'Overall assessment')}
            _name="completion-outcome"
            _orientation="horizontal"
            _options={answerOptions('goal-directed', t)}
            _value={outcome}
            _required
            _on={{ onInput: (_event: Event, next: unknown) => setOutcome(textOf(next)) }}
            {...msg('outcome')}
          />
          <KolTextarea
            _label={t('Zusammenfassung', 'Summary')}
            _value={summary}
            _required
            _rows={4}
            _on={{ onInput: (_event: Event, next: unknown) => setSummary(textOf(next)) }}
            {...msg('summary')}
          />
          {complete.error && !complete.fieldMessage('outcome') && !complete.fieldMessage('summary') ? (
            <ErrorAlert error={complete.error} />
          ) : null}
          <KolButton
            _type="submit"
            _variant="primary"
            _label={t('Prüfung abschließen', 'Complete review')}
            _disabled={complete.pending}
          />
        </div>
      </KolForm>
    </Section>
  );
}

function Talks({ review, texts }: { readonly review: ReviewView; readonly texts: Texts }) {
  const { t, pick, date } = texts;
  const client = useQueryClient();
  const [talkDate, setTalkDate] = useState('');
  const [employee, setEmployee] = useState('');
  const [outcome, setOutcome] = useState('');
  const record = useCommand<{ date: string; employee: string; outcome: string }>(
    'POST',
    `/api/v1/reviews/${encodeURIComponent(review.id)}/talks`,
  );
  const submit = async () => {
    const result = await record.run({ date: talkDate, employee, outcome });
    if (result) {
      setTalkDate('');
      setEmployee('');
      setOutcome('');
      await client.invalidateQueries({ queryKey: reviewKey(review.id) });
    }
  };
  const msg = (field: string) => fieldProps(record.fieldMessage(field), pick);
  return (
    <Section title={t('Einzelgespräch', 'One-on-one talk')}>
      {review.talks.length > 0 ? (
        <ul>
          {review.talks.map((talk, index) => (
            <li key={index}>
              {date(talk.date)}, {talk.employee}: {talk.outcome}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('Noch kein Gespräch festgehalten.', 'No talk recorded yet.')}</p>
      )}
      <KolForm _on={{ onSubmit: () => void submit() }}>
        <div className="stack">
          <KolInputDate
            _type="date"
            _label={t('Datum', 'Date')}
            _value={isoValue(talkDate)}
            _required
            _on={{ onInput: (_event: Event, next: unknown) => setTalkDate(textOf(next)) }}
            {...msg('date')}
          />
          <KolInputText
            _label={t('Beschäftigte Person', 'Employee')}
            _value={employee}
            _required
            _on={{ onInput: (_event: Event, next: unknown) => setEmployee(textOf(next)) }}
            {...msg('employee')}
          />
          <KolTextarea
            _label={t('Ergebnis', 'Outcome')}
            _value={outcome}
            _required
            _rows={3}
            _on={{ onInput: (_event: Event, next: unknown) => setOutcome(textOf(next)) }}
            {...msg('outcome')}
          />
          {record.error &&
          !record.fieldMessage('date') &&
          !record.fieldMessage('employee') &&
          !record.fieldMessage('outcome') ? (
            <ErrorAlert error={record.error} />
          ) : null}
          <KolButton _type="submit" _label={t('Gespräch festhalten', 'Record talk')} _disabled={record.pending} />
        </div>
      </KolForm>
    </Section>
  );
}

function TeamDiscussion({ review, texts }: { readonly review: ReviewView; readonly texts: Texts }) {
  const { t, pick, date } = texts;
  const client = useQueryClient();
  const [discussionDate, setDiscussionDate] = useState('');
  const [notes, setNotes] = useState('');
  const record = useCommand<{ date: string; notes?: string }>(
    'POST',
    `/api/v1/reviews/${encodeURIComponent(review.id)}/team-discussions`,
  );
  const submit = async () => {
    const result = await record.run({ date: discussionDate, ...(notes.trim() !== '' ? { notes } : {}) });
    if (result) {
      setDiscussionDate('');
      setNotes('');
      await client.invalidateQueries({ queryKey: reviewKey(review.id) });
    }
  };
  const message = record.fieldMessage('date');
  return (
    <Section title={t('Teambesprechung', 'Team discussion')}>
      {review.teamDiscussions.length > 0 ? (
        <ul>
          {review.teamDiscussions.map((discussion, index) => (
            <li key={index}>
              {date(discussion.date)}
              {discussion.notes ? `: ${discussion.notes}` : ''}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('Noch nicht im Team besprochen.', 'Not yet discussed in the team.')}</p>
      )}
      <KolForm _on={{ onSubmit: () => void submit() }}>
        <div className="stack">
          <KolInputDate
            _type="date"
            _label={t('Datum', 'Date')}
            _value={isoValue(discussionDate)}
            _required
            _on={{ onInput: (_event: Event, next: unknown) => setDiscussionDate(textOf(next)) }}
            {...fieldProps(message, pick)}
          />
          <KolTextarea
            _label={t('Anonymisierte Notiz (freiwillig)', 'Anonymised note (optional)')}
            _value={notes}
            _rows={2}
            _on={{ onInput: (_event: Event, next: unknown) => setNotes(textOf(next)) }}
          />
          {record.error && !message ? <ErrorAlert error={record.error} /> : null}
          <KolButton
            _type="submit"
            _label={t('Besprechung festhalten', 'Record discussion')}
            _disabled={record.pending}
          />
        </div>
      </KolForm>
    </Section>
  );
}

/**
 * The look-back period (002:40): 12 months as standard; a longer one when the case needs it to find a
 * sensible starting point, always with the reason.
 */
function LookBack({ review, texts }: { readonly review: ReviewView; readonly texts: Texts }) {
  const { t, pick } = texts;
  const client = useQueryClient();
  const [months, setMonths] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const extend = useCommand<{ months: number | null; reason: string }>(
    'POST',
    `/api/v1/reviews/${encodeURIComponent(review.id)}/look-back-extensions`,
  );
  const submit = async () => {
    const result = await extend.run({ months, reason }, { ifMatch: review.revision });
    if (result) {
      setMonths(null);
      setReason('');
      await client.invalidateQueries({ queryKey: reviewKey(review.id) });
    }
  };
  return (
    <Section title={t('Betrachtungszeitraum', 'Look-back period')}>
      <p>
        {t(`Zurzeit ${review.lookBack.months} Monate`, `Currently ${review.lookBack.months} months`)}
        {review.lookBack.reason ? ` – ${t('Begründung', 'reason')}: ${review.lookBack.reason}` : ''}
      </p>
      <KolForm _on={{ onSubmit: () => void submit() }}>
        <div className="stack">
          <NumberField
            label={t('Neuer Betrachtungszeitraum in Monaten', 'New look-back period in months')}
            value={months}
            onChange={setMonths}
            min={1}
            max={120}
            required
            message={fieldProps(extend.fieldMessage('months'), pick)}
          />
          <KolTextarea
            _label={t('Begründung', 'Reason')}
            _value={reason}
            _required
            _rows={2}
            _on={{ onInput: (_event: Event, next: unknown) => setReason(textOf(next)) }}
            {...fieldProps(extend.fieldMessage('reason'), pick)}
          />
          {extend.error && !extend.fieldMessage('months') && !extend.fieldMessage('reason') ? (
            <ErrorAlert error={extend.error} />
          ) : null}
          <KolButton _type="submit" _label={t('Zeitraum ändern', 'Change the period')} _disabled={extend.pending} />
        </div>
      </KolForm>
    </Section>
  );
}

type DefectChange = '' | 'minor' | 'serious' | 'withdrawn';

/**
 * A correction after completion: the completed record is never edited in place; a correction with its
 * reason changes the overall assessment or a defect's severity, or withdraws a defect, and stays visible.
 */
function Correction({ review, texts }: { readonly review: ReviewView; readonly texts: Texts }) {
  const { t, pick } = texts;
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState('');
  const [changes, setChanges] = useState<Record<string, DefectChange>>({});
  const [done, setDone] = useState(false);
  const correct = useCommand<Record<string, unknown>>(
    'POST',
    `/api/v1/reviews/${encodeURIComponent(review.id)}/corrections`,
  );
  const active = review.defects.filter((defect) => !defect.withdrawn);
  const submit = async () => {
    setDone(false);
    const defects = Object.entries(changes)
      .filter(([, change]) => change !== '')
      .map(([defectId, change]) =>
        change === 'withdrawn' ? { defectId, withdrawn: true } : { defectId, severity: change },
      );
    const result = await correct.run(
      { reason, ...(outcome !== '' ? { outcome } : {}), ...(defects.length > 0 ? { defects } : {}) },
      { ifMatch: review.revision },
    );
    if (result) {
      setReason('');
      setOutcome('');
      setChanges({});
      setDone(true);
      await client.invalidateQueries({ queryKey: reviewKey(review.id) });
    }
  };
  return (
    <Section title={t('Korrektur nach Abschluss', 'Correction after completion')}>
      <KolForm _on={{ onSubmit: () => void submit() }}>
        <div className="stack">
          <KolSelect
            _label={t('Gesamtbewertung', 'Overall assessment')}
            _options={[{ label: t('unverändert', 'unchanged'), value: '' }, ...answerOptions('goal-directed', t)]}
            _value={[outcome]}
            _on={{ onChange: (_event: Event, next: unknown) => setOutcome(selectedOf(next)) }}
          />
          {active.map((defect, index) => (
            <KolSelect
              key={defect.defectId}
              _label={t(`Mangel ${index + 1}: ${defect.category}`, `Defect ${index + 1}: ${defect.category}`)}
              _options={[
                { label: t('unverändert', 'unchanged'), value: '' },
                { label: t('als gering einstufen', 'rate as minor'), value: 'minor' },
                { label: t('als gravierend einstufen', 'rate as serious'), value: 'serious' },
                { label: t('zurückziehen', 'withdraw'), value: 'withdrawn' },
              ]}
              _value={[changes[defect.defectId] ?? '']}
              _on={{
                onChange: (_event: Event, next: unknown) =>
                  setChanges((current) => ({ ...current, [defect.defectId]: selectedOf(next) as DefectChange })),
              }}
            />
          ))}
          <KolTextarea
            _label={t('Begründung der Korrektur', 'Reason for the correction')}
            _value={reason}
            _required
            _rows={2}
            _on={{ onInput: (_event: Event, next: unknown) => setReason(textOf(next)) }}
            {...fieldProps(correct.fieldMessage('reason'), pick)}
          />
          {correct.error && !correct.fieldMessage('reason') ? <ErrorAlert error={correct.error} /> : null}
          {done ? <Success>{t('Korrektur festgehalten.', 'Correction recorded.')}</Success> : null}
          <KolButton
            _type="submit"
            _label={t('Korrektur festhalten', 'Record correction')}
            _disabled={correct.pending}
          />
        </div>
      </KolForm>
    </Section>
  );
}
