import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigurationError } from './config.js';
import { countedSeverity, DEFAULT_READ_MODEL_RULES, loadRulesConfig, parseRulesConfig } from './rules-config.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function rulesFile(name: string, content: string): string {
  const file = path.join(root, name);
  fs.writeFileSync(file, content);
  return file;
}

function problemsOf(action: () => unknown): readonly string[] {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).problems;
  }
  throw new Error('expected a ConfigurationError');
}

describe('loadRulesConfig', () => {
  it('uses the defaults when no file is named', () => {
    expect(loadRulesConfig({})).toBe(DEFAULT_READ_MODEL_RULES);
    expect(loadRulesConfig({ PRUEFPFAD_RULES_FILE: '  ' })).toBe(DEFAULT_READ_MODEL_RULES);
  });

  it('reads a file relative to the working directory; what it leaves out keeps its default', () => {
    rulesFile(
      'partial.json',
      JSON.stringify({
        version: '2026.2',
        dashboard: { seriousDefect: { legalNorms: ['§ 15  SGB II', '§ 15 SGB II', '§ 31 SGB II'] } },
      }),
    );
    const rules = loadRulesConfig({ PRUEFPFAD_RULES_FILE: 'partial.json' }, root);
    expect(rules).toEqual({
      version: '2026.2',
      dashboard: { seriousDefect: { financialLoss: false, legalNorms: ['§ 15 SGB II', '§ 31 SGB II'] } },
      trends: DEFAULT_READ_MODEL_RULES.trends,
      legalQuota: DEFAULT_READ_MODEL_RULES.legalQuota,
      risks: DEFAULT_READ_MODEL_RULES.risks,
    });
  });

  it("reads the risk register's reassessment interval: whole months from 1 to 12, default 3", () => {
    expect(DEFAULT_READ_MODEL_RULES.risks).toEqual({ reassessMonths: 3 });
    expect(parseRulesConfig({ version: 'q' }).risks).toEqual({ reassessMonths: 3 });
    expect(parseRulesConfig({ version: 'q', risks: { reassessMonths: 1 } }).risks).toEqual({ reassessMonths: 1 });
    expect(parseRulesConfig({ version: 'q', risks: { reassessMonths: 12 } }).risks).toEqual({ reassessMonths: 12 });
    for (const reassessMonths of [0, 13, 2.5, '3'])
      expect(
        problemsOf(() => parseRulesConfig({ version: 'q', risks: { reassessMonths } })).map(
          (problem) => problem.split(': ')[1],
        ),
      ).toEqual(['risks.reassessMonths']);
    expect(
      problemsOf(() => parseRulesConfig({ version: 'q', risks: { reassessMonths: 3, every: 'quarter' } })).map(
        (problem) => problem.split(': ')[1],
      ),
    ).toEqual(['risks.every']);
  });

  it("reads the legal department's quota targets: percent with at most two decimals, 0 to 100", () => {
    expect(DEFAULT_READ_MODEL_RULES.legalQuota).toEqual({
      avoidableAmongUpheld: { targetPercent: 30 },
      avoidableAmongSettled: { targetPercent: 10 },
    });
    const rules = parseRulesConfig({
      version: 'q',
      legalQuota: { avoidableAmongUpheld: { targetPercent: 27.35 }, avoidableAmongSettled: { targetPercent: 0 } },
    });
    expect(rules.legalQuota).toEqual({
      avoidableAmongUpheld: { targetPercent: 27.35 },
      avoidableAmongSettled: { targetPercent: 0 },
    });
    const problems = problemsOf(() =>
      parseRulesConfig({
        version: 'q',
        legalQuota: {
          avoidableAmongUpheld: { targetPercent: 100.01 },
          avoidableAmongSettled: { targetPercent: 10.005, extra: 1 },
        },
      }),
    );
    expect(problems.map((problem) => problem.split(': ')[1])).toEqual([
      'legalQuota.avoidableAmongUpheld.targetPercent',
      'legalQuota.avoidableAmongSettled.extra',
      'legalQuota.avoidableAmongSettled.targetPercent',
    ]);
    expect(
      parseRulesConfig({ version: 'q', legalQuota: { avoidableAmongUpheld: { targetPercent: 100 } } }).legalQuota,
    ).toMatchObject({ avoidableAmongUpheld: { targetPercent: 100 } });
  });

  it('reports every problem of the file at once, naming the variable and the field', () => {
    const file = rulesFile(
      'bad.json',
      JSON.stringify({
        dashboard: { seriousDefect: { financialLoss: 'yes', legalNorms: [''] }, colour: 'red' },
        trends: { judging: { method: 'gut feeling', confidence: 1.5 } },
        extra: 1,
      }),
    );
    const problems = problemsOf(() => loadRulesConfig({ PRUEFPFAD_RULES_FILE: file }));
    expect(problems.every((problem) => problem.startsWith(`PRUEFPFAD_RULES_FILE="${file}"`))).toBe(true);
    expect(problems.map((problem) => problem.split(': ')[1])).toEqual([
      'extra',
      'version',
      'dashboard.colour',
      'dashboard.seriousDefect.financialLoss',
      'dashboard.seriousDefect.legalNorms',
      'trends.judging.method',
      'trends.judging.confidence',
    ]);
  });

  it('judges error rates by the exact one-sided bound by default; Wilson stays a choice, under its old name too', () => {
    expect(DEFAULT_READ_MODEL_RULES.trends.judging).toEqual({ method: 'clopper-pearson', confidence: 0.95 });
    const judging = (method: string) =>
      parseRulesConfig({ version: 'x', trends: { judging: { method, confidence: 0.9 } } }).trends.judging;
    expect(judging('wilson')).toEqual({ method: 'wilson', confidence: 0.9 });
    // A rules file written before 2026.2 named the Wilson rule `upper-confidence-bound`: it keeps its meaning.
    expect(judging('upper-confidence-bound')).toEqual({ method: 'wilson', confidence: 0.9 });
    expect(judging('point-estimate').method).toBe('point-estimate');
    expect(judging('clopper-pearson').method).toBe('clopper-pearson');
  });

  it('refuses a missing file and a file that is not JSON with a clear message', () => {
    expect(problemsOf(() => loadRulesConfig({ PRUEFPFAD_RULES_FILE: path.join(root, 'none.json') }))[0]).toMatch(
      /Datei nicht lesbar \/ file not readable/,
    );
    const broken = rulesFile('broken.json', '{ "version": ');
    expect(problemsOf(() => loadRulesConfig({ PRUEFPFAD_RULES_FILE: broken }))[0]).toMatch(
      /kein gültiges JSON \/ not valid JSON/,
    );
    expect(problemsOf(() => parseRulesConfig([1, 2]))[0]).toMatch(/expected a JSON object/);
  });
});

describe('rules applied by read models', () => {
  const rule = { financialLoss: true, legalNorms: ['§ 15 SGB II'] };

  it('counts a defect as serious when recorded so, or when the rule says so; never milder', () => {
    const defect = { severity: 'minor', financialLoss: false, legalNorm: null } as const;
    expect(countedSeverity(rule, defect)).toBe('minor');
    expect(countedSeverity(rule, { ...defect, financialLoss: true })).toBe('serious');
    expect(countedSeverity(rule, { ...defect, legalNorm: '§ 15\u00a0SGB II' })).toBe('serious');
    expect(countedSeverity(DEFAULT_READ_MODEL_RULES.dashboard.seriousDefect, { ...defect, financialLoss: true })).toBe(
      'minor',
    );
    expect(countedSeverity({ financialLoss: false, legalNorms: [] }, { ...defect, severity: 'serious' })).toBe(
      'serious',
    );
  });
});
