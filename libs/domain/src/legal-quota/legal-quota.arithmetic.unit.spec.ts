import {
  DEFAULT_LEGAL_QUOTA_TARGETS,
  legalQuota,
  NO_FIGURE_TEXT,
  quotaShare,
  shareText,
  totalsOf,
} from './legal-quota.arithmetic.js';
import type { LegalQuotaRow } from './legal-quota.events.js';

const row = (
  legalNorm: string,
  teamId: string | null,
  settled: number,
  upheldFully: number,
  upheldPartly: number,
  documentation: number,
  applicationOfLaw: number,
  factFinding: number,
): LegalQuotaRow => ({
  legalNorm,
  teamId,
  settled,
  upheldFully,
  upheldPartly,
  avoidable: { documentation, 'application-of-law': applicationOfLaw, 'fact-finding': factFinding },
});

describe('legal quota arithmetic (001:256–262)', () => {
  it('sums rows: upheld is fully plus partly, avoidable the sum of its reasons', () => {
    const totals = totalsOf([row('§ 22 SGB II', 't1', 40, 6, 4, 1, 2, 0), row('§ 11 SGB II', null, 10, 1, 1, 0, 0, 2)]);
    expect(totals).toEqual({
      settled: 50,
      upheld: 12,
      upheldFully: 7,
      upheldPartly: 5,
      avoidable: 5,
      avoidableByReason: { documentation: 1, 'application-of-law': 2, 'fact-finding': 2 },
    });
  });

  it('judges 30 % among upheld exactly at the boundary: 3 of 10 within, 31 of 100 above, 299 of 1000 within', () => {
    const target = DEFAULT_LEGAL_QUOTA_TARGETS.avoidableAmongUpheldBasisPoints;
    expect(quotaShare(3, 10, target, false)).toEqual({
      numerator: 3,
      denominator: 10,
      percent: 30,
      targetPercent: 30,
      status: 'within-target',
      informational: false,
    });
    expect(quotaShare(31, 100, target, false).status).toBe('above-target');
    expect(quotaShare(299, 1000, target, false).status).toBe('within-target');
    // 300001 of 1000000 rounds to 30.0 % but lies above the target: judged on integers, not on the rounding.
    const justAbove = quotaShare(300_001, 1_000_000, target, false);
    expect(justAbove.percent).toBe(30);
    expect(justAbove.status).toBe('above-target');
  });

  it('rounds half up to one decimal on integers (1/3 → 33.3, 2/3 → 66.7, 1/8 → 12.5, 1/16 → 6.3)', () => {
    expect(quotaShare(1, 3, 3000, false).percent).toBe(33.3);
    expect(quotaShare(2, 3, 3000, false).percent).toBe(66.7);
    expect(quotaShare(1, 8, 3000, false).percent).toBe(12.5);
    expect(quotaShare(1, 16, 3000, false).percent).toBe(6.3);
    expect(quotaShare(0, 7, 3000, false)).toMatchObject({ percent: 0, status: 'within-target' });
  });

  it('gives no figure for a zero denominator: neither 0 % nor NaN, neither met nor missed', () => {
    const quota = legalQuota(totalsOf([]), DEFAULT_LEGAL_QUOTA_TARGETS);
    expect(quota.avoidableAmongUpheld).toMatchObject({ percent: null, status: 'no-figure', denominator: 0 });
    expect(quota.avoidableAmongSettled).toMatchObject({ percent: null, status: 'no-figure', informational: true });
    expect(shareText(quota.avoidableAmongUpheld)).toBe(NO_FIGURE_TEXT);
    // Settled appeals but none upheld: the first share has no figure, the second is 0 %.
    const noneUpheld = legalQuota(totalsOf([row('§ 31 SGB II', 't1', 5, 0, 0, 0, 0, 0)]), DEFAULT_LEGAL_QUOTA_TARGETS);
    expect(noneUpheld.avoidableAmongUpheld.status).toBe('no-figure');
    expect(noneUpheld.avoidableAmongSettled).toMatchObject({ percent: 0, status: 'within-target' });
    expect(shareText(noneUpheld.avoidableAmongSettled)).toBe('0,0 %');
  });

  it('uses the configured denominators and targets: among settled with 10 %, and a configured 27.5 %', () => {
    const totals = totalsOf([row('§ 22 SGB II', 't1', 50, 10, 0, 2, 1, 2)]);
    const quota = legalQuota(totals, DEFAULT_LEGAL_QUOTA_TARGETS);
    expect(quota.avoidableAmongUpheld).toMatchObject({
      numerator: 5,
      denominator: 10,
      percent: 50,
      status: 'above-target',
    });
    expect(quota.avoidableAmongSettled).toMatchObject({
      numerator: 5,
      denominator: 50,
      percent: 10,
      targetPercent: 10,
      status: 'within-target',
      informational: true,
    });
    const stricter = legalQuota(totals, {
      avoidableAmongUpheldBasisPoints: 6000,
      avoidableAmongSettledBasisPoints: 999,
    });
    expect(stricter.avoidableAmongUpheld).toMatchObject({ targetPercent: 60, status: 'within-target' });
    expect(stricter.avoidableAmongSettled).toMatchObject({ targetPercent: 9.99, status: 'above-target' });
    // 11 of 40 = 27.5 %: within a 27.5 % target, above 27.49 %.
    expect(quotaShare(11, 40, 2750, false).status).toBe('within-target');
    expect(quotaShare(11, 40, 2749, false).status).toBe('above-target');
  });
});
