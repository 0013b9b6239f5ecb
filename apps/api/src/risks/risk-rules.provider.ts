import { loadRulesConfig, type ReadModelRules } from '@pruefpfad/application';
import type { RiskRules } from '@pruefpfad/domain';
import { trendRulesFrom } from '../trends/trend-rules.provider.js';

/**
 * The register's rules in force: the quarterly reassessment interval from the operators' versioned rules
 * file (`PRUEFPFAD_RULES_FILE`, key `risks.reassessMonths`, default 3), and the latest re-check of an
 * accepted risk bounded like a suspended routine's (`TrendRules.maxRecheckMonths`). Applied when a command
 * is decided: the due date travels in the event, so a changed interval needs no rebuild.
 */
export const RISK_RULES_IN_FORCE = Symbol('RISK_RULES_IN_FORCE');

export interface RiskRulesInForce extends RiskRules {
  /** The rules file's version label, for the answer and the README's explanation of due dates. */
  readonly rulesVersion: string;
}

export function riskRulesFrom(rules: ReadModelRules): RiskRulesInForce {
  return {
    rulesVersion: rules.version,
    reassessMonths: rules.risks.reassessMonths,
    maxRecheckMonths: trendRulesFrom(rules).maxRecheckMonths,
  };
}

export const riskRulesProvider = {
  provide: RISK_RULES_IN_FORCE,
  useFactory: (): RiskRulesInForce => riskRulesFrom(loadRulesConfig()),
};
