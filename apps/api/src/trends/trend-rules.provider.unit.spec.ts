import { DEFAULT_READ_MODEL_RULES } from '@pruefpfad/application';
import { DEFAULT_TREND_RULES } from '@pruefpfad/domain';
import { trendRulesFrom } from './trend-rules.provider.js';

describe('trend rules from the versioned rule configuration', () => {
  it('gives the documented defaults for the default configuration', () => {
    expect(trendRulesFrom(DEFAULT_READ_MODEL_RULES)).toEqual(DEFAULT_TREND_RULES);
    expect(DEFAULT_TREND_RULES.judging).toEqual({ kind: 'clopper-pearson-upper-bound', confidence: 0.95 });
  });

  it('takes the judging rule and the version label from the configuration', () => {
    const rules = {
      ...DEFAULT_READ_MODEL_RULES,
      version: '2027.1',
      trends: { judging: { method: 'point-estimate' as const, confidence: 0.95 } },
    };
    expect(trendRulesFrom(rules)).toMatchObject({ rulesVersion: '2027.1', judging: { kind: 'point-estimate' } });
    const wilson = {
      ...DEFAULT_READ_MODEL_RULES,
      trends: { judging: { method: 'wilson' as const, confidence: 0.99 } },
    };
    expect(trendRulesFrom(wilson).judging).toEqual({
      kind: 'wilson-upper-bound',
      confidence: 0.99,
      sided: 'two-sided',
    });
    const stricter = {
      ...DEFAULT_READ_MODEL_RULES,
      trends: { judging: { method: 'clopper-pearson' as const, confidence: 0.99 } },
    };
    expect(trendRulesFrom(stricter).judging).toEqual({ kind: 'clopper-pearson-upper-bound', confidence: 0.99 });
  });
});
