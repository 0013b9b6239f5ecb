import { addDays } from '../calendar/local-date.js';
import {
  capacityUsePercent,
  contactWindowStart,
  counsellingContactOutcome,
  FIRST_CONSULTATION_EXCEPTIONS,
  firstConsultationOutcome,
  graduateOutcome,
  graduateStillOpen,
  graduateWindow,
  type PlacementStatus,
  possibleSlots,
} from './indicator-rules.js';

describe('first consultation (Erstberatung, 004:62–68)', () => {
  const newCustomer = {
    reason: 'first-application' as const,
    applicationDate: '2025-03-10',
    exception: null,
    firstConsultationDate: '2025-03-20',
  };

  it('is fulfilled by a consultation documented on or before the reference date, missed after it or without one', () => {
    expect(firstConsultationOutcome(newCustomer, '2025-03-31')).toBe('fulfilled');
    expect(firstConsultationOutcome(newCustomer, '2025-03-20')).toBe('fulfilled');
    expect(firstConsultationOutcome(newCustomer, '2025-03-19')).toBe('missed');
    expect(firstConsultationOutcome({ ...newCustomer, firstConsultationDate: null }, '2025-03-31')).toBe('missed');
  });

  it.each(FIRST_CONSULTATION_EXCEPTIONS)('leaves out the exception %s, consulted or not', (exception) => {
    expect(firstConsultationOutcome({ ...newCustomer, exception }, '2025-03-31')).toBe('excluded');
    expect(firstConsultationOutcome({ ...newCustomer, exception, firstConsultationDate: null }, '2025-03-31')).toBe(
      'excluded',
    );
  });

  it('counts every kind of new customer, and an application after the reference date not yet', () => {
    for (const reason of ['first-application', 're-application', 'new-bg-number'] as const)
      expect(firstConsultationOutcome({ ...newCustomer, reason }, '2025-03-31')).toBe('fulfilled');
    expect(firstConsultationOutcome({ ...newCustomer, applicationDate: '2025-03-31' }, '2025-03-31')).toBe('fulfilled');
    expect(firstConsultationOutcome({ ...newCustomer, applicationDate: '2025-04-01' }, '2025-03-31')).toBe('excluded');
  });
});

describe('counselling contact within the interval at the reference date (004:40, 004:42, 004:74)', () => {
  const registered = { placementStatus: 'unemployed' as PlacementStatus, compulsorySchooling: false };

  it('counts a contact exactly 6 months before the reference date, not the day before', () => {
    expect(contactWindowStart('2025-06-30', 6)).toBe('2024-12-30');
    expect(counsellingContactOutcome({ ...registered, lastContactDate: '2024-12-30' }, '2025-06-30')).toBe('fulfilled');
    expect(counsellingContactOutcome({ ...registered, lastContactDate: '2024-12-29' }, '2025-06-30')).toBe('missed');
  });

  it('counts a contact on the reference date, not one after it, and none is missed', () => {
    expect(counsellingContactOutcome({ ...registered, lastContactDate: '2025-06-30' }, '2025-06-30')).toBe('fulfilled');
    expect(counsellingContactOutcome({ ...registered, lastContactDate: '2025-07-01' }, '2025-06-30')).toBe('missed');
    expect(counsellingContactOutcome({ ...registered, lastContactDate: null }, '2025-06-30')).toBe('missed');
  });

  it('clamps at month ends: 31 August back to the last day of February, 29 February in a leap year', () => {
    expect(contactWindowStart('2025-08-31', 6)).toBe('2025-02-28');
    expect(contactWindowStart('2024-08-31', 6)).toBe('2024-02-29');
    expect(counsellingContactOutcome({ ...registered, lastContactDate: '2025-02-28' }, '2025-08-31')).toBe('fulfilled');
    expect(counsellingContactOutcome({ ...registered, lastContactDate: '2025-02-27' }, '2025-08-31')).toBe('missed');
    expect(counsellingContactOutcome({ ...registered, lastContactDate: '2024-02-29' }, '2024-08-31')).toBe('fulfilled');
    expect(counsellingContactOutcome({ ...registered, lastContactDate: '2024-02-28' }, '2024-08-31')).toBe('missed');
  });

  it('applies a shorter team interval: 3 months', () => {
    expect(counsellingContactOutcome({ ...registered, lastContactDate: '2025-03-31' }, '2025-06-30', 3)).toBe(
      'fulfilled',
    );
    expect(counsellingContactOutcome({ ...registered, lastContactDate: '2025-03-29' }, '2025-06-30', 3)).toBe('missed');
    expect(contactWindowStart('2025-06-30', 3)).toBe('2025-03-30');
    expect(() => contactWindowStart('2025-06-30', 7)).toThrow(RangeError);
    expect(() => contactWindowStart('2025-06-30', 0)).toThrow(RangeError);
  });

  it.each(['job-seeking', 'unemployed', 'advice-seeking', 'unset'] as const)('counts status %s', (placementStatus) => {
    expect(
      counsellingContactOutcome({ placementStatus, compulsorySchooling: false, lastContactDate: null }, '2025-06-30'),
    ).toBe('missed');
  });

  it('leaves out people not registered for placement and pupils in compulsory schooling', () => {
    expect(
      counsellingContactOutcome(
        { placementStatus: 'not-registered', compulsorySchooling: false, lastContactDate: null },
        '2025-06-30',
      ),
    ).toBe('excluded');
    expect(
      counsellingContactOutcome(
        { placementStatus: 'unemployed', compulsorySchooling: true, lastContactDate: null },
        '2025-06-30',
      ),
    ).toBe('excluded');
  });
});

