import type { Decider } from '../shared/decider.js';
import { DomainError, ruleViolation } from '../shared/domain-error.js';
import type { Sealed } from '../shared/sealed.js';
import {
  DRAW_ALGORITHM,
  drawTeam,
  rankEligible,
  replacementCase,
  supplementaryCases,
  type DrawRow,
  type RankedCase,
  type RankFunction,
} from './draw.js';
import { drawMonthVerdict } from './draw-calendar.js';
import type { DrawnCase, SampleDrawn, SamplingEvent } from './sampling.events.js';

/**
 * The month's sampling of one programme (stream `sampling-<programmeId>-<yyyy-mm>`): one `SampleDrawn`
 * per team, then supplementary draws and replacements. The application layer supplies what the pure
 * decider cannot make itself: the population rows, the seeds (CSPRNG), the keyed hash, fresh review ids.
 */
export interface TeamDrawRequest {
  readonly teamId: string;
  readonly sampleId: string;
  /** 256-bit seed from a CSPRNG, hex. */
  readonly seed: string;
  readonly rows: readonly DrawRow[];
  /** Pseudonyms drawn for the programme in the excluded months (any team; filtered to this team here). */
  readonly recentlyDrawn: readonly string[];
  readonly lastCovered: Readonly<Record<string, string>>;
  /** At least `n` fresh review ids, used in rank order of the chosen cases. */
  readonly reviewIds: readonly string[];
}

export type SamplingCommand =
  | {
      readonly type: 'DrawSamples';
      readonly programmeId: string;
      readonly month: string;
      readonly areaId: string;
      readonly populationId: string;
      readonly populationFingerprint: string;
      readonly n: number;
      readonly section16aIncluded: boolean;
      readonly questionnaireId: string;
      readonly questionnaireVersion: number;
      readonly deadline: string;
      readonly teams: readonly TeamDrawRequest[];
      readonly rank: RankFunction;
      /** Days before a month starts from which it may be drawn (configuration). */
      readonly leadDays: number;
      /** Required for a month already past (sealed under the month's sampling key); null otherwise. */
      readonly backdatedReason: Sealed | null;
      /** Last day the month's population references may be used (`populationReferencesKeptUntil`). */
      readonly referencesKeptUntil: string;
    }
  | {
      readonly type: 'DrawSupplementaryCases';
      readonly sampleId: string;
      readonly count: number;
      /** Sealed under the population's key; null when the caller gave a blank reason. */
      readonly reason: Sealed | null;
      /** The team's rows of the sample's population. */
      readonly rows: readonly DrawRow[];
      readonly reviewIds: readonly string[];
      readonly rank: RankFunction;
      readonly population: PopulationReferences;
    }
  | {
      readonly type: 'ReplaceCase';
      readonly sampleId: string;
      readonly reviewId: string;
      /** Sealed under the replaced review's key; null when the caller gave a blank reason. */
      readonly reason: Sealed | null;
      readonly rows: readonly DrawRow[];
      readonly replacementReviewId: string;
      readonly rank: RankFunction;
      readonly population: PopulationReferences;
    }
  | {
      readonly type: 'VoidSample';
      readonly sampleId: string;
      /** Sealed under the month's sampling key; null when the caller gave a blank reason. */
      readonly reason: Sealed | null;
      /** Reviews of the sample that have any record beyond their opening (read from their streams). */
      readonly startedReviewIds: readonly string[];
    };

/** Whether the sample's population can still open a case (its clear references are kept for a window). */
export interface PopulationReferences {
  /** Last local date on which they may be used. */
  readonly keptUntil: string;
  readonly destroyed: boolean;
}

export interface SampleState {
  readonly sampleId: string;
  readonly teamId: string;
  readonly drawn: SampleDrawn['data'];
  /** Every token the sample has taken (replaced ones included: they never come back). */
  readonly taken: readonly string[];
  readonly cases: Readonly<Record<string, { readonly customerGroup: string; readonly replaced: boolean }>>;
  readonly voided: boolean;
}

