import { DomainError } from '../shared/domain-error.js';

/**
 * The risk matrix of the internal control system (Krefeld, 001:113–119): a risk's assessment links the
 * extent of damage (Schadensausmaß, "impact") with its likelihood (Eintrittswahrscheinlichkeit) to decide
 * which treatment strategy applies; management defines its risk appetite (Risikobereitschaft, 001:119), and
 * "there may be damage potentials that are to be excluded whatever their likelihood" (001:117).
 *
 * The matrix is configuration, not code: its size and labels and the appetite line are management's
 * setting (the risk register records it as an event; `DEFAULT_RISK_MATRIX` until then). Everything here is
 * pure: place an assessment on a matrix, validate it, tell whether it lies above the appetite line.
 *
 * Used by the risk register and by the monthly team indicators (the team's joint risk rating by team lead
 * and area head is an assessment on the same matrix). The API, all exported from `@pruefpfad/domain`:
 * - `RiskMatrix`, `RiskLevel`, `RiskAppetite`, `RiskAssessment`, `RiskPlacement` (types);
 * - `DEFAULT_RISK_MATRIX` (4 × 4, German labels with English beside them);
 * - `riskMatrixProblems(matrix)`: field problems of a matrix definition (empty when valid);
 * - `riskAssessmentProblems(matrix, assessment)`: field problems of an assessment (empty when valid);
 * - `placeRisk(matrix, assessment)`: where it lies, its score and whether it is above appetite (throws
 *   `DomainError('VALIDATION_FAILED')` with the field problems when the assessment does not fit);
 * - `isAboveAppetite(matrix, assessment)`: the same question as a boolean;
 * - `riskMatrixCells(matrix)`: every cell of the matrix, for heat maps and legends.
 */

/** One step of a scale: level 1 is the lowest. */
export interface RiskLevel {
  readonly level: number;
  readonly de: string;
  readonly en: string;
}

/** The appetite line management sets (001:119). */
export interface RiskAppetite {
  /**
   * Highest score (impact level × likelihood level) management accepts: a risk scoring above it lies above
   * the appetite line and is to be treated (reduce, transfer or avoid), or accepted only by an explicit
   * decision with its re-check date.
   */
  readonly maxAcceptedScore: number;
  /**
   * Impact level from which a risk is a damage potential that is always treated whatever its likelihood
   * (001:117); null when management names none.
   */
  readonly alwaysTreatFromImpact: number | null;
}

export interface RiskMatrix {
  /** Impact (Schadensausmaß), ascending, levels 1..n without gaps. */
  readonly impact: readonly RiskLevel[];
  /** Likelihood (Eintrittswahrscheinlichkeit), ascending, levels 1..m without gaps. */
  readonly likelihood: readonly RiskLevel[];
  readonly appetite: RiskAppetite;
}

/** An assessment: the levels chosen on both scales. */
export interface RiskAssessment {
  readonly impact: number;
  readonly likelihood: number;
}

export interface RiskPlacement {
  readonly impact: number;
  readonly likelihood: number;
  /** impact × likelihood */
  readonly score: number;
  readonly impactLabel: RiskLevel;
  readonly likelihoodLabel: RiskLevel;
  /** The impact reaches `alwaysTreatFromImpact`: treated whatever its likelihood. */
  readonly damagePotential: boolean;
  /** Above the appetite line: the score exceeds `maxAcceptedScore`, or it is a damage potential. */
  readonly aboveAppetite: boolean;
}

/** Smallest and largest scales a matrix may have (a 2 × 2 says little, beyond 10 nobody tells steps apart). */
export const RISK_SCALE_LIMITS = { min: 2, max: 10 } as const;

/**
 * Our default (the seed gives the principle, not the grid): 4 × 4, accepting up to a score of 4 (e.g.
 * "high impact, unlikely" or "moderate, possible"), and the highest impact always treated.
 */
export const DEFAULT_RISK_MATRIX: RiskMatrix = {
  impact: [
    { level: 1, de: 'gering', en: 'low' },
    { level: 2, de: 'mittel', en: 'moderate' },
    { level: 3, de: 'hoch', en: 'high' },
    { level: 4, de: 'sehr hoch', en: 'very high' },
  ],
  likelihood: [
    { level: 1, de: 'unwahrscheinlich', en: 'unlikely' },
    { level: 2, de: 'möglich', en: 'possible' },
    { level: 3, de: 'wahrscheinlich', en: 'likely' },
    { level: 4, de: 'sehr wahrscheinlich', en: 'very likely' },
  ],
  appetite: { maxAcceptedScore: 4, alwaysTreatFromImpact: 4 },
};

const LABEL_MAX = 60;

