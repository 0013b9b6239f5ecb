import { loadRulesConfig, type ReadModelRules } from '@pruefpfad/application';
import { DEFAULT_TREND_RULES, type JudgingRule, type TrendRules } from '@pruefpfad/domain';

/**
 * The trend rules in force: the defaults, with the judging rule and the rules' version label from the
 * operators' versioned rule configuration (`PRUEFPFAD_RULES_FILE`, `trends.judging`). Trends judge at
 * query time, so a changed tolerance or judging rule needs no rebuild; the label and the rule's name go
 * with every figure and decision.
 */
export const TREND_RULES = Symbol('TREND_RULES');

function judgingRule({ method, confidence }: ReadModelRules['trends']['judging']): JudgingRule {
  switch (method) {
    case 'clopper-pearson':
      return { kind: 'clopper-pearson-upper-bound', confidence };
    case 'wilson':
      return { kind: 'wilson-upper-bound', confidence, sided: 'two-sided' };
    case 'point-estimate':
      return { kind: 'point-estimate' };
    default: {
      const unreachable: never = method;
      return unreachable;
    }
  }
}

export function trendRulesFrom(rules: ReadModelRules): TrendRules {
  return { ...DEFAULT_TREND_RULES, rulesVersion: rules.version, judging: judgingRule(rules.trends.judging) };
}

export const trendRulesProvider = {
  provide: TREND_RULES,
  useFactory: (): TrendRules => trendRulesFrom(loadRulesConfig()),
};
