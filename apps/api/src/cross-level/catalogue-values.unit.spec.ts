import { catalogueDefect, OTHER_CATEGORY } from './catalogue-values.js';

describe('catalogue values in cross-level copies', () => {
  const questions = new Map([['q1', { category: 'Dokumentation', legalNorm: '§ 15 SGB II' }]]);
  const defect = { questionId: 'q1', category: 'Dokumentation', legalNorm: '§ 15 SGB II', severity: 'minor' };

  it('keeps the category and legal norm the catalogue names for the question', () => {
    expect(catalogueDefect(defect, questions)).toEqual(defect);
  });

  it('replaces typed free text, which may name someone, and values of unknown questions', () => {
    expect(catalogueDefect({ ...defect, category: 'Frau Muster, Akte fehlt', legalNorm: 'Herr X' }, questions)).toEqual(
      {
        ...defect,
        category: OTHER_CATEGORY,
        legalNorm: null,
      },
    );
    expect(catalogueDefect({ ...defect, questionId: 'ad-hoc' }, questions)).toEqual({
      ...defect,
      questionId: 'ad-hoc',
      category: OTHER_CATEGORY,
      legalNorm: null,
    });
  });
});
