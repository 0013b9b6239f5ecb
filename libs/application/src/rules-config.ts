import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '@pruefpfad/event-store';
import { ConfigurationError } from './config.js';

/**
 * Rules that shape read models, with a version label. Unlike a programme's own settings (recorded in its
 * events), these are the operator's interpretation of the facts: what the dashboards count as a serious
 * defect, how a trend judges an error rate against its tolerance. Changing them changes the figures of
 * the whole history still held, so every projection that applies a section derives its version from
 * that section (`ruleDrivenVersion`): a changed rule gives a new projection version, which the runner
 * builds blue/green beside the old one (see libs/projections/src/rebuild.ts). Trends judge error rates
 * at query time (no projection applies `trends`); the label and the judging rule's name travel with
 * every trend answer and are recorded in every routine decision, so old figures stay explainable.
 *
 * Loaded from the optional JSON file named by `PRUEFPFAD_RULES_FILE`; whatever the file leaves out
 * keeps its default. Example:
 *
 * ```json
 * { "version": "2026.2",
 *   "dashboard": { "seriousDefect": { "financialLoss": true, "legalNorms": ["§ 15 SGB II"] } },
 *   "trends": { "judging": { "method": "clopper-pearson", "confidence": 0.95 } } }
 * ```
 */
export type Severity = 'minor' | 'serious';

export interface SeriousDefectRule {
  /**
   * A defect that caused a financial loss counts as serious whatever severity the reviewer recorded
   * (such defects escalate to the procedure for established financial losses, 001:242). Default false:
   * the recorded severity decides.
   */
  readonly financialLoss: boolean;
  /** Defects citing one of these legal norms count as serious (compared with whitespace normalised). */
  readonly legalNorms: readonly string[];
}

export interface DashboardRules {
  readonly seriousDefect: SeriousDefectRule;
}

/** Judging methods an operator may name (`upper-confidence-bound` is read as `wilson`, see below). */
export const JUDGING_METHODS = ['clopper-pearson', 'wilson', 'point-estimate'] as const;

export interface JudgingRule {
  /**
   * How a routine's error rate is judged against its tolerance. It meets the tolerance when
   * - `clopper-pearson` (default): the exact one-sided upper bound at `confidence` lies below it, the
   *   usual rule of audit sampling (0 errors: 29 reviews for 10 %, 59 for 5 %);
   * - `wilson`: the upper bound of the two-sided Wilson score interval at `confidence` does (the
   *   default until rules version 2026.1; 0 errors: 35 reviews for 10 %);
   * - `point-estimate`: the observed rate does.
   * `upper-confidence-bound`, the name of the Wilson rule up to 2026.1, is accepted and read as `wilson`,
   * so a rules file written then keeps its meaning.
   */
  readonly method: (typeof JUDGING_METHODS)[number];
  /** Confidence level of the bound, e.g. 0.95: one-sided for `clopper-pearson`, two-sided for `wilson`. */
  readonly confidence: number;
}

export interface TrendRules {
  readonly judging: JudgingRule;
}

export interface ReadModelRules {
  /** Version label an operator gives the rules (shown beside every projection that applies them). */
  readonly version: string;
  readonly dashboard: DashboardRules;
  readonly trends: TrendRules;
  readonly legalQuota: LegalQuotaRules;
  readonly risks: RiskRegisterRules;
}

/**
 * The risk register's quarterly reassessment (001:121, domain.md cycle step 7): months after an assessment
 * by which the risk is reassessed, 1 to 12 (default 3). Applied when an assessment is recorded (its due
 * date travels in the event), so a change needs no rebuild and moves only later assessments' due dates.
 */
export interface RiskRegisterRules {
  readonly reassessMonths: number;
}

/**
 * Targets of the legal department's two shares (001:256–258), in percent with at most two decimals.
 * Applied at query time (no projection applies them), so a change needs no rebuild; the rules' version
 * label travels with every quota answer.
 */
export interface LegalQuotaRules {
  /** Avoidable among upheld appeals: to be brought down to this (001:256, 30 %). */
  readonly avoidableAmongUpheld: { readonly targetPercent: number };
  /** Avoidable among settled appeals, for information only; provisional target (001:258, 10 %). */
  readonly avoidableAmongSettled: { readonly targetPercent: number };
}

