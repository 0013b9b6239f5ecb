import type { CommandContext, CommandResult } from '../../../../libs/application/src/command-pipeline.js';
import type { Clock, IdGenerator } from '../../../../libs/application/src/clock.js';
import { berlinDate } from '../../../../libs/application/src/berlin-time.js';
import { NotFoundError } from '../../../../libs/application/src/errors.js';
import { AccessDeniedError, type Principal } from '../../../../libs/domain/src/authorization/authorization.policy.js';
import { addMonths, isMonth, reviewDeadline } from '../../../../libs/domain/src/calendar/local-date.js';
import { DomainError, ruleViolation } from '../../../../libs/domain/src/shared/domain-error.js';
import type { DrawRow } from '../../../../libs/domain/src/sampling/draw.js';
import type { TeamDrawRequest } from '../../../../libs/domain/src/sampling/sampling.decider.js';
import {
  samplingStreamId,
  type SampleDrawn,
  type SamplingEvent,
} from '../../../../libs/domain/src/sampling/sampling.events.js';
import { recomputeSample, type RecordedSample } from '../../../../libs/domain/src/sampling/verify.js';
import { reviewKeyId, reviewStreamId } from '../../../../libs/domain/src/review/review.events.js';
import type { Sealed } from '../../../../libs/domain/src/shared/sealed.js';
import type { EventStore } from '../../../../libs/event-store/src/event-store.port.js';
import type { DocumentStore } from '../../../../libs/read-store/src/read-store.port.js';
import { readPopulation, type StoredPopulation } from '../../../../libs/composition/src/reactors/population-stream.js';
import type { ProgrammeDoc } from '../../../../libs/projections/src/read-models/programmes.projection.js';
import {
  ORGANISATION_UNITS,
  type OrganisationUnitDoc,
} from '../../../../libs/projections/src/read-models/organisation/organisation-unit.doc.js';
import {
  QUESTIONNAIRES,
  questionnaireDocId,
  type QuestionnaireDoc,
} from '../../../../libs/projections/src/read-models/questionnaires/questionnaire.doc.js';
import {
  POPULATIONS,
  SAMPLES,
  type PopulationDoc,
  type SampleDoc,
} from '../../../../libs/projections/src/read-models/sampling/sample.doc.js';
import { samplingAggregate, samplingAggregateId, type ExecuteFn } from './sampling.aggregates.js';
import { hmacRank, newSeed, populationFingerprint, populationKeyId } from './sampling-crypto.js';

export interface SamplingServiceDependencies {
  readonly eventStore: EventStore;
  readonly documents: DocumentStore;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  readonly execute: ExecuteFn;
  /** Waits (bounded) until these read models reflect every event stored so far. */
  readonly awaitReadModels: (names: readonly string[]) => Promise<void>;
  /**
   * Seals a free-text reason under a data key (the envelope's `seal`). Only follow-ups (supplementary
   * draw, replacement) need it; instances that only draw or verify may leave it out.
   */
  readonly seal?: (keyId: string, value: string) => Promise<Sealed>;
}

export interface DrawResult extends CommandResult {
  readonly samples: readonly { readonly sampleId: string; readonly teamId: string; readonly cases: number }[];
  /** Teams of the area without a single row in the population (nothing to draw). */
  readonly teamsWithoutCases: readonly string[];
}

export interface Verification {
  readonly sampleId: string;
  readonly matches: boolean;
  readonly algorithm: string;
  readonly seed: string;
  readonly population: {
    readonly populationId: string;
    readonly recordedFingerprint: string;
    readonly recomputedFingerprint: string | null;
    readonly matches: boolean;
  };
  readonly cases: { readonly recorded: number; readonly matches: boolean };
  readonly coverageMatches: boolean;
  readonly eligible: number | null;
  readonly mismatches: readonly string[];
}

const toDrawRows = (population: StoredPopulation, teamId: string): DrawRow[] =>
  population.rows
    .filter((row) => row.teamId === teamId)
    .map((row) => ({ pseudonym: row.pseudonym, customerGroup: row.customerGroup, needs16a: row.needs16a }));

/**
 * Draws, supplementary draws, replacements and verification (shared by the HTTP endpoints and the CLI).
 * The server fixes the population (and its fingerprint) first, then makes one 256-bit seed per team from
 * the CSPRNG: nobody can choose a seed or retry a draw, because a second draw for a team and month is
 * refused by the sampling stream's decider (and its expected revision).
 */
export class SamplingService {
  constructor(private readonly deps: SamplingServiceDependencies) {}

