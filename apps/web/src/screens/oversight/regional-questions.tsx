import {
  KolButton,
  KolForm,
  KolInputCheckbox,
  KolInputDate,
  KolInputText,
  KolSelect,
  KolTextarea,
} from '@public-ui/react-v19';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../../api';
import { useCommand } from '../../commands';
import { CommandError, fieldProps, messageFor, selectedOf, textOf } from '../../forms';
import { useTexts, type Texts } from '../../i18n';
import { useSession } from '../../session';
import { DataTable, ErrorAlert, isoValue, Loading, Page, Section, Success } from '../../ui';

/**
 * Regionaldirektion: temporary regional questions added to the questionnaires of the Jobcenters of its
 * region (003:62, 101). They sit beside the published versions for a period and never alter them; the
 * region comes from the sign-in, never from the form (`questionnaire.add-regional-questions`).
 */

type AnswerType = 'yes-no-na' | 'goal-directed' | 'text' | 'date';

interface QuestionDraft {
  readonly id: string;
  readonly text: string;
  readonly answerType: AnswerType;
  readonly mandatory: boolean;
  readonly category: string;
  readonly legalNorm: string;
  readonly guidance: string;
}

interface Question {
  readonly id: string;
  readonly text: string;
  readonly answerType: AnswerType;
  readonly mandatory: boolean;
  readonly category: string;
  readonly legalNorm: string | null;
}

interface Summary {
  readonly id: string;
  readonly title: string;
  readonly process: string;
  readonly versionInForce: number | null;
  readonly latestVersion: number;
  readonly regionalAdditions: number;
}

interface QuestionnaireView {
  readonly id: string;
  readonly title: string;
  readonly process: string;
  readonly revision: number;
  readonly regionalAdditions: readonly {
    readonly additionId: string;
    readonly region: string;
    readonly validFrom: string;
    readonly validTo: string;
    readonly reason: string;
    readonly questions: readonly Question[];
  }[];
}

interface AdditionBody {
  readonly questions: readonly {
    readonly id: string;
    readonly text: string;
    readonly answerType: AnswerType;
    readonly mandatory: boolean;
    readonly category: string;
    readonly legalNorm?: string;
    readonly guidance?: string;
  }[];
  readonly validFrom: string;
  readonly validTo: string;
  readonly reason: string;
}

export const regionalQuestionsPath = '/ebenen/zusatzfragen';
export const regionalQuestionnairePath = (id: string) => `${regionalQuestionsPath}/${encodeURIComponent(id)}`;

const questionnaireKey = (id: string) => ['questionnaire', id];

const EMPTY: QuestionDraft = {
  id: '',
  text: '',
  answerType: 'yes-no-na',
  mandatory: true,
  category: '',
  legalNorm: '',
  guidance: '',
};

function answerTypeOptions(t: Texts['t']) {
  return [
    { label: t('ja / nein / entfällt', 'yes / no / not applicable'), value: 'yes-no-na' },
    { label: t('zielgerichtet / nicht zielgerichtet', 'goal-directed / not goal-directed'), value: 'goal-directed' },
    { label: t('Freitext', 'Free text'), value: 'text' },
    { label: t('Datum', 'Date'), value: 'date' },
  ];
}

function answerTypeName(type: AnswerType, t: Texts['t']): string {
  return answerTypeOptions(t).find((option) => option.value === type)?.label ?? type;
}

/** The questionnaires of the Jobcenter, each with the number of regional additions it carries. */
export function RegionalQuestionnairesPage() {
  const { t } = useTexts();
  const list = useQuery({
    queryKey: ['questionnaires'],
    queryFn: ({ signal }) => get<{ items: Summary[] }>('/api/v1/questionnaires', signal),
  });
  return (
    <Page title={t('Regionale Zusatzfragen', 'Regional extra questions')}>
      <p>
        {t(
          'Wählen Sie den Fragebogen, dem die Regionaldirektion befristete Zusatzfragen hinzufügt. Die veröffentlichten Versionen bleiben unverändert.',
          'Choose the questionnaire to which the regional directorate adds temporary extra questions. The published versions stay unchanged.',
        )}
      </p>
      {list.isPending ? <Loading /> : null}
      {list.error ? <ErrorAlert error={list.error} /> : null}
      {list.data ? (
        list.data.items.length === 0 ? (
          <p>{t('Dieses Jobcenter hat noch keinen Fragebogen.', 'This Jobcenter has no questionnaire yet.')}</p>
        ) : (
          <DataTable
            label={t('Fragebögen', 'Questionnaires')}
            columns={[
              { key: 'title', label: t('Titel', 'Title'), href: (row) => regionalQuestionnairePath(String(row['id'])) },
              { key: 'process', label: t('Kundenprozess', 'Customer process') },
              { key: 'inForce', label: t('Geltende Version', 'Version in force'), align: 'right' },
              { key: 'regional', label: t('Regionale Ergänzungen', 'Regional extras'), align: 'right' },
            ]}
            rows={list.data.items.map((item) => ({
              id: item.id,
              title: item.title,
              process: item.process,
              inForce: item.versionInForce ?? '–',
              regional: item.regionalAdditions,
            }))}
          />
        )
      ) : null}
    </Page>
  );
}

