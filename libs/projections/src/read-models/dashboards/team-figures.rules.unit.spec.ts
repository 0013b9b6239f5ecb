import { codeVersionOf, DEFAULT_READ_MODEL_RULES, ruleDrivenVersion } from '@pruefpfad/application';
import { foldInMemory, recordedEvent } from '../../testing/fold-in-memory.js';
import type { ReviewFactDoc } from './team-figures.doc.js';
import {
  TEAM_FIGURES_CODE_VERSION,
  teamFiguresProjection,
  teamFiguresProjectionFor,
} from './team-figures.projection.js';
import { sumCells, teamMonthCells } from './team-figures.js';

/** The configurable serious-defect rule as the team-figures read model applies it (see `rules-config.ts`). */
describe('team figures under the serious-defect rule', () => {
  const rule = { financialLoss: true, legalNorms: ['§ 15 SGB II'] };

  it('derives the projection version from the values it applies, not from the label', () => {
    const code = TEAM_FIGURES_CODE_VERSION;
    const base = ruleDrivenVersion(code, DEFAULT_READ_MODEL_RULES.dashboard);
    expect(codeVersionOf(base)).toBe(code);
    expect(ruleDrivenVersion(code, { ...DEFAULT_READ_MODEL_RULES.dashboard })).toBe(base);
    expect(ruleDrivenVersion(code, { seriousDefect: rule })).not.toBe(base);
    expect(ruleDrivenVersion(code + 1, DEFAULT_READ_MODEL_RULES.dashboard)).not.toBe(base);
    expect(teamFiguresProjection.version).toBe(base);
    expect(teamFiguresProjectionFor({ seriousDefect: rule }).version).toBe(
      ruleDrivenVersion(code, { seriousDefect: rule }),
    );
    expect(() => ruleDrivenVersion(0, {})).toThrow(/codeVersion/);
  });

  it('team-figures counts a minor defect with a financial loss as serious under the rule, replayed twice', async () => {
    const events = [
      recordedEvent({
        type: 'CaseSampled',
        streamId: 'review-r1',
        position: 1,
        data: {
          reviewId: 'r1',
          sampleId: 's',
          programmeId: 'p1',
          areaId: 'mi',
          teamId: 't1',
          month: '2026-01',
          casePseudonym: 'x',
          caseRef: { $sealed: 1, kid: 'k', iv: 'i', ct: 'c', tag: 't' },
          customerGroup: 'u25',
          questionnaireId: 'q',
          questionnaireVersion: 1,
          deadline: '2026-01-31',
          origin: { kind: 'draw', replaces: null },
        },
      }),
      ...(['d1', 'd2'] as const).map((defectId, index) =>
        recordedEvent({
          type: 'DefectRecorded',
          streamId: 'review-r1',
          position: 2 + index,
          data: {
            reviewId: 'r1',
            defectId,
            questionId: 'q1',
            category: 'Berechnung',
            severity: 'minor',
            legalNorm: null,
            description: { $sealed: 1, kid: 'k', iv: 'i', ct: 'c', tag: 't' },
            financialLoss: defectId === 'd1',
            asDeputy: false,
          },
        }),
      ),
    ];
    const figures = async (definition: typeof teamFiguresProjection) => {
      const collection = foldInMemory(definition);
      await collection.feed(events);
      await collection.feed(events);
      const reviews = collection.sortedDocs().filter((doc) => doc['kind'] === 'review') as ReviewFactDoc[];
      return sumCells(
        teamMonthCells({
          tenant: 'jc-a',
          teams: [{ teamId: 't1', areaId: 'mi', process: null }],
          months: ['2026-01'],
          programmes: [],
          reviews,
          today: '2026-01-10',
        }),
      );
    };
    expect(await figures(teamFiguresProjection)).toMatchObject({
      seriousDefects: 0,
      defects: { Berechnung: { minor: 2, serious: 0 } },
    });
    expect(await figures(teamFiguresProjectionFor({ seriousDefect: rule }))).toMatchObject({
      seriousDefects: 1,
      defects: { Berechnung: { minor: 1, serious: 1 } },
    });
  });
});
