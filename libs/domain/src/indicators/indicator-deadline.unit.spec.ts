import { deadlineStatus } from '../deadlines/deadline.js';
import { indicatorRatingDeadline, type IndicatorMonthFacts } from './indicator-deadline.js';

const facts: IndicatorMonthFacts = {
  tenant: 'jc-x',
  areaId: 'area-1',
  teamId: 'team-1',
  month: '2026-01',
  indicators: ['first-consultation', 'counselling-contact'],
  ratedOnCurrentImport: [],
};

describe('indicatorRatingDeadline', () => {
  it('is due at the end of the month after the data month while an indicator is unrated', () => {
    const deadline = indicatorRatingDeadline(facts);
    expect(deadline).toMatchObject({
      kind: 'indicator-rating',
      ref: 'team-1/2026-01',
      dueDate: '2026-02-28',
      action: 'indicators.rate',
      resource: { tenant: 'jc-x', unit: 'team-1', parentUnits: ['area-1'] },
    });
    expect(deadlineStatus(deadline!.dueDate, '2026-02-28')).toBe('due');
    expect(deadlineStatus(deadline!.dueDate, '2026-03-01')).toBe('overdue');
    expect(indicatorRatingDeadline({ ...facts, month: '2027-12' })?.dueDate).toBe('2028-01-31');
    expect(indicatorRatingDeadline({ ...facts, month: '2028-01' })?.dueDate).toBe('2028-02-29');
  });

  it('stays while one indicator is unrated and is gone when all are rated on the current import', () => {
    expect(indicatorRatingDeadline({ ...facts, ratedOnCurrentImport: ['first-consultation'] })).not.toBeNull();
    expect(
      indicatorRatingDeadline({ ...facts, ratedOnCurrentImport: ['counselling-contact', 'first-consultation'] }),
    ).toBeNull();
  });
});
