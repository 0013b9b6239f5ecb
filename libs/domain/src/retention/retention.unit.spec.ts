import { addMonthsToDate } from '../calendar/local-date.js';
import type { DecisionContext } from '../shared/decider.js';
import { fold } from '../shared/decider.js';
import { DomainError } from '../shared/domain-error.js';
import type { Sealed } from '../shared/sealed.js';
import { legalHoldDecider } from './legal-hold.decider.js';
import { isRetentionDue, retentionEndsOn, retentionVerdict, type RetentionCandidate } from './retention.policy.js';

const sealed: Sealed = { $sealed: 1, kid: 'review:r1', iv: 'iv', ct: 'ct', tag: 'tag' };
const context: DecisionContext = {
  now: '2026-03-02T09:00:00.000Z',
  today: '2026-03-02',
  actor: { userId: 'gf-1', role: 'management' },
  tenant: 'jc-a',
};

describe('retention policy', () => {
  it('ends the same day the programme months later, clamped to the month end', () => {
    expect(retentionEndsOn('2025-03-15', 12)).toBe('2026-03-15');
    expect(retentionEndsOn('2025-01-31', 1)).toBe('2025-02-28');
    expect(retentionEndsOn('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonthsToDate('2025-12-31', 2)).toBe('2026-02-28');
    expect(() => retentionEndsOn('2025-03-15', 0)).toThrow(RangeError);
  });

  it('is due from the day after the retention ended', () => {
    expect(isRetentionDue('2026-03-15', '2026-03-15')).toBe(false);
    expect(isRetentionDue('2026-03-15', '2026-03-16')).toBe(true);
  });

  const candidate = (overrides: Partial<RetentionCandidate>): RetentionCandidate => ({
    reviewId: 'r1',
    status: 'completed',
    closedOn: '2025-02-10',
    retentionMonths: 12,
    underLegalHold: false,
    purge: 'none',
    ...overrides,
  });

  it('says why a review is not purged', () => {
    expect(retentionVerdict(candidate({}), '2026-02-11')).toEqual({ due: true, endsOn: '2026-02-10' });
    expect(retentionVerdict(candidate({}), '2026-02-10')).toEqual({
      due: false,
      reason: 'not-yet',
      endsOn: '2026-02-10',
    });
    expect(retentionVerdict(candidate({ status: 'open', closedOn: null }), '2030-01-01')).toMatchObject({
      due: false,
      reason: 'open',
    });
    expect(retentionVerdict(candidate({ underLegalHold: true }), '2026-06-01')).toMatchObject({ reason: 'legal-hold' });
    expect(retentionVerdict(candidate({ purge: 'started' }), '2026-06-01')).toMatchObject({
      reason: 'purge-under-way',
    });
    expect(retentionVerdict(candidate({ purge: 'purged' }), '2026-06-01')).toMatchObject({ reason: 'purged' });
    // A purge that met a hold starts again once the hold is lifted.
    expect(retentionVerdict(candidate({ purge: 'held' }), '2026-06-01')).toEqual({ due: true, endsOn: '2026-02-10' });
    expect(retentionVerdict(candidate({ status: 'withdrawn', retentionMonths: 6 }), '2025-08-11')).toEqual({
      due: true,
      endsOn: '2025-08-10',
    });
  });
});

describe('legal hold', () => {
  it('is placed and lifted with a reason, never twice in a row', () => {
    const placed = legalHoldDecider.decide(
      { type: 'PlaceLegalHold', reviewId: 'r1', reason: sealed },
      legalHoldDecider.initialState(),
      context,
    );
    expect(placed).toEqual([
      { type: 'LegalHoldPlaced', data: { reviewId: 'r1', tenant: 'jc-a', reason: sealed, placedOn: '2026-03-02' } },
    ]);
    const held = fold(legalHoldDecider, placed);
    expect(held).toEqual({ held: true, since: '2026-03-02', closed: false });
    expect(() =>
      legalHoldDecider.decide({ type: 'PlaceLegalHold', reviewId: 'r1', reason: sealed }, held, context),
    ).toThrow(DomainError);
    const lifted = legalHoldDecider.decide({ type: 'LiftLegalHold', reviewId: 'r1', reason: sealed }, held, context);
    expect(lifted[0]?.type).toBe('LegalHoldLifted');
    expect(fold(legalHoldDecider, [...placed, ...lifted])).toEqual({ held: false, since: null, closed: false });
    expect(() =>
      legalHoldDecider.decide(
        { type: 'LiftLegalHold', reviewId: 'r1', reason: sealed },
        legalHoldDecider.initialState(),
        context,
      ),
    ).toThrow(DomainError);
  });

  it('refuses every hold once the purge has closed the review’s hold stream', () => {
    const closed = fold(legalHoldDecider, [
      { type: 'LegalHoldClosedForPurge', data: { reviewId: 'r1', tenant: 'jc-a' } },
    ]);
    expect(closed).toEqual({ held: false, since: null, closed: true });
    expect(() =>
      legalHoldDecider.decide({ type: 'PlaceLegalHold', reviewId: 'r1', reason: sealed }, closed, context),
    ).toThrow(/gerade gelöscht/);
  });
});
