import { KolButton, KolForm, KolInputText, KolTextarea } from '@public-ui/react-v19';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../../api';
import { useCommand } from '../../commands';
import { useTexts } from '../../i18n';
import { ErrorAlert, Loading, Page, Section, Success } from '../../ui';
import { fieldProps, messageFor, textOf } from '../../forms';

interface HoldView {
  readonly reviewId: string;
  readonly held: boolean;
  readonly placedOn: string | null;
  readonly liftedOn: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Management: a legal hold keeps a review from the retention purge while a proceeding needs it. */
export function LegalHoldsPage() {
  const { t, pick, date } = useTexts();
  const client = useQueryClient();
  const [input, setInput] = useState('');
  const [reviewId, setReviewId] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const hold = useQuery({
    queryKey: ['legal-hold', reviewId],
    queryFn: ({ signal }) => get<HoldView>(`/api/v1/reviews/${encodeURIComponent(reviewId!)}/legal-hold`, signal),
    enabled: reviewId !== null,
  });
  const held = hold.data?.held === true;
  const path = `/api/v1/reviews/${encodeURIComponent(reviewId ?? '')}/legal-hold${held ? '/lift' : ''}`;
  const command = useCommand<{ reason: string }>('POST', path);
  const submit = async () => {
    setDone(null);
    const result = await command.run({ reason });
    if (result) {
      setReason('');
      setDone(held ? t('Sperre aufgehoben.', 'Hold lifted.') : t('Sperre gesetzt.', 'Hold placed.'));
      await client.invalidateQueries({ queryKey: ['legal-hold', reviewId] });
    }
  };
  const invalid = input !== '' && !UUID.test(input.trim());
  return (
    <Page title={t('Rechtliche Sperren', 'Legal holds')}>
      <p>
        {t(
          'Eine Prüfung unter rechtlicher Sperre wird nach Ablauf der Aufbewahrung nicht gelöscht, bis die Sperre aufgehoben ist.',
          'A review under legal hold is not purged after its retention period until the hold is lifted.',
        )}
      </p>
      <KolForm
        _on={{
          onSubmit: () => {
            if (!invalid && input.trim() !== '') {
              command.reset();
              setDone(null);
              setReviewId(input.trim().toLowerCase());
            }
          },
        }}
      >
        <div className="row">
          <KolInputText
            _label={t('Kennung der Prüfung', 'Review id')}
            _value={input}
            _required
            _on={{ onInput: (_event: Event, value: unknown) => setInput(textOf(value)) }}
            {...fieldProps(invalid ? t('Eine Kennung wie 01a2…-…', 'An id like 01a2…-…') : undefined, (text) => text)}
          />
          <KolButton _type="submit" _label={t('Stand anzeigen', 'Show status')} />
        </div>
      </KolForm>
      {hold.isFetching ? <Loading /> : null}
      {hold.error ? <ErrorAlert error={hold.error} /> : null}
      {hold.data && reviewId ? (
        <Section title={t(`Prüfung ${reviewId.slice(0, 8)}`, `Review ${reviewId.slice(0, 8)}`)}>
          <p role="status">
            {held
              ? t(`Gesperrt seit ${date(hold.data.placedOn ?? '')}.`, `Held since ${date(hold.data.placedOn ?? '')}.`)
              : hold.data.liftedOn
                ? t(
                    `Nicht gesperrt (aufgehoben am ${date(hold.data.liftedOn)}).`,
                    `Not held (lifted on ${date(hold.data.liftedOn)}).`,
                  )
                : t('Nicht gesperrt.', 'Not held.')}
          </p>
          <KolForm _on={{ onSubmit: () => void submit() }}>
            <div className="stack">
              <KolTextarea
                _label={
                  held
                    ? t('Begründung der Aufhebung', 'Reason for lifting')
                    : t('Begründung der Sperre (z. B. Aktenzeichen)', 'Reason for the hold (e.g. case number)')
                }
                _value={reason}
                _required
                _rows={2}
                _on={{ onInput: (_event: Event, value: unknown) => setReason(textOf(value)) }}
                {...fieldProps(messageFor(command.error, 'reason'), pick)}
              />
              {command.error && !messageFor(command.error, 'reason') ? <ErrorAlert error={command.error} /> : null}
              {done ? <Success>{done}</Success> : null}
              <KolButton
                _type="submit"
                _variant="primary"
                _label={held ? t('Sperre aufheben', 'Lift hold') : t('Sperre setzen', 'Place hold')}
                _disabled={command.pending}
              />
            </div>
          </KolForm>
        </Section>
      ) : null}
    </Page>
  );
}