function scaleProblems(scale: unknown, field: string, problems: Record<string, string>): number {
  if (!Array.isArray(scale)) {
    problems[field] = 'must be a list of levels';
    return 0;
  }
  if (scale.length < RISK_SCALE_LIMITS.min || scale.length > RISK_SCALE_LIMITS.max)
    problems[field] = `must have ${RISK_SCALE_LIMITS.min} to ${RISK_SCALE_LIMITS.max} levels`;
  scale.forEach((entry: unknown, index) => {
    const at = `${field}[${index}]`;
    if (typeof entry !== 'object' || entry === null) {
      problems[at] = 'must be { level, de, en }';
      return;
    }
    const { level, de, en } = entry as Record<string, unknown>;
    if (level !== index + 1) problems[`${at}.level`] = `must be ${index + 1} (ascending from 1, no gaps)`;
    for (const [key, text] of [
      ['de', de],
      ['en', en],
    ] as const)
      if (typeof text !== 'string' || text.trim() === '' || text.length > LABEL_MAX)
        problems[`${at}.${key}`] = `must be a label of 1 to ${LABEL_MAX} characters`;
  });
  return scale.length;
}

/** Field problems of a matrix definition (`{}` when it is valid). */
export function riskMatrixProblems(matrix: RiskMatrix): Record<string, string> {
  const problems: Record<string, string> = {};
  const impacts = scaleProblems(matrix.impact, 'impact', problems);
  const likelihoods = scaleProblems(matrix.likelihood, 'likelihood', problems);
  const appetite = matrix.appetite as RiskAppetite | undefined;
  if (typeof appetite !== 'object' || appetite === null) {
    problems.appetite = 'must be { maxAcceptedScore, alwaysTreatFromImpact }';
    return problems;
  }
  const { maxAcceptedScore, alwaysTreatFromImpact } = appetite;
  if (!Number.isInteger(maxAcceptedScore) || maxAcceptedScore < 1 || maxAcceptedScore >= impacts * likelihoods)
    problems['appetite.maxAcceptedScore'] =
      `must be a whole number from 1 to ${Math.max(1, impacts * likelihoods - 1)}`;
  if (
    alwaysTreatFromImpact !== null &&
    (!Number.isInteger(alwaysTreatFromImpact) || alwaysTreatFromImpact < 1 || alwaysTreatFromImpact > impacts)
  )
    problems['appetite.alwaysTreatFromImpact'] = `must be null or an impact level from 1 to ${impacts}`;
  return problems;
}

/** Field problems of an assessment on this matrix (`{}` when it fits). */
export function riskAssessmentProblems(matrix: RiskMatrix, assessment: RiskAssessment): Record<string, string> {
  const problems: Record<string, string> = {};
  const check = (value: unknown, field: 'impact' | 'likelihood'): void => {
    const levels = matrix[field].length;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > levels)
      problems[field] = `must be a level from 1 to ${levels}`;
  };
  check(assessment.impact, 'impact');
  check(assessment.likelihood, 'likelihood');
  return problems;
}

/** Where an assessment lies on the matrix. Throws VALIDATION_FAILED (with `fields`) when it does not fit. */
export function placeRisk(matrix: RiskMatrix, assessment: RiskAssessment): RiskPlacement {
  const problems = riskAssessmentProblems(matrix, assessment);
  if (Object.keys(problems).length > 0)
    throw new DomainError(
      'VALIDATION_FAILED',
      'Die Bewertung passt nicht zur Risikomatrix / The assessment does not fit the risk matrix',
      { fields: problems },
    );
  const { impact, likelihood } = assessment;
  const score = impact * likelihood;
  const { maxAcceptedScore, alwaysTreatFromImpact } = matrix.appetite;
  const damagePotential = alwaysTreatFromImpact !== null && impact >= alwaysTreatFromImpact;
  return {
    impact,
    likelihood,
    score,
    impactLabel: matrix.impact[impact - 1]!,
    likelihoodLabel: matrix.likelihood[likelihood - 1]!,
    damagePotential,
    aboveAppetite: damagePotential || score > maxAcceptedScore,
  };
}

/** Whether the assessment lies above management's appetite line (throws like `placeRisk`). */
export function isAboveAppetite(matrix: RiskMatrix, assessment: RiskAssessment): boolean {
  return placeRisk(matrix, assessment).aboveAppetite;
}

/** Every cell of the matrix, impact descending then likelihood ascending (the usual drawing order). */
export function riskMatrixCells(matrix: RiskMatrix): readonly RiskPlacement[] {
  const cells: RiskPlacement[] = [];
  for (let impact = matrix.impact.length; impact >= 1; impact -= 1)
    for (let likelihood = 1; likelihood <= matrix.likelihood.length; likelihood += 1)
      cells.push(placeRisk(matrix, { impact, likelihood }));
  return cells;
}
