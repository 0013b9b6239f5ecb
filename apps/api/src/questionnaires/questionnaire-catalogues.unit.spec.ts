import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type DecisionContext, questionnaireDecider } from '@pruefpfad/domain';
import {
  InvalidCatalogueError,
  findCataloguesDirectory,
  loadCatalogues,
  parseCatalogue,
  summarise,
} from './questionnaire-catalogues.js';

const context: DecisionContext = {
  now: '2026-03-02T08:00:00.000Z',
  today: '2026-03-02',
  actor: { userId: 'gf', role: 'management' },
  tenant: 'jc-a',
};

/** A question's source cites seed lines (`003:62`, `004:38–42`) or the domain brief. */
const SOURCE = /^(\d{3}:\d+(–\d+)?|domain\.md( \([^)]*\))?)(; (\d{3}:\d+(–\d+)?|domain\.md( \([^)]*\))?))*$/;

describe('shipped questionnaire catalogues (catalogues/*.json)', () => {
  const directory = findCataloguesDirectory();
  const files = fs.readdirSync(directory).filter((file) => file.endsWith('.json'));
  const catalogues = loadCatalogues(directory);

  it('ships the course-of-case review and the Leistung checklist for running cases', () => {
    expect(files).toEqual(
      expect.arrayContaining(['leistung-laufende-faelle.json', 'verlaufsbezogene-kundenbetrachtung.json']),
    );
    expect(catalogues).toHaveLength(files.length);
    expect(catalogues.map((catalogue) => [catalogue.catalogue, catalogue.process])).toEqual(
      expect.arrayContaining([
        ['leistung-laufende-faelle', 'leistung-laufend'],
        ['verlaufsbezogene-kundenbetrachtung', 'allgemeine-vermittlung'],
      ]),
    );
  });

  it.each(files)('%s passes the publish rules and publishes as version 1 unchanged', (file) => {
    const catalogue = parseCatalogue(JSON.parse(fs.readFileSync(path.join(directory, file), 'utf8')), file);
    const events = questionnaireDecider.decide(
      {
        type: 'PublishQuestionnaire',
        questionnaireId: 'q',
        title: catalogue.title,
        process: catalogue.process,
        source: catalogue.source,
        sections: catalogue.sections,
        validFrom: null,
        reason: catalogue.reason,
      },
      questionnaireDecider.initialState(),
      context,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ data: { version: 1, sections: catalogue.sections } });
  });

  it.each(files)('%s cites a source for every question and asks for a mandatory written finding', (file) => {
    const catalogue = catalogues.find((candidate) => `${candidate.catalogue}.json` === file)!;
    const questions = catalogue.sections.flatMap((section) => section.questions);
    for (const question of questions)
      expect({ id: question.id, source: question.source }).toEqual({
        id: question.id,
        source: expect.stringMatching(SOURCE),
      });
    expect(questions.some((question) => question.mandatory && question.answerType === 'text')).toBe(true);
    expect(summarise(catalogue)).toMatchObject({ questions: questions.length, sections: catalogue.sections.length });
  });

  it('the federal review ends in the goal-directed assessment and names the Kooperationsplan under § 15 SGB II', () => {
    const vkb = catalogues.find((catalogue) => catalogue.catalogue === 'verlaufsbezogene-kundenbetrachtung')!;
    const questions = vkb.sections.flatMap((section) => section.questions);
    expect(questions.filter((question) => question.answerType === 'goal-directed')).toHaveLength(1);
    const norms = new Set(questions.map((question) => question.legalNorm));
    expect([...norms].filter((norm) => norm !== null).sort()).toEqual([
      '§ 14 SGB II',
      '§ 15 SGB II',
      '§ 16 SGB II',
      '§ 16a SGB II',
    ]);
    expect(questions.find((question) => question.legalNorm === '§ 15 SGB II')!.text).toContain('Kooperationsplan');
  });

  describe('a broken catalogue is refused with the offending fields', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-'));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    const valid = () =>
      JSON.parse(fs.readFileSync(path.join(directory, 'leistung-laufende-faelle.json'), 'utf8')) as {
        sections: { questions: Record<string, unknown>[] }[];
      } & Record<string, unknown>;

    function problemsOf(json: unknown, file = 'leistung-laufende-faelle.json'): string[] {
      try {
        parseCatalogue(json, file);
      } catch (error) {
        if (error instanceof InvalidCatalogueError) return Object.keys(error.problems).sort();
        throw error;
      }
      return [];
    }

    it('duplicate ids, missing sources, bad answer types, a name that is not the file’s, unknown fields', () => {
      const broken = valid();
      broken.sections[0]!.questions[1]!.id = broken.sections[0]!.questions[0]!.id;
      delete broken.sections[1]!.questions[0]!.source;
      broken.sections[1]!.questions[1]!.answerType = 'scale';
      broken.colour = 'red';
      expect(problemsOf(broken)).toEqual([
        'colour',
        'sections.0.questions.1.id',
        'sections.1.questions.0.source',
        'sections.1.questions.1.answerType',
      ]);
      expect(problemsOf(valid(), 'other-name.json')).toEqual(['catalogue']);
      expect(problemsOf(valid())).toEqual([]);
    });

    it('loadCatalogues fails on a broken file in the folder', () => {
      fs.writeFileSync(path.join(dir, 'x.json'), JSON.stringify({ catalogue: 'x', sections: [] }));
      expect(() => loadCatalogues(dir)).toThrow(InvalidCatalogueError);
    });
  });
});
