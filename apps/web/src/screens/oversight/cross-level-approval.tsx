import { KolButton, KolForm, KolInputDate, KolInputRadio, KolInputText } from '@public-ui/react-v19';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCommand } from '../../commands';
import { fieldProps, messageFor, textOf } from '../../forms';
import { useTexts } from '../../i18n';
import { navigate } from '../../router';
import { ErrorAlert, isoValue, Section, Success } from '../../ui';

/**
 * The Zentrale's two decisions on a cross-level review (003:78-90): the approval that must exist before any
 * pseudonymised copy is shown, and its closure before the period ends. Only the central level sees these
 * forms; the API decides again (`cross-level.review.approve`).
 */

interface ApprovalBody {
  readonly kind: 'calibration' | 'risk-based';
  readonly tenants?: string[];
  readonly region?: string;
  readonly customerProcess: string;
  readonly questionnaireId?: string;
  readonly fromMonth: string;
  readonly toMonth: string;
  readonly basis: string;
}

const APPROVAL_FIELDS = [
  'kind',
  'tenants',
  'region',
  'customerProcess',
  'questionnaireId',
  'fromMonth',
  'toMonth',
  'basis',
] as const;

export const crossLevelReviewsKey = ['oversight', 'cross-level-reviews'] as const;

/** The central level approves a calibration or risk-based review over a region or named Jobcenters. */
export function ApproveCrossLevelReview({ detailPath }: { readonly detailPath: (id: string) => string }) {
  const { t, pick } = useTexts();
  const client = useQueryClient();
  const [kind, setKind] = useState<ApprovalBody['kind']>('calibration');
  const [scope, setScope] = useState<'region' | 'tenants'>('region');
  const [region, setRegion] = useState('');
  const [tenants, setTenants] = useState('');
  const [customerProcess, setCustomerProcess] = useState('');
  const [questionnaireId, setQuestionnaireId] = useState('');
  const [fromMonth, setFromMonth] = useState('');
  const [toMonth, setToMonth] = useState('');
  const [basis, setBasis] = useState('');
  const approve = useCommand<ApprovalBody>('POST', '/api/v1/cross-level-reviews');
  const msg = (field: string) => fieldProps(messageFor(approve.error, field), pick);
  const submit = async () => {
    const result = await approve.run({
      kind,
      ...(scope === 'region'
        ? { region: region.trim() }
        : {
            tenants: tenants
              .split(/[\s,;]+/)
              .map((tenant) => tenant.trim())
              .filter((tenant) => tenant !== ''),
          }),
      customerProcess: customerProcess.trim(),
      ...(questionnaireId.trim() === '' ? {} : { questionnaireId: questionnaireId.trim() }),
      fromMonth,
      toMonth,
      basis: basis.trim(),
    });
    if (result?.id) {
      await client.invalidateQueries({ queryKey: crossLevelReviewsKey });
      navigate(detailPath(result.id));
    }
  };
  return (
    <Section title={t('Betrachtung genehmigen', 'Approve a review')}>
      <p>
        {t(
          'Erst mit der Genehmigung sehen die Beteiligten pseudonymisierte Abschriften abgeschlossener Prüfungen; die Grundlage nennt eine Entscheidung, nie eine Person.',
          'Only after the approval do participants see pseudonymised copies of completed reviews; the basis names a decision, never a person.',
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
          <KolInputRadio
            _label={t('Art der Betrachtung', 'Kind of review')}
            _name="approval-kind"
            _orientation="horizontal"
            _options={[
              { label: t('Kalibrierung', 'Calibration'), value: 'calibration' },
              { label: t('Risikoorientierte Betrachtung', 'Risk-based review'), value: 'risk-based' },
            ]}
            _value={kind}
            _required
            _on={{
              onInput: (_event: Event, next: unknown) => setKind(next === 'risk-based' ? 'risk-based' : 'calibration'),
            }}
            {...msg('kind')}
          />
          <KolInputRadio
            _label={t('Umfang', 'Scope')}
            _name="approval-scope"
            _orientation="horizontal"
            _options={[
              { label: t('alle Jobcenter einer Region', 'every Jobcenter of a region'), value: 'region' },
              { label: t('einzelne Jobcenter', 'named Jobcenters'), value: 'tenants' },
            ]}
            _value={scope}
            _required
            _on={{ onInput: (_event: Event, next: unknown) => setScope(next === 'tenants' ? 'tenants' : 'region') }}
          />
          {scope === 'region' ? (
            <KolInputText
              _label={t('Region', 'Region')}
              _hint={t('Kennung der Regionaldirektion, z. B. rd-nrw', 'Id of the regional directorate, e.g. rd-nrw')}
              _value={region}
              _required
              _on={{ onInput: (_event: Event, next: unknown) => setRegion(textOf(next)) }}
              {...msg('region')}
            />
          ) : (
            <KolInputText
              _label={t('Jobcenter', 'Jobcenters')}
              _hint={t('Kennungen, durch Komma getrennt', 'Ids, separated by commas')}
              _value={tenants}
              _required
              _on={{ onInput: (_event: Event, next: unknown) => setTenants(textOf(next)) }}
              {...msg('tenants')}
            />
          )}
          <KolInputText
            _label={t('Kundenprozess', 'Customer process')}
            _hint={t('Kennung, z. B. allgemeine-vermittlung', 'Id, e.g. allgemeine-vermittlung')}
            _value={customerProcess}
            _required
            _on={{ onInput: (_event: Event, next: unknown) => setCustomerProcess(textOf(next)) }}
            {...msg('customerProcess')}
          />
          <KolInputText
            _label={t('Nur dieser Fragebogen (Kennung, optional)', 'This questionnaire only (id, optional)')}
            _value={questionnaireId}
            _on={{ onInput: (_event: Event, next: unknown) => setQuestionnaireId(textOf(next)) }}
            {...msg('questionnaireId')}
          />
          <div className="row">
            <KolInputDate
              _type="month"
              _label={t('Erster Monat', 'First month')}
              _value={isoValue(fromMonth)}
              _required
              _on={{ onInput: (_event: Event, next: unknown) => setFromMonth(textOf(next)) }}
              {...msg('fromMonth')}
            />
            <KolInputDate
              _type="month"
              _label={t('Letzter Monat', 'Last month')}
              _value={isoValue(toMonth)}
              _required
              _on={{ onInput: (_event: Event, next: unknown) => setToMonth(textOf(next)) }}
              {...msg('toMonth')}
            />
          </div>
          <KolInputText
            _label={t('Grundlage (Entscheidung, Weisung)', 'Basis (decision, instruction)')}
            _hint={t(
              'Eine Zeile, höchstens 200 Zeichen, keine Personen',
              'One line, at most 200 characters, no persons',
            )}
            _value={basis}
            _required
            _on={{ onInput: (_event: Event, next: unknown) => setBasis(textOf(next)) }}
            {...msg('basis')}
          />
          {approve.error && !messageFor(approve.error, ...APPROVAL_FIELDS) ? (
            <ErrorAlert error={approve.error} />
          ) : null}
          <KolButton
            _type="submit"
            _variant="primary"
            _label={t('Genehmigen', 'Approve')}
            _disabled={approve.pending}
          />
        </div>
      </KolForm>
    </Section>
  );
}

/**
 * The central level closes an approval early: from then on no copy is shown (the record stays). Once the
 * approval reads as closed, only the confirmation of this closure remains (the form is gone).
 */
export function CloseCrossLevelReview({
  id,
  closed,
  onClosed,
}: {
  readonly id: string;
  readonly closed: boolean;
  readonly onClosed: () => Promise<void>;
}) {
  const { t, pick } = useTexts();
  const [basis, setBasis] = useState('');
  const [done, setDone] = useState(false);
  const close = useCommand<{ basis: string }>('POST', `/api/v1/cross-level-reviews/${encodeURIComponent(id)}/closure`);
  const submit = async () => {
    setDone(false);
    const result = await close.run({ basis: basis.trim() });
    if (result) {
      setDone(true);
      await onClosed();
    }
  };
  if (closed) return done ? <Success>{t('Betrachtung beendet.', 'Review closed.')}</Success> : null;
  return (
    <Section title={t('Betrachtung beenden', 'Close the review')}>
      <KolForm
        _requiredText={t(
          'Pflichtfelder sind mit einem Sternchen markiert.',
          'Required fields are marked with an asterisk.',
        )}
        _on={{ onSubmit: () => void submit() }}
      >
        <div className="stack">
          <KolInputText
            _label={t('Grundlage der Beendigung', 'Basis of the closure')}
            _hint={t(
              'Eine Zeile, höchstens 200 Zeichen, keine Personen',
              'One line, at most 200 characters, no persons',
            )}
            _value={basis}
            _required
            _on={{ onInput: (_event: Event, next: unknown) => setBasis(textOf(next)) }}
            {...fieldProps(messageFor(close.error, 'basis'), pick)}
          />
          {close.error && !messageFor(close.error, 'basis') ? <ErrorAlert error={close.error} /> : null}
          {done ? <Success>{t('Betrachtung beendet.', 'Review closed.')}</Success> : null}
          <KolButton _type="submit" _label={t('Betrachtung beenden', 'Close the review')} _disabled={close.pending} />
        </div>
      </KolForm>
    </Section>
  );
}
