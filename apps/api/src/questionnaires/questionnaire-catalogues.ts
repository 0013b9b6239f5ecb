import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Injectable } from '@nestjs/common';
import { type Problems, QUESTIONNAIRE_ID_PATTERN, type Section, validateSections } from '@pruefpfad/domain';

/**
 * The questionnaires shipped as data in the top-level `catalogues/` folder (one JSON file per catalogue,
 * named after it). A catalogue is published like any other body: same rules, same event.
 */
export interface QuestionnaireCatalogue {
  readonly catalogue: string;
  readonly title: string;
  readonly process: string;
  readonly source: string;
  readonly reason: string;
  /** What the catalogue is derived from and what had to be inferred (German). */
  readonly description: string;
  readonly sections: readonly Section[];
}

export interface CatalogueSummary {
  readonly catalogue: string;
  readonly title: string;
  readonly process: string;
  readonly source: string;
  readonly description: string;
  readonly sections: number;
  readonly questions: number;
  readonly mandatoryQuestions: number;
}

export class InvalidCatalogueError extends Error {
  constructor(
    readonly file: string,
    readonly problems: Problems,
  ) {
    super(
      `catalogue ${file} is invalid: ${Object.entries(problems)
        .map(([field, message]) => `${field}: ${message}`)
        .join('; ')}`,
    );
    this.name = 'InvalidCatalogueError';
  }
}

const TOP_LEVEL = ['catalogue', 'title', 'process', 'source', 'reason', 'description', 'sections'] as const;

/** Checks one parsed file against the publish rules (the domain's) plus what a shipped catalogue needs. */
export function parseCatalogue(json: unknown, file: string): QuestionnaireCatalogue {
  const problems: Problems = {};
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new InvalidCatalogueError(file, { '': 'must be a JSON object' });
  const record = json as Record<string, unknown>;
  for (const key of Object.keys(record))
    if (!(TOP_LEVEL as readonly string[]).includes(key)) problems[key] = 'unknown field';
  for (const key of TOP_LEVEL.filter((k) => k !== 'sections')) {
    const value = record[key];
    if (typeof value !== 'string' || value.trim() === '') problems[key] = 'must be a non-empty string';
  }
  const name = path.basename(file, '.json');
  if (record.catalogue !== name) problems.catalogue = `must equal the file name (${name})`;
  if (typeof record.process === 'string' && !QUESTIONNAIRE_ID_PATTERN.test(record.process))
    problems.process = 'lower-case letters, digits, . _ -';
  validateSections(record.sections, problems);
  // A shipped question says where it comes from (seed document and lines).
  if (Array.isArray(record.sections))
    (record.sections as { questions?: unknown }[]).forEach((section, s) => {
      if (!Array.isArray(section?.questions)) return;
      (section.questions as { source?: unknown }[]).forEach((question, q) => {
        if (typeof question?.source !== 'string' || question.source.trim() === '')
          problems[`sections.${s}.questions.${q}.source`] = 'a shipped question names its source (e.g. 003:62)';
      });
    });
  if (Object.keys(problems).length > 0) throw new InvalidCatalogueError(file, problems);
  return record as unknown as QuestionnaireCatalogue;
}

export function summarise(catalogue: QuestionnaireCatalogue): CatalogueSummary {
  const questions = catalogue.sections.flatMap((section) => section.questions);
  return {
    catalogue: catalogue.catalogue,
    title: catalogue.title,
    process: catalogue.process,
    source: catalogue.source,
    description: catalogue.description,
    sections: catalogue.sections.length,
    questions: questions.length,
    mandatoryQuestions: questions.filter((question) => question.mandatory).length,
  };
}

/**
 * The `catalogues/` folder next to package.json: found by walking up from this module, so the same code
 * works from the sources (tests) and from `dist/` (npm start), where tsc does not copy JSON data.
 */
export function findCataloguesDirectory(start: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let directory = start;
  for (;;) {
    const candidate = path.join(directory, 'catalogues');
    if (fs.existsSync(path.join(directory, 'package.json')) && fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error(`no catalogues/ folder above ${start}`);
    directory = parent;
  }
}

/** Reads and checks every `*.json` file of the folder, sorted by name. */
export function loadCatalogues(directory: string): QuestionnaireCatalogue[] {
  return fs
    .readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const full = path.join(directory, file);
      return parseCatalogue(JSON.parse(fs.readFileSync(full, 'utf8')) as unknown, full);
    });
}

/** Loaded once, on first use: a broken shipped file fails the catalogue routes loudly, not the whole app. */
@Injectable()
export class QuestionnaireCatalogues {
  private loaded: readonly QuestionnaireCatalogue[] | null = null;

  all(): readonly QuestionnaireCatalogue[] {
    this.loaded ??= loadCatalogues(findCataloguesDirectory());
    return this.loaded;
  }

  find(name: string): QuestionnaireCatalogue | null {
    return this.all().find((catalogue) => catalogue.catalogue === name) ?? null;
  }
}
