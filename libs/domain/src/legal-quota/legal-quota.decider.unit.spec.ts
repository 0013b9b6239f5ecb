import type { DecisionContext } from '../shared/decider.js';
import { DomainError } from '../shared/domain-error.js';
import type { Sealed } from '../shared/sealed.js';
import { legalQuotaDecider, type LegalQuotaState } from './legal-quota.decider.js';
import type { LegalQuotaEvent } from './legal-quota.events.js';
import type { LegalQuotaRowInput } from './legal-quota.validation.js';

const context: DecisionContext = {
  now: '2026-03-02T09:00:00.000Z',
  today: '2026-03-02',
  actor: { userId: 'legal-1', role: 'legal' },
  tenant: 'jc-a',
};
const reason: Sealed = { $sealed: 1, kid: 'legal-quota:jc-a-2026-02', iv: 'i', ct: 'c', tag: 't' };
const row = (legalNorm: string, settled: number, avoidable: number): LegalQuotaRowInput => ({
  legalNorm,
  teamId: 't1',
  settled,
  upheldFully: avoidable,
  upheldPartly: 0,
  avoidableTotal: avoidable,
  avoidable: { documentation: avoidable, 'application-of-law': 0, 'fact-finding': 0 },
});

const fold = (events: readonly LegalQuotaEvent[]): LegalQuotaState =>
  events.reduce(legalQuotaDecider.evolve, legalQuotaDecider.initialState());

const record = (month: string, rows: readonly LegalQuotaRowInput[], state = fold([])) =>
  legalQuotaDecider.decide({ type: 'RecordLegalQuotaFigures', quotaId: `jc-a-${month}`, month, rows }, state, context);

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return 'none';
}

describe('legal quota decider', () => {
  it('records a month once, rows normalised and sorted; the avoidable total is checked, not stored', () => {
    const events = record('2026-02', [row('§ 31  SGB II', 4, 1), row('§ 22 SGB II', 10, 2)]);
    expect(events).toEqual([
      {
        type: 'LegalQuotaFiguresRecorded',
        data: {
          quotaId: 'jc-a-2026-02',
          month: '2026-02',
          recordedAt: context.now,
          rows: [
            expect.objectContaining({ legalNorm: '§ 22 SGB II', settled: 10 }),
            expect.objectContaining({ legalNorm: '§ 31 SGB II', settled: 4 }),
          ],
        },
      },
    ]);
    expect(events[0]!.data.rows[0]).not.toHaveProperty('avoidableTotal');
    expect(codeOf(() => record('2026-02', [row('§ 22 SGB II', 1, 0)], fold(events)))).toBe('ALREADY_EXISTS');
  });

  it('accepts the current month and refuses the next one (the month of `today` is the boundary)', () => {
    expect(record('2026-03', [])).toHaveLength(1);
    expect(codeOf(() => record('2026-04', []))).toBe('RULE_VIOLATION');
  });

  it('refuses inconsistent rows with field names and no event', () => {
    try {
      record('2026-02', [{ ...row('§ 22 SGB II', 1, 2) }]);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('VALIDATION_FAILED');
      expect((error as DomainError).details['fields']).toEqual({ 'rows.0.upheldFully': expect.any(String) });
    }
  });

  it('corrects a recorded month with its reason and the totals before; refuses a correction of nothing', () => {
    const recorded = record('2026-02', [row('§ 22 SGB II', 10, 2)]);
    const correct = (rows: readonly LegalQuotaRowInput[], events: readonly LegalQuotaEvent[]) =>
      legalQuotaDecider.decide(
        { type: 'CorrectLegalQuotaFigures', quotaId: 'jc-a-2026-02', month: '2026-02', rows, reason },
        fold(events),
        context,
      );
    const corrected = correct([row('§ 22 SGB II', 12, 3)], recorded);
    expect(corrected[0]).toMatchObject({
      type: 'LegalQuotaFiguresCorrected',
      data: { reason, previousTotals: { settled: 10, upheld: 2, avoidable: 2 }, correctedAt: context.now },
    });
    const state = fold([...recorded, ...corrected]);
    expect(state).toMatchObject({ status: 'recorded', corrections: 1, totals: { settled: 12, avoidable: 3 } });
    expect(codeOf(() => correct([row('§ 22 SGB II', 12, 3)], [...recorded, ...corrected]))).toBe('RULE_VIOLATION');
    expect(codeOf(() => correct([row('§ 22 SGB II', 12, 3)], []))).toBe('NOT_FOUND');
  });
});