export interface SamplingState {
  readonly samples: Readonly<Record<string, SampleState>>;
  /** Team id → sample id: a second draw for a team and month is refused (unless the first was voided). */
  readonly teams: Readonly<Record<string, string>>;
}

const notFound = (sampleId: string): DomainError =>
  new DomainError('NOT_FOUND', 'Stichprobe nicht gefunden / Sample not found', { sampleId });

const toDrawn = (c: RankedCase, reviewId: string): DrawnCase => ({
  reviewId,
  token: c.token,
  customerGroup: c.customerGroup,
  rank: c.rank,
});

function takeIds(ids: readonly string[], count: number): readonly string[] {
  if (ids.length < count) throw new RangeError(`need ${count} fresh review ids, got ${ids.length}`);
  return ids.slice(0, count);
}

/** The domain never opens a sealed reason: the application seals only non-blank ones and passes null otherwise. */
function requireReason(reason: Sealed | null): Sealed {
  if (reason === null) throw ruleViolation('Eine Begründung ist erforderlich.', 'A reason is required.');
  return reason;
}

/** A voided sample takes no follow-up, and no case is opened from a population whose references are gone. */
function assertUsable(sample: SampleState, population: PopulationReferences, today: string): void {
  if (sample.voided)
    throw ruleViolation('Diese Stichprobe wurde aufgehoben.', 'This sample was voided.', { sampleId: sample.sampleId });
  if (population.destroyed || today > population.keptUntil)
    throw ruleViolation(
      `Die Fallnummern der Grundgesamtheit wurden nach Fristablauf (${population.keptUntil}) gelöscht; ` +
        'Ergänzungsstichproben und Ersatzfälle sind nicht mehr möglich.',
      `The population's case references were destroyed when their window ended (${population.keptUntil}); ` +
        'no supplementary draw or replacement is possible any more.',
      { keptUntil: population.keptUntil },
    );
}

function rankingOf(sample: SampleState, rows: readonly DrawRow[], rank: RankFunction) {
  return rankEligible(
    {
      rows,
      seed: sample.drawn.seed,
      recentlyDrawn: sample.drawn.inputs.recentlyDrawn,
      section16aIncluded: sample.drawn.inputs.section16aIncluded,
    },
    rank,
  );
}

function addCases(sample: SampleState, cases: readonly DrawnCase[]): SampleState {
  const added = Object.fromEntries(cases.map((c) => [c.reviewId, { customerGroup: c.customerGroup, replaced: false }]));
  return {
    ...sample,
    taken: [...sample.taken, ...cases.map((c) => c.token)],
    cases: { ...sample.cases, ...added },
  };
}

