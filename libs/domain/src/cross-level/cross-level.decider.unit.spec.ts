import { fold, type DecisionContext } from '../shared/decider.js';
import { DomainError } from '../shared/domain-error.js';
import {
  crossLevelReviewDecider,
  crossLevelReviewEndsOn,
  crossLevelReviewStatus,
  tenantRegionDecider,
  type CrossLevelReviewCommand,
} from './cross-level.decider.js';
import type { CrossLevelReviewEvent } from './cross-level.events.js';

const context = (role: string, today = '2026-03-10'): DecisionContext => ({
  now: `${today}T09:00:00.000Z`,
  today,
  actor: { userId: 'u', role },
  tenant: 'ba-zentrale',
});

const approve = (
  overrides: Partial<Extract<CrossLevelReviewCommand, { type: 'ApproveCrossLevelReview' }>> = {},
): CrossLevelReviewCommand => ({
  type: 'ApproveCrossLevelReview',
  id: 'clr-1',
  kind: 'calibration',
  scope: { kind: 'tenants', tenants: ['jc-b', 'jc-a', 'jc-a'] },
  customerProcess: 'reha',
  questionnaireId: null,
  fromMonth: '2026-02',
  toMonth: '2026-04',
  basis: 'Email-Weisung 2026-02 (BMAS-Genehmigung)',
  ...overrides,
});

const code = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'other';
  }
};

describe('cross-level review approvals (003:78, 003:86-90)', () => {
  const none = crossLevelReviewDecider.initialState();

  it('records a calibration of at most three months approved by the Zentrale, tenants sorted and unique', () => {
    const [event] = crossLevelReviewDecider.decide(approve(), none, context('central'));
    expect(event).toMatchObject({
      type: 'CrossLevelReviewApproved',
      data: {
        scope: { kind: 'tenants', tenants: ['jc-a', 'jc-b'] },
        approvedByRole: 'central',
        approvedOn: '2026-03-10',
      },
    });
  });

  it('refuses a calibration longer than three months, a reversed range and an empty basis', () => {
    expect(code(() => crossLevelReviewDecider.decide(approve({ toMonth: '2026-05' }), none, context('central')))).toBe(
      'RULE_VIOLATION',
    );
    expect(code(() => crossLevelReviewDecider.decide(approve({ toMonth: '2026-01' }), none, context('central')))).toBe(
      'VALIDATION_FAILED',
    );
    expect(code(() => crossLevelReviewDecider.decide(approve({ basis: ' ' }), none, context('central')))).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      code(() =>
        crossLevelReviewDecider.decide(approve({ scope: { kind: 'tenants', tenants: [] } }), none, context('central')),
      ),
    ).toBe('VALIDATION_FAILED');
  });

  it('only the Zentrale approves: a regional level cannot', () => {
    expect(code(() => crossLevelReviewDecider.decide(approve(), none, context('regional')))).toBe('RULE_VIOLATION');
    expect(code(() => crossLevelReviewDecider.decide(approve({ kind: 'risk-based' }), none, context('regional')))).toBe(
      'RULE_VIOLATION',
    );
  });

  it('a risk-based review is decided during the year for months of that year, of any length', () => {
    const ok = approve({ kind: 'risk-based', fromMonth: '2026-01', toMonth: '2026-12' });
    expect(crossLevelReviewDecider.decide(ok, none, context('central'))).toHaveLength(1);
    const nextYear = approve({ kind: 'risk-based', fromMonth: '2026-11', toMonth: '2027-02' });
    expect(code(() => crossLevelReviewDecider.decide(nextYear, none, context('central')))).toBe('RULE_VIOLATION');
  });

  it('is approved once and can be closed early, once', () => {
    const approved = crossLevelReviewDecider.decide(approve(), none, context('central'));
    const open = fold(crossLevelReviewDecider, approved);
    expect(code(() => crossLevelReviewDecider.decide(approve(), open, context('central')))).toBe('ALREADY_EXISTS');
    const close: CrossLevelReviewCommand = { type: 'CloseCrossLevelReview', id: 'clr-1', basis: 'Ziel erreicht' };
    expect(code(() => crossLevelReviewDecider.decide(close, none, context('central')))).toBe('NOT_FOUND');
    expect(code(() => crossLevelReviewDecider.decide(close, open, context('regional')))).toBe('RULE_VIOLATION');
    const closedEvents = crossLevelReviewDecider.decide(close, open, context('central'));
    expect(closedEvents[0]).toMatchObject({ type: 'CrossLevelReviewClosed', data: { closedOn: '2026-03-10' } });
    const closed = fold(crossLevelReviewDecider, [...approved, ...closedEvents] as CrossLevelReviewEvent[]);
    expect(closed.status).toBe('closed');
    expect(code(() => crossLevelReviewDecider.decide(close, closed, context('central')))).toBe('RULE_VIOLATION');
  });

  it('copies are shown until the end of the month after the last sample month, unless closed', () => {
    expect(crossLevelReviewEndsOn('2026-04')).toBe('2026-05-31');
    expect(crossLevelReviewStatus({ toMonth: '2026-04', closedOn: null }, '2026-05-31')).toBe('open');
    expect(crossLevelReviewStatus({ toMonth: '2026-04', closedOn: null }, '2026-06-01')).toBe('expired');
    expect(crossLevelReviewStatus({ toMonth: '2026-04', closedOn: '2026-03-01' }, '2026-03-02')).toBe('closed');
  });
});

describe('the Jobcenter’s region', () => {
  it('records a region, and the same region again appends nothing', () => {
    const command = { type: 'AssignRegion', tenant: 'jc-a', region: 'rd-nrw' } as const;
    const events = tenantRegionDecider.decide(command, tenantRegionDecider.initialState(), context('management'));
    expect(events).toEqual([
      {
        type: 'RegionAssigned',
        data: { tenant: 'jc-a', region: 'rd-nrw', since: '2026-03-10', decidedByRole: 'management' },
      },
    ]);
    const state = fold(tenantRegionDecider, events);
    expect(tenantRegionDecider.decide(command, state, context('management'))).toEqual([]);
    expect(
      tenantRegionDecider.decide({ ...command, region: 'rd-bb' }, state, context('management'))[0]?.data.region,
    ).toBe('rd-bb');
  });
});
