import { DomainError } from '../shared/domain-error.js';
import {
  DEFAULT_RISK_MATRIX,
  isAboveAppetite,
  placeRisk,
  riskAssessmentProblems,
  riskMatrixCells,
  riskMatrixProblems,
  type RiskMatrix,
} from './risk-matrix.js';

describe('the risk matrix', () => {
  it('is 4 × 4 by default with German labels and English beside them', () => {
    expect(DEFAULT_RISK_MATRIX.impact.map((level) => level.de)).toEqual(['gering', 'mittel', 'hoch', 'sehr hoch']);
    expect(DEFAULT_RISK_MATRIX.likelihood.map((level) => level.en)).toEqual([
      'unlikely',
      'possible',
      'likely',
      'very likely',
    ]);
    expect(riskMatrixProblems(DEFAULT_RISK_MATRIX)).toEqual({});
  });

  it('places an assessment with its score and labels', () => {
    expect(placeRisk(DEFAULT_RISK_MATRIX, { impact: 3, likelihood: 2 })).toEqual({
      impact: 3,
      likelihood: 2,
      score: 6,
      impactLabel: { level: 3, de: 'hoch', en: 'high' },
      likelihoodLabel: { level: 2, de: 'möglich', en: 'possible' },
      damagePotential: false,
      aboveAppetite: true,
    });
  });

  it('accepts up to the appetite score and not one above', () => {
    // default appetite 4: scores 4 and 3 lie within, 6 above
    expect(isAboveAppetite(DEFAULT_RISK_MATRIX, { impact: 2, likelihood: 2 })).toBe(false);
    expect(isAboveAppetite(DEFAULT_RISK_MATRIX, { impact: 1, likelihood: 4 })).toBe(false);
    expect(isAboveAppetite(DEFAULT_RISK_MATRIX, { impact: 3, likelihood: 1 })).toBe(false);
    expect(isAboveAppetite(DEFAULT_RISK_MATRIX, { impact: 2, likelihood: 3 })).toBe(true);
    const five: RiskMatrix = { ...DEFAULT_RISK_MATRIX, appetite: { maxAcceptedScore: 5, alwaysTreatFromImpact: null } };
    expect(isAboveAppetite(five, { impact: 1, likelihood: 4 })).toBe(false);
    expect(isAboveAppetite(five, { impact: 2, likelihood: 3 })).toBe(true);
  });

  it('treats damage potentials whatever their likelihood (001:117)', () => {
    const lowest = placeRisk(DEFAULT_RISK_MATRIX, { impact: 4, likelihood: 1 });
    expect(lowest).toMatchObject({ score: 4, damagePotential: true, aboveAppetite: true });
    expect(placeRisk(DEFAULT_RISK_MATRIX, { impact: 3, likelihood: 1 }).damagePotential).toBe(false);
    const none: RiskMatrix = { ...DEFAULT_RISK_MATRIX, appetite: { maxAcceptedScore: 4, alwaysTreatFromImpact: null } };
    expect(placeRisk(none, { impact: 4, likelihood: 1 })).toMatchObject({
      damagePotential: false,
      aboveAppetite: false,
    });
  });

  it('refuses assessments off the matrix with the offending fields', () => {
    expect(riskAssessmentProblems(DEFAULT_RISK_MATRIX, { impact: 0, likelihood: 5 })).toEqual({
      impact: 'must be a level from 1 to 4',
      likelihood: 'must be a level from 1 to 4',
    });
    expect(riskAssessmentProblems(DEFAULT_RISK_MATRIX, { impact: 4, likelihood: 1 })).toEqual({});
    expect(riskAssessmentProblems(DEFAULT_RISK_MATRIX, { impact: 2.5, likelihood: 1 })).toHaveProperty('impact');
    let error: unknown;
    try {
      placeRisk(DEFAULT_RISK_MATRIX, { impact: 5, likelihood: 1 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('VALIDATION_FAILED');
    expect((error as DomainError).details).toEqual({ fields: { impact: 'must be a level from 1 to 4' } });
  });

  it('validates a configured matrix: size, levels, labels, appetite', () => {
    const three: RiskMatrix = {
      impact: DEFAULT_RISK_MATRIX.impact.slice(0, 3),
      likelihood: DEFAULT_RISK_MATRIX.likelihood.slice(0, 3),
      appetite: { maxAcceptedScore: 8, alwaysTreatFromImpact: 3 },
    };
    expect(riskMatrixProblems(three)).toEqual({});
    expect(riskMatrixProblems({ ...three, appetite: { maxAcceptedScore: 9, alwaysTreatFromImpact: 4 } })).toEqual({
      'appetite.maxAcceptedScore': 'must be a whole number from 1 to 8',
      'appetite.alwaysTreatFromImpact': 'must be null or an impact level from 1 to 3',
    });
    expect(
      riskMatrixProblems({
        impact: [{ level: 1, de: 'x', en: 'x' }],
        likelihood: [
          { level: 1, de: 'a', en: 'a' },
          { level: 3, de: '', en: 'b' },
        ],
        appetite: { maxAcceptedScore: 1, alwaysTreatFromImpact: null },
      }),
    ).toEqual({
      impact: 'must have 2 to 10 levels',
      'likelihood[1].level': 'must be 2 (ascending from 1, no gaps)',
      'likelihood[1].de': 'must be a label of 1 to 60 characters',
    });
  });

  it('lists every cell, highest impact first', () => {
    const cells = riskMatrixCells(DEFAULT_RISK_MATRIX);
    expect(cells).toHaveLength(16);
    expect(cells[0]).toMatchObject({ impact: 4, likelihood: 1 });
    expect(cells[15]).toMatchObject({ impact: 1, likelihood: 4 });
    expect(cells.filter((cell) => cell.aboveAppetite)).toHaveLength(4 + 3 + 2); // the impact-4 row; 6, 9, 12; 6, 8
  });
});