export const samplingDecider: Decider<SamplingCommand, SamplingState, SamplingEvent> = {
  initialState: () => ({ samples: {}, teams: {} }),

  evolve: (state, event) => {
    switch (event.type) {
      case 'SampleDrawn': {
        const sample: SampleState = addCases(
          {
            sampleId: event.data.sampleId,
            teamId: event.data.teamId,
            drawn: event.data,
            taken: [],
            cases: {},
            voided: false,
          },
          event.data.cases,
        );
        return {
          samples: { ...state.samples, [sample.sampleId]: sample },
          teams: { ...state.teams, [sample.teamId]: sample.sampleId },
        };
      }
      case 'SupplementaryCasesDrawn': {
        const sample = state.samples[event.data.sampleId];
        if (!sample) return state;
        return { ...state, samples: { ...state.samples, [sample.sampleId]: addCases(sample, event.data.cases) } };
      }
      case 'CaseReplaced': {
        const sample = state.samples[event.data.sampleId];
        const replaced = sample?.cases[event.data.replacedReviewId];
        if (!sample || !replaced) return state;
        const next = addCases(
          { ...sample, cases: { ...sample.cases, [event.data.replacedReviewId]: { ...replaced, replaced: true } } },
          [event.data.replacement],
        );
        return { ...state, samples: { ...state.samples, [sample.sampleId]: next } };
      }
      case 'SampleVoided': {
        const sample = state.samples[event.data.sampleId];
        if (!sample) return state;
        const { [sample.teamId]: _voided, ...teams } = state.teams;
        return { samples: { ...state.samples, [sample.sampleId]: { ...sample, voided: true } }, teams };
      }
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },

  decide: (command, state, context) => {
    switch (command.type) {
      case 'DrawSamples': {
        const again = command.teams.filter((team) => state.teams[team.teamId] !== undefined).map((t) => t.teamId);
        if (again.length > 0)
          throw new DomainError(
            'ALREADY_EXISTS',
            'Für dieses Team und diesen Monat wurde bereits gezogen; weitere Fälle nur als Ergänzungsstichprobe. / ' +
              'A sample was already drawn for this team and month; more cases only by a supplementary draw.',
            { teams: again },
          );
        if (command.teams.length === 0)
          throw ruleViolation('Kein Team zum Ziehen.', 'No team to draw for.', { month: command.month });
        const verdict = drawMonthVerdict(command.month, context.today, command.leadDays);
        if (verdict.kind === 'future')
          throw ruleViolation(
            `Für ${command.month} kann frühestens am ${verdict.earliest} gezogen werden.`,
            `${command.month} can be drawn on ${verdict.earliest} at the earliest.`,
            { month: command.month, earliest: verdict.earliest },
          );
        if (context.today > command.referencesKeptUntil)
          throw ruleViolation(
            `Für ${command.month} ist die Frist der Fallnummern am ${command.referencesKeptUntil} abgelaufen; ` +
              'aus diesem Monat kann nicht mehr gezogen werden.',
            `The window for ${command.month}'s case references ended on ${command.referencesKeptUntil}; ` +
              'that month can no longer be drawn.',
            { month: command.month, keptUntil: command.referencesKeptUntil },
          );
        if (verdict.kind === 'backdated' && command.backdatedReason === null)
          throw new DomainError(
            'VALIDATION_FAILED',
            `${command.month} ist vergangen: eine nachträgliche Ziehung braucht eine Begründung (backdatedReason). / ` +
              `${command.month} is past: a back-dated draw needs a reason (backdatedReason).`,
            { fields: { backdatedReason: 'Begründung erforderlich / reason required' } },
          );
        const backdated =
          verdict.kind === 'backdated' && command.backdatedReason !== null
            ? { drawnOn: context.today, reason: command.backdatedReason }
            : null;
        return command.teams.map((team): SamplingEvent => {
          const tokens = new Set(team.rows.map((row) => row.token));
          const groups = new Set(team.rows.map((row) => row.customerGroup));
          const inputs = {
            recentlyDrawn: [...new Set(team.recentlyDrawn.filter((p) => tokens.has(p)))].sort(),
            lastCovered: Object.fromEntries(
              Object.entries(team.lastCovered)
                .filter(([group]) => groups.has(group))
                .sort(([a], [b]) => (a < b ? -1 : 1)),
            ),
            section16aIncluded: command.section16aIncluded,
          };
          const draw = drawTeam({ rows: team.rows, seed: team.seed, n: command.n, ...inputs }, command.rank);
          const ids = takeIds(team.reviewIds, draw.chosen.length);
          return {
            type: 'SampleDrawn',
            data: {
              sampleId: team.sampleId,
              programmeId: command.programmeId,
              month: command.month,
              teamId: team.teamId,
              areaId: command.areaId,
              populationId: command.populationId,
              populationFingerprint: command.populationFingerprint,
              seed: team.seed,
              algorithm: DRAW_ALGORITHM,
              n: command.n,
              eligible: draw.eligible.length,
              excluded: draw.excluded,
              coverage: draw.coverage,
              inputs,
              cases: draw.chosen.map((c, index) => toDrawn(c, ids[index]!)),
              questionnaireId: command.questionnaireId,
              questionnaireVersion: command.questionnaireVersion,
              deadline: command.deadline,
              drawnByRole: context.actor.role,
              backdated,
            },
          };
        });
      }
      case 'DrawSupplementaryCases': {
        const sample = state.samples[command.sampleId];
        if (!sample) throw notFound(command.sampleId);
        assertUsable(sample, command.population, context.today);
        const reason = requireReason(command.reason);
        if (!Number.isInteger(command.count) || command.count < 1)
          throw new DomainError('VALIDATION_FAILED', 'Ungültige Anzahl / Invalid count', {
            fields: { count: 'mindestens 1 / at least 1' },
          });
        const next = supplementaryCases(
          rankingOf(sample, command.rows, command.rank),
          new Set(sample.taken),
          command.count,
        );
        if (next.length < command.count)
          throw ruleViolation(
            `Es sind nur noch ${next.length} geeignete Fälle übrig.`,
            `Only ${next.length} eligible case(s) remain.`,
            { remaining: next.length },
          );
        const ids = takeIds(command.reviewIds, next.length);
        return [
          {
            type: 'SupplementaryCasesDrawn',
            data: {
              sampleId: sample.sampleId,
              teamId: sample.teamId,
              reason,
              cases: next.map((c, index) => toDrawn(c, ids[index]!)),
            },
          },
        ];
      }
      case 'ReplaceCase': {
        const sample = state.samples[command.sampleId];
        if (!sample) throw notFound(command.sampleId);
        assertUsable(sample, command.population, context.today);
        const reason = requireReason(command.reason);
        const replaced = sample.cases[command.reviewId];
        if (!replaced)
          throw new DomainError('NOT_FOUND', 'Fall nicht in dieser Stichprobe / Case not in this sample', {
            reviewId: command.reviewId,
          });
        if (replaced.replaced)
          throw ruleViolation('Dieser Fall wurde bereits ersetzt.', 'This case was already replaced.', {
            reviewId: command.reviewId,
          });
        const next = replacementCase(
          rankingOf(sample, command.rows, command.rank),
          new Set(sample.taken),
          replaced.customerGroup,
        );
        if (!next)
          throw ruleViolation('Es ist kein geeigneter Ersatzfall übrig.', 'No eligible replacement case remains.');
        return [
          {
            type: 'CaseReplaced',
            data: {
              sampleId: sample.sampleId,
              teamId: sample.teamId,
              replacedReviewId: command.reviewId,
              reason,
              replacement: toDrawn(next, command.replacementReviewId),
            },
          },
        ];
      }
      case 'VoidSample': {
        const sample = state.samples[command.sampleId];
        if (!sample) throw notFound(command.sampleId);
        if (sample.voided)
          throw new DomainError(
            'ALREADY_EXISTS',
            'Diese Stichprobe wurde bereits aufgehoben. / This sample was already voided.',
            {
              sampleId: command.sampleId,
            },
          );
        const reason = requireReason(command.reason);
        if (command.startedReviewIds.length > 0)
          throw ruleViolation(
            `Die Stichprobe kann nicht mehr aufgehoben werden: ${command.startedReviewIds.length} ihrer Prüfungen ` +
              'wurden bereits begonnen; ungeeignete Fälle werden einzeln ersetzt.',
            `The sample can no longer be voided: ${command.startedReviewIds.length} of its reviews were already ` +
              'started; replace unsuitable cases one by one instead.',
            { startedReviewIds: command.startedReviewIds },
          );
        return [
          {
            type: 'SampleVoided',
            data: {
              sampleId: sample.sampleId,
              teamId: sample.teamId,
              reason,
              reviewIds: Object.keys(sample.cases).sort(),
            },
          },
        ];
      }
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  },
};
