import { DEFAULT_READ_MODEL_RULES } from '../../../../libs/application/src/rules-config.js';
import { DEFAULT_TREND_RULES } from '../../../../libs/domain/src/trends/trend-rules.js';
import { trendRulesFrom } from './trend-rules.provider.js';

describe('trend rules from the versioned rule configuration', () => {
  it('gives the documented defaults for the default configuration', () => {
    expect(trendRulesFrom(DEFAULT_READ_MODEL_RULES)).toEqual(DEFAULT_TREND_RULES);
  });

  it('takes the judging rule from the configuration', () => {
    const rules = {
      ...DEFAULT_READ_MODEL_RULES,
      trends: { judging: { method: 'point-estimate' as const, confidence: 0.95 } },
    };
    expect(trendRulesFrom(rules).judging).toEqual({ kind: 'point-estimate' });
    const stricter = {
      ...DEFAULT_READ_MODEL_RULES,
      trends: { judging: { method: 'upper-confidence-bound' as const, confidence: 0.99 } },
    };
    expect(trendRulesFrom(stricter).judging).toEqual({
      kind: 'wilson-upper-bound',
      confidence: 0.99,
      sided: 'two-sided',
    });
  });
});