describe('graduate management in calendar days (004:84, 004:86)', () => {
  const end = '2025-05-15';
  const at = (offset: number) => graduateOutcome({ participationEnd: end, counsellingDates: [addDays(end, offset)] });

  it('day −91 counts in both senses, day −92 in neither', () => {
    expect(at(-91)).toEqual({ narrow: 'fulfilled', wide: 'fulfilled' });
    expect(at(-92)).toEqual({ narrow: 'missed', wide: 'missed' });
  });

  it('day 0 counts in both senses; day +1 and +14 in the wide sense only; day +15 in neither', () => {
    expect(at(0)).toEqual({ narrow: 'fulfilled', wide: 'fulfilled' });
    expect(at(1)).toEqual({ narrow: 'missed', wide: 'fulfilled' });
    expect(at(14)).toEqual({ narrow: 'missed', wide: 'fulfilled' });
    expect(at(15)).toEqual({ narrow: 'missed', wide: 'missed' });
  });

  it('is missed without any talk, and fulfilled when one of several talks lies inside', () => {
    expect(graduateOutcome({ participationEnd: end, counsellingDates: [] })).toEqual({
      narrow: 'missed',
      wide: 'missed',
    });
    expect(
      graduateOutcome({ participationEnd: end, counsellingDates: ['2025-01-01', addDays(end, 10), '2025-12-01'] }),
    ).toEqual({ narrow: 'missed', wide: 'fulfilled' });
  });

  it('counts calendar days across month ends and leap days', () => {
    // 91 days before 2024-05-30 is 2024-02-29 (leap year); in 2025 the same span reaches 2025-02-28.
    expect(graduateWindow('2024-05-30', 'narrow')).toEqual({ from: '2024-02-29', to: '2024-05-30' });
    expect(graduateWindow('2025-05-30', 'narrow')).toEqual({ from: '2025-02-28', to: '2025-05-30' });
    expect(graduateOutcome({ participationEnd: '2024-05-30', counsellingDates: ['2024-02-29'] }).narrow).toBe(
      'fulfilled',
    );
    expect(graduateOutcome({ participationEnd: '2024-05-30', counsellingDates: ['2024-02-28'] }).narrow).toBe('missed');
    // 14 days after 2024-12-31 is 2025-01-14 (across the year end), after 2024-02-20 it is 2024-03-05.
    expect(graduateWindow('2024-12-31', 'wide').to).toBe('2025-01-14');
    expect(graduateWindow('2024-02-20', 'wide').to).toBe('2024-03-05');
    expect(graduateWindow('2025-02-20', 'wide').to).toBe('2025-03-06');
    expect(graduateOutcome({ participationEnd: '2024-12-31', counsellingDates: ['2025-01-14'] }).wide).toBe(
      'fulfilled',
    );
    expect(graduateOutcome({ participationEnd: '2024-12-31', counsellingDates: ['2025-01-15'] }).wide).toBe('missed');
  });

  it('is still open while the 14 days after the end reach past the reference date', () => {
    expect(graduateStillOpen('2025-05-17', '2025-05-31')).toBe(false);
    expect(graduateStillOpen('2025-05-18', '2025-05-31')).toBe(true);
  });
});

describe('counselling capacity (004:46, 004:92)', () => {
  it('takes 60 % of the working time in slots, rounded down', () => {
    expect(possibleSlots(160, 60, 60)).toBe(96);
    expect(possibleSlots(160, 60, 45)).toBe(128);
    expect(possibleSlots(10, 60, 45)).toBe(8);
    expect(possibleSlots(0, 60, 60)).toBe(0);
    expect(() => possibleSlots(160, 0, 60)).toThrow(RangeError);
  });

  it('gives the used share in per cent, none without possible slots', () => {
    expect(capacityUsePercent(72, 96)).toBe(75);
    expect(capacityUsePercent(1, 3)).toBe(33.3);
    expect(capacityUsePercent(5, 0)).toBeNull();
  });
});
