import type { Envelope } from '../../libs/privacy/src/envelope.js';
import type { Answer, ReviewCommand, Severity } from './review.decider.js';

/**
 * The commands of one review, in plain text, as a reviewer's client would send them: one sampled case,
 * answers to the questionnaire, a few defects, completion. `sealReviewCommand` encrypts the personal
 * fields under the review's own data key (`review:<id>`) the way the API controllers do before a
 * command reaches the bus.
 */
export const EVENTS_PER_REVIEW = 30;
const ANSWERS_PER_REVIEW = 25;
const DEFECTS_PER_REVIEW = 3;

export type PlainReviewCommand =
  | {
      readonly type: 'SampleCase';
      readonly reviewId: string;
      readonly programmeId: string;
      readonly unitId: string;
      readonly sampleMonth: string;
      readonly caseReference: string;
    }
  | { readonly type: 'RecordAnswer'; readonly questionId: string; readonly answer: Answer; readonly comment: string }
  | {
      readonly type: 'RecordDefect';
      readonly defectId: string;
      readonly questionId: string;
      readonly severity: Severity;
      readonly description: string;
    }
  | { readonly type: 'CompleteReview'; readonly summary: string };

const COMMENT_WORDS = [
  'Eingliederungsvereinbarung',
  'Bewerbungsbemühungen',
  'Nachweis',
  'fehlt',
  'liegt',
  'vor',
  'Termin',
  'wurde',
  'dokumentiert',
  'Gesprächsvermerk',
  'unvollständig',
  'Kundin',
  'Kunde',
  'Vermittlungsvorschlag',
  'Rechtsfolgenbelehrung',
  'korrekt',
  'nicht',
  'nachvollziehbar',
  'Profiling',
  'Potenzialanalyse',
  'aktualisiert',
  'Frist',
  'überschritten',
  'gemäß',
  '§ 15 SGB II',
];

/** Deterministic, so two runs write the same bytes (mulberry32). */
export class SeededRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(below: number): number {
    return Math.floor(this.next() * below);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

function freeText(random: SeededRandom, minChars: number, maxChars: number): string {
  const target = minChars + random.int(maxChars - minChars + 1);
  let text = '';
  while (text.length < target) text += (text === '' ? '' : ' ') + random.pick(COMMENT_WORDS);
  return `${text.slice(0, target)}.`;
}

/** The review's commands; `count` below 30 truncates the script (an unfinished review). */
export function reviewScript(
  reviewId: string,
  seed: number,
  newId: () => string,
  count = EVENTS_PER_REVIEW,
): PlainReviewCommand[] {
  const random = new SeededRandom(seed);
  const commands: PlainReviewCommand[] = [
    {
      type: 'SampleCase',
      reviewId,
      programmeId: 'programme-0190a1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b',
      unitId: `team-${String(1 + random.int(40)).padStart(3, '0')}`,
      sampleMonth: '2025-03',
      caseReference: `BG ${String(10000 + random.int(89999))}//${String(1000000 + random.int(8999999))} · Fall ${String(random.int(99999)).padStart(5, '0')}`,
    },
  ];
  const defectsAfter = new Set<number>();
  while (defectsAfter.size < DEFECTS_PER_REVIEW) defectsAfter.add(3 + random.int(ANSWERS_PER_REVIEW - 3));
  for (let question = 1; question <= ANSWERS_PER_REVIEW; question += 1) {
    const questionId = `q-${String(question).padStart(2, '0')}`;
    commands.push({
      type: 'RecordAnswer',
      questionId,
      answer: random.pick<Answer>(['yes', 'yes', 'yes', 'no', 'partly', 'not_applicable']),
      comment: freeText(random, 8, 64),
    });
    if (defectsAfter.has(question))
      commands.push({
        type: 'RecordDefect',
        defectId: newId(),
        questionId,
        severity: random.pick<Severity>(['minor', 'minor', 'major', 'critical']),
        description: freeText(random, 40, 160),
      });
  }
  commands.push({ type: 'CompleteReview', summary: freeText(random, 80, 300) });
  return commands.slice(0, count);
}

export function reviewKeyId(reviewId: string): string {
  return `review:${reviewId}`;
}

export async function sealReviewCommand(
  envelope: Envelope,
  reviewId: string,
  plain: PlainReviewCommand,
): Promise<ReviewCommand> {
  const keyId = reviewKeyId(reviewId);
  switch (plain.type) {
    case 'SampleCase':
      return { ...plain, caseReference: await envelope.seal(keyId, plain.caseReference) };
    case 'RecordAnswer':
      return { ...plain, comment: await envelope.seal(keyId, plain.comment) };
    case 'RecordDefect':
      return { ...plain, description: await envelope.seal(keyId, plain.description) };
    case 'CompleteReview':
      return { ...plain, summary: await envelope.seal(keyId, plain.summary) };
    default: {
      const unreachable: never = plain;
      return unreachable;
    }
  }
}
