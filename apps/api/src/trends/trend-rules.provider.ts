import { loadRulesConfig, type ReadModelRules } from '../../../../libs/application/src/rules-config.js';
import { DEFAULT_TREND_RULES, type TrendRules } from '../../../../libs/domain/src/trends/trend-rules.js';

/**
 * The trend rules in force: the defaults, with the judging rule from the operators' versioned rule
 * configuration (`PRUEFPFAD_RULES_FILE`, `trends.judging`). Trends judge at query time, so a changed
 * tolerance or judging rule needs no rebuild.
 */
export const TREND_RULES = Symbol('TREND_RULES');

export function trendRulesFrom(rules: ReadModelRules): TrendRules {
  const { method, confidence } = rules.trends.judging;
  return {
    ...DEFAULT_TREND_RULES,
    judging:
      method === 'point-estimate'
        ? { kind: 'point-estimate' }
        : { kind: 'wilson-upper-bound', confidence, sided: 'two-sided' },
  };
}

export const trendRulesProvider = {
  provide: TREND_RULES,
  useFactory: (): TrendRules => trendRulesFrom(loadRulesConfig()),
};