/** The defaults. 2026.2 made `clopper-pearson` the judging default (2026.1 judged by `wilson`). */
export const DEFAULT_READ_MODEL_RULES: ReadModelRules = {
  version: '2026.2',
  dashboard: { seriousDefect: { financialLoss: false, legalNorms: [] } },
  trends: { judging: { method: 'clopper-pearson', confidence: 0.95 } },
  legalQuota: { avoidableAmongUpheld: { targetPercent: 30 }, avoidableAmongSettled: { targetPercent: 10 } },
  risks: { reassessMonths: 3 },
};

/** The environment variable naming the rules file (listed in CONFIG_VARIABLES). */
export const RULES_FILE_VARIABLE = 'PRUEFPFAD_RULES_FILE';

type Env = Readonly<Record<string, string | undefined>>;

/** The rules the environment names, or the defaults; every problem of the file is reported at once. */
export function loadRulesConfig(env: Env = process.env, cwd: string = process.cwd()): ReadModelRules {
  const raw = env[RULES_FILE_VARIABLE]?.trim();
  if (!raw) return DEFAULT_READ_MODEL_RULES;
  const file = path.resolve(cwd, raw);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigurationError([
      `${RULES_FILE_VARIABLE}="${raw}": Datei nicht lesbar / file not readable (${(error as Error).message})`,
    ]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError([
      `${RULES_FILE_VARIABLE}="${raw}": kein gültiges JSON / not valid JSON (${(error as Error).message})`,
    ]);
  }
  return parseRulesConfig(value, `${RULES_FILE_VARIABLE}="${raw}"`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates a parsed rules document; `source` prefixes every problem (the variable and file). */
export function parseRulesConfig(value: unknown, source = 'rules'): ReadModelRules {
  const problems: string[] = [];
  const problem = (field: string, message: string): void => {
    problems.push(`${source}: ${field}: ${message}`);
  };
  const section = (parent: Record<string, unknown>, key: string, field: string): Record<string, unknown> => {
    const child = parent[key];
    if (child === undefined) return {};
    if (isRecord(child)) return child;
    problem(field, 'Objekt erwartet / expected an object');
    return {};
  };
  const unknownKeys = (object: Record<string, unknown>, allowed: readonly string[], field: string): void => {
    for (const key of Object.keys(object))
      if (!allowed.includes(key)) problem(field === '' ? key : `${field}.${key}`, 'unbekannt / unknown');
  };
  if (!isRecord(value)) {
    throw new ConfigurationError([`${source}: JSON-Objekt erwartet / expected a JSON object`]);
  }
  unknownKeys(value, ['version', 'dashboard', 'trends', 'legalQuota', 'risks'], '');

  const version = value['version'];
  if (typeof version !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(version))
    problem(
      'version',
      'Versionsbezeichnung Pflicht (1–40 Zeichen: Buchstaben, Ziffern, . _ -) / version label required (1–40 characters: letters, digits, . _ -)',
    );

  const dashboard = section(value, 'dashboard', 'dashboard');
  unknownKeys(dashboard, ['seriousDefect'], 'dashboard');
  const serious = section(dashboard, 'seriousDefect', 'dashboard.seriousDefect');
  unknownKeys(serious, ['financialLoss', 'legalNorms'], 'dashboard.seriousDefect');
  const defaults = DEFAULT_READ_MODEL_RULES;
  const financialLoss = serious['financialLoss'] ?? defaults.dashboard.seriousDefect.financialLoss;
  if (typeof financialLoss !== 'boolean')
    problem('dashboard.seriousDefect.financialLoss', 'true oder false erwartet / expected true or false');
  const legalNorms = serious['legalNorms'] ?? defaults.dashboard.seriousDefect.legalNorms;
  const normsValid =
    Array.isArray(legalNorms) && legalNorms.every((norm) => typeof norm === 'string' && norm.trim() !== '');
  if (!normsValid)
    problem(
      'dashboard.seriousDefect.legalNorms',
      'Liste nicht-leerer Texte erwartet / expected a list of non-empty strings',
    );

  const trends = section(value, 'trends', 'trends');
  unknownKeys(trends, ['judging'], 'trends');
  const judging = section(trends, 'judging', 'trends.judging');
  unknownKeys(judging, ['method', 'confidence'], 'trends.judging');
  const named = judging['method'] ?? defaults.trends.judging.method;
  const method = named === 'upper-confidence-bound' ? 'wilson' : named;
  if (!(JUDGING_METHODS as readonly unknown[]).includes(method))
    problem('trends.judging.method', `erlaubt / allowed: ${JUDGING_METHODS.join(', ')}`);
  const confidence = judging['confidence'] ?? defaults.trends.judging.confidence;
  if (typeof confidence !== 'number' || !(confidence >= 0.5 && confidence < 1))
    problem('trends.judging.confidence', 'Zahl von 0,5 bis unter 1 erwartet / expected a number from 0.5 to below 1');

  const legalQuota = section(value, 'legalQuota', 'legalQuota');
  unknownKeys(legalQuota, ['avoidableAmongUpheld', 'avoidableAmongSettled'], 'legalQuota');
  const quotaTarget = (key: 'avoidableAmongUpheld' | 'avoidableAmongSettled'): number => {
    const share = section(legalQuota, key, `legalQuota.${key}`);
    unknownKeys(share, ['targetPercent'], `legalQuota.${key}`);
    const target = share['targetPercent'] ?? defaults.legalQuota[key].targetPercent;
    const hundredths = typeof target === 'number' ? Math.round(target * 100) : Number.NaN;
    if (typeof target !== 'number' || !(target >= 0 && target <= 100) || Math.abs(target * 100 - hundredths) > 1e-6)
      problem(
        `legalQuota.${key}.targetPercent`,
        'Prozent von 0 bis 100, höchstens zwei Nachkommastellen / percent from 0 to 100, at most two decimals',
      );
    return hundredths / 100;
  };
  const upheldTarget = quotaTarget('avoidableAmongUpheld');
  const settledTarget = quotaTarget('avoidableAmongSettled');

  const risks = section(value, 'risks', 'risks');
  unknownKeys(risks, ['reassessMonths'], 'risks');
  const reassessMonths = risks['reassessMonths'] ?? defaults.risks.reassessMonths;
  if (!Number.isInteger(reassessMonths) || (reassessMonths as number) < 1 || (reassessMonths as number) > 12)
    problem('risks.reassessMonths', 'ganze Zahl von 1 bis 12 erwartet / expected a whole number from 1 to 12');

  if (problems.length > 0) throw new ConfigurationError(problems);
  return {
    version: version as string,
    dashboard: {
      seriousDefect: {
        financialLoss: financialLoss as boolean,
        legalNorms: [...new Set((legalNorms as string[]).map(normaliseNorm))].sort(),
      },
    },
    trends: { judging: { method: method as JudgingRule['method'], confidence: confidence as number } },
    legalQuota: {
      avoidableAmongUpheld: { targetPercent: upheldTarget },
      avoidableAmongSettled: { targetPercent: settledTarget },
    },
    risks: { reassessMonths: reassessMonths as number },
  };
}

const normaliseNorm = (norm: string): string => norm.replace(/\s+/gu, ' ').trim();

/** How the dashboards count a defect under `rule` (never milder than recorded). */
export function countedSeverity(
  rule: SeriousDefectRule,
  defect: { readonly severity: Severity; readonly financialLoss: boolean; readonly legalNorm: string | null },
): Severity {
  if (defect.severity === 'serious') return 'serious';
  if (rule.financialLoss && defect.financialLoss) return 'serious';
  if (defect.legalNorm !== null && rule.legalNorms.includes(normaliseNorm(defect.legalNorm))) return 'serious';
  return 'minor';
}

/** Room for the rules' part of a version: `codeVersion * RULES_VERSION_SPAN + fingerprint`. */
export const RULES_VERSION_SPAN = 1_000_000_000;

/**
 * The version of a projection that applies `section` of the rules: its code version (bumped when
 * `evolve` changes) in the high digits, a fingerprint of the section's values in the low nine. Any change
 * of a value the projection applies gives a new version (and so a rebuild); a new label alone, or a
 * change of a section the projection does not apply, does not, because its figures would not change.
 * Two different rule sets share a fingerprint with a chance of one in a billion.
 */
export function ruleDrivenVersion(codeVersion: number, section: unknown): number {
  if (!Number.isSafeInteger(codeVersion) || codeVersion < 1 || codeVersion > 9_000_000)
    throw new Error(`codeVersion must be an integer from 1 to 9,000,000 (got ${codeVersion})`);
  return codeVersion * RULES_VERSION_SPAN + rulesFingerprint(section);
}

/** A number below RULES_VERSION_SPAN identifying the values of a rules section. */
export function rulesFingerprint(section: unknown): number {
  const digest = createHash('sha256').update(canonicalJson(section)).digest();
  return digest.readUIntBE(0, 6) % RULES_VERSION_SPAN;
}

/** The code version part of a rule-driven projection version. */
export function codeVersionOf(version: number): number {
  return Math.floor(version / RULES_VERSION_SPAN);
}