  /** Who draws is a programme setting (management 000:71, area head 002:88). */
  assertDrawer(principal: Principal, programme: ProgrammeDoc): void {
    if (!principal.roles.includes(programme.settings.drawnBy))
      throw new AccessDeniedError('forbidden', 'sampling.draw');
  }

  async draw(request: {
    readonly programme: ProgrammeDoc;
    readonly month: string;
    readonly teamId: string | undefined;
    readonly context: CommandContext;
  }): Promise<DrawResult> {
    const { programme, month } = request;
    const { settings, tenant } = programme;
    const today = berlinDate(this.deps.clock.now());
    const questionnaire = await this.questionnaireInForce(programme, today);
    await this.deps.awaitReadModels([POPULATIONS, SAMPLES, ORGANISATION_UNITS]);
    const populationDoc = await this.latestPopulation(programme, month);
    const population = await readPopulation(this.deps.eventStore, populationDoc._id);
    if (!population || population.tenant !== tenant) throw new NotFoundError(`population ${populationDoc._id}`);
    // The record, not the summary, is what is drawn from: it must still be the population that was imported.
    const fingerprint = populationFingerprint(population.rows);
    if (fingerprint !== population.imported.fingerprint)
      throw new Error(`population ${populationDoc._id}: stored rows do not match the recorded fingerprint`);

    const samplingStream = await this.deps.eventStore.readStream(samplingStreamId(programme._id, month));
    const alreadyDrawn = new Set(
      samplingStream.filter((e) => e.type === 'SampleDrawn').map((e) => (e.data as SampleDrawn['data']).teamId),
    );
    const areaTeams = await this.teamsOfArea(tenant, programme.areaId);
    let teamIds: string[];
    if (request.teamId !== undefined) {
      if (!areaTeams.includes(request.teamId)) throw new NotFoundError(`team ${request.teamId}`);
      teamIds = [request.teamId];
    } else teamIds = areaTeams.filter((teamId) => !alreadyDrawn.has(teamId));
    const withRows = new Set(population.rows.map((row) => row.teamId));
    const teamsWithoutCases = teamIds.filter((teamId) => !withRows.has(teamId));
    teamIds = teamIds.filter((teamId) => withRows.has(teamId));
    if (request.teamId !== undefined && teamsWithoutCases.length > 0)
      throw ruleViolation(
        'Die Grundgesamtheit enthält keine Fälle dieses Teams.',
        'The population holds no cases of this team.',
        { teamId: request.teamId },
      );
    if (request.teamId === undefined && teamIds.length === 0)
      throw new DomainError(
        'ALREADY_EXISTS',
        'Für alle Teams mit Fällen wurde in diesem Monat bereits gezogen. / ' +
          'Every team with cases already has its sample for this month.',
        { month },
      );

    const recentlyDrawn = await this.recentlyDrawn(programme, month);
    const teams: TeamDrawRequest[] = [];
    for (const teamId of teamIds)
      teams.push({
        teamId,
        sampleId: this.deps.ids.next(),
        seed: newSeed(),
        rows: toDrawRows(population, teamId),
        recentlyDrawn,
        lastCovered: await this.lastCovered(programme, teamId, month),
        reviewIds: Array.from({ length: settings.minimumCasesPerTeamLead }, () => this.deps.ids.next()),
      });
    const consent = settings.section16aConsent;
    const result = await this.deps.execute(samplingAggregate, {
      aggregateId: samplingAggregateId(programme._id, month),
      // The teams were chosen against this revision: a draw in between makes this one fail, not double.
      ...(samplingStream.length > 0 ? { expectedRevision: samplingStream.at(-1)!.revision } : {}),
      command: {
        type: 'DrawSamples',
        programmeId: programme._id,
        month,
        areaId: programme.areaId,
        populationId: population.imported.populationId,
        populationFingerprint: fingerprint,
        n: settings.minimumCasesPerTeamLead,
        section16aIncluded: consent !== null && consent.date <= today,
        questionnaireId: questionnaire.questionnaireId,
        questionnaireVersion: questionnaire.version,
        deadline: reviewDeadline(month, settings.reviewDeadlineDaysAfterMonth),
        teams,
        rank: hmacRank,
      },
      context: { ...request.context, actor: { ...request.context.actor, role: settings.drawnBy } },
    });
    const drawn = new Map(
      (await this.deps.eventStore.readStream(samplingStreamId(programme._id, month)))
        .filter((e) => e.type === 'SampleDrawn')
        .map((e) => e.data as SampleDrawn['data'])
        .map((data) => [data.sampleId, data.cases.length]),
    );
    return {
      ...result,
      samples: teams.map((team) => ({
        sampleId: team.sampleId,
        teamId: team.teamId,
        cases: drawn.get(team.sampleId) ?? 0,
      })),
      teamsWithoutCases,
    };
  }

