import type { Question, Section } from './questionnaire.events.js';

/**
 * Which questions apply when. Structural types, so the `questionnaires` read model document fits
 * without libs/domain depending on the projections library.
 */
export interface VersionValidity {
  readonly version: number;
  /** Local date (Europe/Berlin) from which new reviews use this version. */
  readonly validFrom: string;
}

export interface PublishedVersionLike extends VersionValidity {
  readonly sections: readonly Section[];
}

export interface RegionalAdditionLike {
  readonly additionId: string;
  readonly region: string;
  /** Local dates, inclusive. */
  readonly validFrom: string;
  readonly validTo: string;
  readonly questions: readonly Question[];
}

export interface QuestionnaireLike {
  readonly versions: readonly PublishedVersionLike[];
  readonly regionalAdditions: readonly RegionalAdditionLike[];
}

/**
 * The version a new review uses on `date` (003:70 "in der jeweils geltenden Fassung"): the newest
 * version whose validFrom is on or before `date`. A version published for a later date is not yet in
 * force; null when none is.
 */
export function versionInForce<V extends VersionValidity>(versions: readonly V[], date: string): V | null {
  let found: V | null = null;
  for (const candidate of versions) {
    if (candidate.validFrom > date) continue;
    if (found === null || candidate.version > found.version) found = candidate;
  }
  return found;
}

export interface RegionalQuestion extends Question {
  readonly additionId: string;
  readonly region: string;
}

export interface QuestionsInForce {
  readonly version: number;
  readonly validFrom: string;
  /** The pinned version's sections, exactly as published. */
  readonly sections: readonly Section[];
  /** Regional extra questions valid on the date (003:62, 101), beside the version, never inside it. */
  readonly regionalQuestions: readonly RegionalQuestion[];
}

/**
 * The pinned `version`'s questions plus the regional additions valid on `date` (inclusive period), of
 * `region` or, with region null, of every region that added to this questionnaire. A regional question
 * whose id a published question already uses is left out: the published version wins (the same rule
 * as the review's question list). Null when the version does not exist.
 */
export function questionsFor(
  questionnaire: QuestionnaireLike,
  version: number,
  region: string | null,
  date: string,
): QuestionsInForce | null {
  const pinned = questionnaire.versions.find((candidate) => candidate.version === version);
  if (!pinned) return null;
  const ids = new Set(pinned.sections.flatMap((section) => section.questions.map((question) => question.id)));
  const regionalQuestions: RegionalQuestion[] = [];
  for (const addition of questionnaire.regionalAdditions) {
    if (region !== null && addition.region !== region) continue;
    if (date < addition.validFrom || date > addition.validTo) continue;
    for (const question of addition.questions) {
      if (ids.has(question.id)) continue;
      ids.add(question.id);
      regionalQuestions.push({ ...question, additionId: addition.additionId, region: addition.region });
    }
  }
  return { version: pinned.version, validFrom: pinned.validFrom, sections: pinned.sections, regionalQuestions };
}