/** One questionnaire: its regional additions so far, and the form for a new one. */
export function RegionalQuestionnairePage({ questionnaireId }: { readonly questionnaireId: string }) {
  const { t, date } = useTexts();
  const view = useQuery({
    queryKey: questionnaireKey(questionnaireId),
    queryFn: ({ signal }) =>
      get<QuestionnaireView>(`/api/v1/questionnaires/${encodeURIComponent(questionnaireId)}`, signal),
  });
  if (view.isPending) return <Loading />;
  if (view.error) return <ErrorAlert error={view.error} />;
  const data = view.data;
  return (
    <Page title={t(`Zusatzfragen: ${data.title}`, `Extra questions: ${data.title}`)}>
      <Section title={t('Regionale Ergänzungen', 'Regional extras')}>
        {data.regionalAdditions.length === 0 ? (
          <p>{t('Noch keine.', 'None yet.')}</p>
        ) : (
          <DataTable
            label={t('Regionale Ergänzungen', 'Regional extras')}
            rowsPerPage={5}
            columns={[
              { key: 'region', label: t('Region', 'Region') },
              { key: 'period', label: t('Gültig', 'Valid') },
              { key: 'questions', label: t('Fragen', 'Questions') },
              { key: 'reason', label: t('Begründung', 'Reason') },
            ]}
            rows={data.regionalAdditions.map((addition) => ({
              region: addition.region,
              period: `${date(addition.validFrom)} – ${date(addition.validTo)}`,
              questions: addition.questions
                .map(
                  (question) =>
                    `${question.text} (${answerTypeName(question.answerType, t)}${question.mandatory ? `, ${t('Pflicht', 'mandatory')}` : ''})`,
                )
                .join(' · '),
              reason: addition.reason,
            }))}
          />
        )}
      </Section>
      <AddRegionalQuestions view={data} />
    </Page>
  );
}