  /** Blank reasons are not sealed: the decider refuses them (null) with its rule violation. */
  private async sealReason(keyId: string, reason: string): Promise<Sealed | null> {
    if (reason.trim() === '') return null;
    if (this.deps.seal === undefined)
      throw new Error('SamplingService was built without `seal`: it cannot take a reason');
    return this.deps.seal(keyId, reason);
  }

  async supplement(request: {
    readonly sample: SampleDoc;
    readonly count: number;
    readonly reason: string;
    readonly context: CommandContext;
  }): Promise<CommandResult> {
    const { sample } = request;
    const population = await this.populationOf(sample);
    return this.deps.execute(samplingAggregate, {
      aggregateId: samplingAggregateId(sample.programmeId, sample.month),
      command: {
        type: 'DrawSupplementaryCases',
        sampleId: sample._id,
        count: request.count,
        // Under the population's key, like its rows' case references: gone with the population's data.
        reason: await this.sealReason(populationKeyId(sample.populationId), request.reason),
        rows: toDrawRows(population, sample.teamId),
        reviewIds: Array.from({ length: request.count }, () => this.deps.ids.next()),
        rank: hmacRank,
      },
      context: request.context,
    });
  }

  async replace(request: {
    readonly sample: SampleDoc;
    readonly reviewId: string;
    readonly reason: string;
    readonly context: CommandContext;
  }): Promise<CommandResult & { readonly replacementReviewId: string }> {
    const { sample } = request;
    const review = await this.deps.eventStore.readStream(reviewStreamId(request.reviewId));
    if (review.some((event) => event.type === 'ReviewCompleted'))
      throw ruleViolation(
        'Ein abgeschlossener Fall kann nicht ersetzt werden.',
        'A completed review cannot be replaced.',
        { reviewId: request.reviewId },
      );
    const population = await this.populationOf(sample);
    const replacementReviewId = this.deps.ids.next();
    const result = await this.deps.execute(samplingAggregate, {
      aggregateId: samplingAggregateId(sample.programmeId, sample.month),
      command: {
        type: 'ReplaceCase',
        sampleId: sample._id,
        reviewId: request.reviewId,
        // Under the replaced review's key: purging that review blinds this copy and its ReviewWithdrawn's.
        reason: await this.sealReason(reviewKeyId(request.reviewId), request.reason),
        rows: toDrawRows(population, sample.teamId),
        replacementReviewId,
        rank: hmacRank,
      },
      context: request.context,
    });
    return { ...result, replacementReviewId };
  }

  /** Recomputes the sample from the stored population, the seed and the recorded inputs (no clear data). */
  async verify(sample: SampleDoc): Promise<Verification> {
    const events = (await this.deps.eventStore.readStream(samplingStreamId(sample.programmeId, sample.month))).filter(
      (event) => (event.data as SamplingEvent['data']).sampleId === sample._id,
    ) as unknown as (SamplingEvent & { readonly type: SamplingEvent['type'] })[];
    const drawnEvent = events.find((event) => event.type === 'SampleDrawn');
    if (!drawnEvent) throw new NotFoundError(`sample ${sample._id}`);
    const drawn = drawnEvent.data;
    const recorded: RecordedSample = {
      drawn,
      followUps: events.flatMap((event): RecordedSample['followUps'][number][] =>
        event.type === 'SupplementaryCasesDrawn'
          ? [{ type: event.type, data: event.data }]
          : event.type === 'CaseReplaced'
            ? [{ type: event.type, data: event.data }]
            : [],
      ),
    };
    const population = await readPopulation(this.deps.eventStore, drawn.populationId);
    const recomputedFingerprint = population ? populationFingerprint(population.rows) : null;
    const recomputed = population ? recomputeSample(recorded, toDrawRows(population, drawn.teamId), hmacRank) : null;
    const fingerprintMatches = recomputedFingerprint === drawn.populationFingerprint;
    const mismatches = [
      ...(fingerprintMatches ? [] : ['population: the stored population is not the one the draw was made from']),
      ...(recomputed?.mismatches ?? ['population: not found']),
    ];
    const casesMatch = recomputed?.casesMatch ?? false;
    return {
      sampleId: sample._id,
      matches: fingerprintMatches && casesMatch && (recomputed?.coverageMatches ?? false),
      algorithm: drawn.algorithm,
      seed: drawn.seed,
      population: {
        populationId: drawn.populationId,
        recordedFingerprint: drawn.populationFingerprint,
        recomputedFingerprint,
        matches: fingerprintMatches,
      },
      cases: { recorded: drawn.cases.length + recorded.followUps.length, matches: casesMatch },
      coverageMatches: recomputed?.coverageMatches ?? false,
      eligible: recomputed?.eligible ?? null,
      mismatches,
    };
  }