function AddRegionalQuestions({ view }: { readonly view: QuestionnaireView }) {
  const { t, pick } = useTexts();
  const { session } = useSession();
  const client = useQueryClient();
  const [questions, setQuestions] = useState<readonly QuestionDraft[]>([EMPTY]);
  const [validFrom, setValidFrom] = useState('');
  const [validTo, setValidTo] = useState('');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState(false);
  // The revision the form was loaded at: a change by someone else meanwhile answers 412.
  const [baseRevision, setBaseRevision] = useState(view.revision);
  const add = useCommand<AdditionBody>(
    'POST',
    `/api/v1/questionnaires/${encodeURIComponent(view.id)}/regional-questions`,
  );
  const msg = (field: string) => fieldProps(messageFor(add.error, field), pick);
  const change = (index: number, patch: Partial<QuestionDraft>) => {
    setDone(false);
    setQuestions((current) => current.map((question, at) => (at === index ? { ...question, ...patch } : question)));
  };
  const submit = async () => {
    setDone(false);
    const result = await add.run(
      {
        questions: questions.map((question) => ({
          id: question.id.trim(),
          text: question.text.trim(),
          answerType: question.answerType,
          mandatory: question.mandatory,
          category: question.category.trim(),
          ...(question.legalNorm.trim() === '' ? {} : { legalNorm: question.legalNorm.trim() }),
          ...(question.guidance.trim() === '' ? {} : { guidance: question.guidance.trim() }),
        })),
        validFrom,
        validTo,
        reason: reason.trim(),
      },
      { ifMatch: baseRevision },
    );
    if (result) {
      setQuestions([EMPTY]);
      setValidFrom('');
      setValidTo('');
      setReason('');
      setDone(true);
      if (typeof result.revision === 'number') setBaseRevision(result.revision);
      await client.invalidateQueries({ queryKey: questionnaireKey(view.id) });
      await client.invalidateQueries({ queryKey: ['questionnaires'] });
    }
  };
  const reloadKeepingInput = async () => {
    await client.invalidateQueries({ queryKey: questionnaireKey(view.id) });
    const fresh = client.getQueryData<QuestionnaireView>(questionnaireKey(view.id));
    if (fresh) setBaseRevision(fresh.revision);
    add.reset();
  };
  const fields = ['questions', 'validFrom', 'validTo', 'reason'];
  return (
    <Section title={t('Zusatzfragen ergänzen', 'Add extra questions')}>
      <p>
        {t(
          `Für die Region ${session?.region ?? '–'} (aus Ihrer Anmeldung). Zusatzfragen gelten frühestens ab heute.`,
          `For region ${session?.region ?? '–'} (from your sign-in). Extra questions take effect today at the earliest.`,
        )}
      </p>
      <KolForm
        _requiredText={t(
          'Pflichtfelder sind mit einem Sternchen markiert.',
          'Required fields are marked with an asterisk.',
        )}
        _on={{ onSubmit: () => void submit() }}
      >
        <div className="stack">
          {questions.map((question, index) => {
            const at = `questions.${index}`;
            const n = index + 1;
            return (
              <Section key={index} title={t(`Zusatzfrage ${n}`, `Extra question ${n}`)} level={3}>
                <KolInputText
                  _label={t(`Kennung der Frage ${n}`, `Id of question ${n}`)}
                  _hint={t(
                    'Buchstaben, Ziffern und Bindestriche; nicht schon im Fragebogen vergeben',
                    'Letters, digits and hyphens; not already used in the questionnaire',
                  )}
                  _value={question.id}
                  _required
                  _on={{ onInput: (_event: Event, next: unknown) => change(index, { id: textOf(next) }) }}
                  {...msg(`${at}.id`)}
                />
                <KolTextarea
                  _label={t(`Text der Frage ${n}`, `Text of question ${n}`)}
                  _value={question.text}
                  _rows={2}
                  _required
                  _on={{ onInput: (_event: Event, next: unknown) => change(index, { text: textOf(next) }) }}
                  {...msg(`${at}.text`)}
                />
                <KolSelect
                  _label={t(`Antwortart der Frage ${n}`, `Answer type of question ${n}`)}
                  _options={answerTypeOptions(t)}
                  _value={[question.answerType]}
                  _required
                  _on={{
                    onChange: (_event: Event, next: unknown) =>
                      change(index, { answerType: selectedOf(next) as AnswerType }),
                  }}
                  {...msg(`${at}.answerType`)}
                />
                <KolInputCheckbox
                  _label={t(`Frage ${n} ist Pflicht`, `Question ${n} is mandatory`)}
                  _checked={question.mandatory}
                  _value="mandatory"
                  _on={{
                    onInput: (_event: Event, next: unknown) =>
                      change(index, { mandatory: next === true || next === 'mandatory' }),
                  }}
                />
                <KolInputText
                  _label={t(`Mängelkategorie der Frage ${n}`, `Defect category of question ${n}`)}
                  _value={question.category}
                  _required
                  _on={{ onInput: (_event: Event, next: unknown) => change(index, { category: textOf(next) }) }}
                  {...msg(`${at}.category`)}
                />
                <KolInputText
                  _label={t(`Rechtsnorm der Frage ${n} (optional)`, `Legal norm of question ${n} (optional)`)}
                  _value={question.legalNorm}
                  _on={{ onInput: (_event: Event, next: unknown) => change(index, { legalNorm: textOf(next) }) }}
                  {...msg(`${at}.legalNorm`)}
                />
                <KolTextarea
                  _label={t(`Prüfhinweis zu Frage ${n} (optional)`, `Guidance for question ${n} (optional)`)}
                  _value={question.guidance}
                  _rows={2}
                  _on={{ onInput: (_event: Event, next: unknown) => change(index, { guidance: textOf(next) }) }}
                  {...msg(`${at}.guidance`)}
                />
                {questions.length > 1 ? (
                  <KolButton
                    _label={t(`Frage ${n} entfernen`, `Remove question ${n}`)}
                    _variant="secondary"
                    _on={{ onClick: () => setQuestions((current) => current.filter((_question, at) => at !== index)) }}
                  />
                ) : null}
              </Section>
            );
          })}
          <KolButton
            _label={t('Weitere Frage', 'Another question')}
            _variant="secondary"
            _on={{ onClick: () => setQuestions((current) => [...current, EMPTY]) }}
          />
          {add.error &&
          messageFor(add.error, 'questions') &&
          !questions.some((_q, i) => messageFor(add.error, `questions.${i}`)) ? (
            <ErrorAlert error={add.error} />
          ) : null}
          <div className="row">
            <KolInputDate
              _type="date"
              _label={t('Gültig ab', 'Valid from')}
              _value={isoValue(validFrom)}
              _required
              _on={{ onInput: (_event: Event, next: unknown) => setValidFrom(textOf(next)) }}
              {...msg('validFrom')}
            />
            <KolInputDate
              _type="date"
              _label={t('Gültig bis', 'Valid to')}
              _value={isoValue(validTo)}
              _required
              _on={{ onInput: (_event: Event, next: unknown) => setValidTo(textOf(next)) }}
              {...msg('validTo')}
            />
          </div>
          <KolTextarea
            _label={t('Begründung (regionale Schwerpunktsetzung)', 'Reason (regional priority)')}
            _value={reason}
            _rows={2}
            _required
            _on={{ onInput: (_event: Event, next: unknown) => setReason(textOf(next)) }}
            {...msg('reason')}
          />
          <CommandError command={add} fields={fields} onReload={reloadKeepingInput} />
          {done ? <Success>{t('Zusatzfragen gespeichert.', 'Extra questions saved.')}</Success> : null}
          <KolButton
            _type="submit"
            _variant="primary"
            _label={t('Zusatzfragen speichern', 'Save extra questions')}
            _disabled={add.pending}
          />
        </div>
      </KolForm>
    </Section>
  );
}