  /** The version of the programme's questionnaire in force today (003:70); none: the draw is refused. */
  private async questionnaireInForce(
    programme: ProgrammeDoc,
    today: string,
  ): Promise<{ readonly questionnaireId: string; readonly version: number }> {
    const questionnaireId = programme.settings.questionnaireId;
    const doc =
      questionnaireId === null
        ? null
        : ((await this.deps.documents.get(
            QUESTIONNAIRES,
            questionnaireDocId(programme.tenant, questionnaireId),
          )) as QuestionnaireDoc | null);
    const inForce = (doc?.versions ?? [])
      .filter((version) => version.validFrom <= today)
      .sort((a, b) => b.version - a.version)[0];
    if (questionnaireId === null || !inForce)
      throw ruleViolation(
        'Der Prüfplan hat keinen geltenden Fragenkatalog; ohne ihn wird nicht gezogen.',
        'The programme has no questionnaire version in force; no draw without one.',
        { questionnaireId },
      );
    return { questionnaireId, version: inForce.version };
  }

  private async latestPopulation(programme: ProgrammeDoc, month: string): Promise<PopulationDoc> {
    if (!isMonth(month))
      throw new DomainError('VALIDATION_FAILED', 'Ungültiger Monat / Invalid month', { fields: { month: 'yyyy-mm' } });
    const [latest] = (await this.deps.documents.find(
      POPULATIONS,
      { tenant: programme.tenant, programmeId: programme._id, month },
      { sort: { importedAt: -1, _id: -1 }, limit: 1 },
    )) as PopulationDoc[];
    if (!latest)
      throw ruleViolation(
        'Für diesen Monat wurde keine Grundgesamtheit importiert.',
        'No population was imported for this month.',
        { month },
      );
    return latest;
  }

  private async teamsOfArea(tenant: string, areaId: string): Promise<string[]> {
    const teams = (await this.deps.documents.find(
      ORGANISATION_UNITS,
      { tenant, kind: 'team', parentId: areaId },
      { sort: { unitId: 1 } },
    )) as OrganisationUnitDoc[];
    return teams.map((team) => team.unitId);
  }

  /** Pseudonyms drawn for the programme in the excluded months before `month` (from the sampling streams). */
  private async recentlyDrawn(programme: ProgrammeDoc, month: string): Promise<string[]> {
    const drawn = new Set<string>();
    for (let back = 1; back <= programme.settings.excludeDrawnWithinMonths; back += 1) {
      const events = await this.deps.eventStore.readStream(samplingStreamId(programme._id, addMonths(month, -back)));
      for (const event of events as unknown as SamplingEvent[]) {
        if (event.type === 'SampleDrawn' || event.type === 'SupplementaryCasesDrawn')
          for (const c of event.data.cases) drawn.add(c.pseudonym);
        else drawn.add(event.data.replacement.pseudonym);
      }
    }
    return [...drawn].sort();
  }

  /** Customer group → the last earlier month a case of it was drawn for the team (coverage rule). */
  private async lastCovered(programme: ProgrammeDoc, teamId: string, month: string): Promise<Record<string, string>> {
    const earlier = (await this.deps.documents.find(SAMPLES, {
      tenant: programme.tenant,
      programmeId: programme._id,
      teamId,
      month: { $lt: month },
    })) as SampleDoc[];
    const last: Record<string, string> = {};
    for (const sample of earlier)
      for (const c of sample.cases)
        if (c.status === 'active' && (last[c.customerGroup] ?? '') < sample.month) last[c.customerGroup] = sample.month;
    return last;
  }

  private async populationOf(sample: SampleDoc): Promise<StoredPopulation> {
    const population = await readPopulation(this.deps.eventStore, sample.populationId);
    if (!population || population.tenant !== sample.tenant)
      throw new NotFoundError(`population ${sample.populationId}`);
    return population;
  }
}
