import {
  type AppConfig,
  berlinDate,
  type Clock,
  type CommandContext,
  type CommandResult,
  type IdGenerator,
  NotFoundError,
  readStreamState,
  type StreamReader,
} from '@pruefpfad/application';
import { readPopulation, type StoredPopulation } from '@pruefpfad/composition';
import {
  addMonths,
  type CaseSampled,
  DomainError,
  type DrawRow,
  isMonth,
  monthOf,
  type PopulationReferences,
  populationReferencesKeptUntil,
  type Principal,
  recomputeSample,
  type RecordedSample,
  reviewDeadline,
  reviewKeyId,
  reviewStreamId,
  ruleViolation,
  type SamplingEvent,
  samplingStreamId,
  type Sealed,
  type TeamDrawRequest,
} from '@pruefpfad/domain';
import type { EventStore } from '@pruefpfad/event-store';
import { drawToken, type KeyStore, populationTokenKey, samplingKeyId } from '@pruefpfad/privacy';
import { type PopulationDoc, POPULATIONS, type SampleDoc, SAMPLES } from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { teamsOfArea } from '../organisation/organisation.facts.js';
import { programmeFacts, type ProgrammeFacts } from '../programmes/programme.facts.js';
import { ProjectionLaggingError } from '../commands/min-position.js';
import { questionnaireAggregate } from '../questionnaires/questionnaire.aggregate.js';
import { populationAggregate, samplingAggregate, samplingAggregateId, type ExecuteFn } from './sampling.aggregates.js';
import { hmacRank, newSeed, populationFingerprint } from './sampling-crypto.js';
import { COMPLETE_POPULATIONS, LATEST_POPULATIONS_FIRST } from './sampling.defaults.js';

export interface SamplingServiceDependencies {
  readonly eventStore: EventStore;
  /** Long-lived streams (programme, organisation, questionnaire), folded and caught up on every read. */
  readonly streams: StreamReader;
  readonly documents: DocumentStore;
  readonly keyStore: KeyStore;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  readonly execute: ExecuteFn;
  /** Which months may be drawn and how long a population's clear references are kept. */
  readonly sampling: AppConfig['sampling'];
  /** Waits (bounded) until these read models reflect every event stored so far. */
  readonly awaitReadModels: (names: readonly string[]) => Promise<void>;
  /**
   * Waits (bounded) until the open-reviews reactor has handled the sampling events up to `position`
   * (reviews opened, withdrawn); false when it has not in time.
   */
  readonly reviewsOpened: (position: number) => Promise<boolean>;
  /**
   * Seals a free-text reason under a data key (the envelope's `seal`). Only follow-ups (back-dated draw,
   * supplementary draw, replacement, void) need it; instances that only draw or verify may leave it out.
   */
  readonly seal?: (keyId: string, value: string) => Promise<Sealed>;
  /** Opens a sealed value (null once its key was destroyed): earlier reviews' pseudonyms, for the exclusion window. */
  readonly open: (sealed: Sealed) => Promise<unknown>;
}

/** The role that draws under a programme (000:71 management, 002:88 area head), as users know it. */
const DRAWER_LABEL: Record<ProgrammeFacts['settings']['drawnBy'], string> = {
  management: 'die Geschäftsführung (management) / management',
  area_head: 'die Bereichsleitung (area_head) / the area head',
};

/** 403 that says who draws under the programme, so the caller knows whom to ask. */
export class NotTheDrawerError extends Error {
  readonly code = 'FORBIDDEN';
  constructor(readonly drawnBy: ProgrammeFacts['settings']['drawnBy']) {
    const [german, english] = DRAWER_LABEL[drawnBy].split(' / ') as [string, string];
    super(
      `Unter diesem Prüfplan zieht ${german} die Stichprobe und veranlasst Ergänzungsstichproben, Ersatzfälle und Aufhebungen. / ` +
        `Under this programme ${english} draws the sample and orders supplementary draws, replacements and voids.`,
    );
    this.name = 'NotTheDrawerError';
  }
}

/** Review events that mean a review was started (anything the team recorded after its opening). */
const NOT_STARTED: ReadonlySet<string> = new Set(['CaseSampled', 'ReviewWithdrawn']);

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
    .map((row) => ({ token: row.token, customerGroup: row.customerGroup, needs16a: row.needs16a }));

/** Reads review streams a few at a time: a draw looks at every review of the excluded months. */
const REVIEW_READS_IN_PARALLEL = 16;

/**
 * Draws, supplementary draws, replacements, voids and verification (shared by the HTTP endpoints and the
 * CLI). Every decision reads its facts from streams (the programme, the organisation, the questionnaire,
 * the population, the month's sampling, earlier reviews) or waits for the read models it reads to reflect
 * every stored event (the latest population of the month, the coverage history). The server fixes the
 * population (and its fingerprint) first, then makes one 256-bit seed per team from the CSPRNG: nobody can
 * choose a seed or retry a draw, because a second draw for a team and month is refused by the sampling
 * stream's decider (and its expected revision) unless the first was voided, which is recorded.
 */
export class SamplingService {
  constructor(private readonly deps: SamplingServiceDependencies) {}

  /** The programme as its stream has it (every sampling command decides on it), or 404. */
  programme(principal: Principal, programmeId: string): Promise<ProgrammeFacts> {
    return programmeFacts(this.deps.streams, principal.tenant, programmeId);
  }

  /** Who draws is a programme setting (management 000:71, area head 002:88). */
  assertDrawer(principal: Principal, programme: ProgrammeFacts): void {
    if (!principal.roles.includes(programme.settings.drawnBy)) throw new NotTheDrawerError(programme.settings.drawnBy);
  }

  async draw(request: {
    readonly programme: ProgrammeFacts;
    readonly month: string;
    readonly teamId: string | undefined;
    /** Required for a month already past; recorded with the draw. */
    readonly backdatedReason: string | undefined;
    readonly context: CommandContext;
  }): Promise<DrawResult> {
    const { programme, month } = request;
    const { settings, tenant } = programme;
    if (!isMonth(month))
      throw new DomainError('VALIDATION_FAILED', 'Ungültiger Monat / Invalid month', { fields: { month: 'yyyy-mm' } });
    const today = berlinDate(this.deps.clock.now());
    const questionnaire = await this.questionnaireInForce(programme, today);
    await this.deps.awaitReadModels([POPULATIONS, SAMPLES]);
    const populationDoc = await this.latestPopulation(programme, month);
    const population = await readPopulation(this.deps.eventStore, populationDoc._id);
    if (!population || population.tenant !== tenant) throw new NotFoundError(`population ${populationDoc._id}`);
    // The record, not the summary, is what is drawn from: it must still be the population that was imported.
    const fingerprint = populationFingerprint(population.rows);
    if (fingerprint !== population.imported.fingerprint)
      throw new Error(`population ${populationDoc._id}: stored rows do not match the recorded fingerprint`);
    const tokenKey = await populationTokenKey(this.deps.keyStore, populationDoc._id);
    if (tokenKey === null)
      throw ruleViolation(
        'Die Fallnummern dieser Grundgesamtheit wurden nach Fristablauf gelöscht; für eine Ziehung bitte neu importieren.',
        "This population's case references were destroyed after their window; import it again to draw.",
        { populationId: populationDoc._id },
      );

    const sampling = await readStreamState(
      this.deps.eventStore,
      samplingAggregate,
      samplingAggregateId(programme._id, month),
    );
    const alreadyDrawn = new Set(Object.keys(sampling?.state.teams ?? {}));
    const areaTeams = await teamsOfArea(this.deps.streams, tenant, programme.areaId);
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

    const recentlyDrawn = await this.recentlyDrawn(programme, month, tokenKey);
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
    const currentMonth = monthOf(today);
    const backdated = month < currentMonth && (request.backdatedReason ?? '').trim() !== '';
    const result = await this.deps.execute(samplingAggregate, {
      aggregateId: samplingAggregateId(programme._id, month),
      // The teams were chosen against this revision: a draw in between makes this one fail, not double.
      ...(sampling === null ? {} : { expectedRevision: sampling.revision }),
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
        // A back-dated draw gets the time of a draw made now, not a deadline already past.
        deadline: reviewDeadline(month < currentMonth ? currentMonth : month, settings.reviewDeadlineDaysAfterMonth),
        teams,
        rank: hmacRank,
        leadDays: this.deps.sampling.drawLeadDays,
        referencesKeptUntil: populationReferencesKeptUntil(month, this.deps.sampling.populationReferenceDays),
        backdatedReason: backdated
          ? await this.sealReason(samplingKeyId(programme._id, month), request.backdatedReason ?? '')
          : null,
      },
      context: { ...request.context, actor: { ...request.context.actor, role: settings.drawnBy } },
    });
    const drawn = await readStreamState(
      this.deps.eventStore,
      samplingAggregate,
      samplingAggregateId(programme._id, month),
    );
    return {
      ...(await this.withReviews(result)),
      samples: teams.map((team) => ({
        sampleId: team.sampleId,
        teamId: team.teamId,
        cases: Object.keys(drawn?.state.samples[team.sampleId]?.cases ?? {}).length,
      })),
      teamsWithoutCases,
    };
  }

  /**
   * A sampling command's effects on reviews are the open-reviews reactor's work: the answer waits (bounded)
   * for it and then names the store's head, so a client sending it as `X-Min-Position` finds the opened
   * (or withdrawn) reviews too. If the reactor is slower than the wait, the answer keeps the command's own
   * position and the reviews appear a moment later.
   */
  private async withReviews<R extends CommandResult>(result: R): Promise<R> {
    if (result.position === null || !(await this.deps.reviewsOpened(result.position))) return result;
    return { ...result, position: await this.deps.eventStore.headPosition() };
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
    const result = await this.deps.execute(samplingAggregate, {
      aggregateId: samplingAggregateId(sample.programmeId, sample.month),
      command: {
        type: 'DrawSupplementaryCases',
        sampleId: sample._id,
        count: request.count,
        // Under the month's sampling key: it concerns the procedure and must outlive the population's
        // references; it goes with the month's sampling stream.
        reason: await this.sealReason(samplingKeyId(sample.programmeId, sample.month), request.reason),
        rows: toDrawRows(population, sample.teamId),
        reviewIds: Array.from({ length: request.count }, () => this.deps.ids.next()),
        rank: hmacRank,
        population: await this.referencesOf(sample),
      },
      context: request.context,
    });
    return this.withReviews(result);
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
        population: await this.referencesOf(sample),
      },
      context: request.context,
    });
    return { ...(await this.withReviews(result)), replacementReviewId };
  }

  /**
   * Voids a draw made by mistake, before any of its reviews was started (read from their streams); the
   * open-reviews reactor withdraws them, and the team may be drawn again for the month.
   */
  async void(request: {
    readonly sample: SampleDoc;
    readonly reason: string;
    readonly context: CommandContext;
  }): Promise<CommandResult> {
    const { sample } = request;
    const sampling = await readStreamState(
      this.deps.eventStore,
      samplingAggregate,
      samplingAggregateId(sample.programmeId, sample.month),
    );
    const reviewIds = Object.keys(sampling?.state.samples[sample._id]?.cases ?? {}).sort();
    const started: string[] = [];
    await inBatches(reviewIds, async (reviewId) => {
      const events = await this.deps.eventStore.readStream(reviewStreamId(reviewId));
      if (events.some((event) => !NOT_STARTED.has(event.type))) started.push(reviewId);
    });
    const result = await this.deps.execute(samplingAggregate, {
      aggregateId: samplingAggregateId(sample.programmeId, sample.month),
      ...(sampling === null ? {} : { expectedRevision: sampling.revision }),
      command: {
        type: 'VoidSample',
        sampleId: sample._id,
        reason: await this.sealReason(samplingKeyId(sample.programmeId, sample.month), request.reason),
        startedReviewIds: started.sort(),
      },
      context: request.context,
    });
    return this.withReviews(result);
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

  /** The version of the programme's questionnaire in force today (003:70), from its stream; none: refused. */
  private async questionnaireInForce(
    programme: ProgrammeFacts,
    today: string,
  ): Promise<{ readonly questionnaireId: string; readonly version: number }> {
    const questionnaireId = programme.settings.questionnaireId;
    const loaded =
      questionnaireId === null ? null : await this.deps.streams.read(questionnaireAggregate, questionnaireId);
    const versions =
      loaded?.tenant === programme.tenant && loaded.state.status === 'published' ? loaded.state.versions : [];
    const inForce = versions.filter((version) => version.validFrom <= today).sort((a, b) => b.version - a.version)[0];
    if (questionnaireId === null || !inForce)
      throw ruleViolation(
        'Der Prüfplan hat keinen geltenden Fragenkatalog; ohne ihn wird nicht gezogen.',
        'The programme has no questionnaire version in force; no draw without one.',
        { questionnaireId },
      );
    return { questionnaireId, version: inForce.version };
  }

  private async latestPopulation(programme: ProgrammeFacts, month: string): Promise<PopulationDoc> {
    const [latest] = (await this.deps.documents.find(
      POPULATIONS,
      { tenant: programme.tenant, programmeId: programme._id, month, ...COMPLETE_POPULATIONS },
      { sort: LATEST_POPULATIONS_FIRST, limit: 1 },
    )) as PopulationDoc[];
    if (!latest)
      throw ruleViolation(
        'Für diesen Monat wurde keine Grundgesamtheit importiert.',
        'No population was imported for this month.',
        { month },
      );
    return latest;
  }

  /**
   * The tokens, in this population's key, of every case drawn for the programme in the excluded months
   * before `month` (voided samples do not count). The earlier cases' pseudonyms come from their review
   * streams; a review already purged has none left, and its case is no longer excluded.
   */
  private async recentlyDrawn(programme: ProgrammeFacts, month: string, tokenKey: Uint8Array): Promise<string[]> {
    const reviewIds: string[] = [];
    let lastSampling = 0;
    for (let back = 1; back <= programme.settings.excludeDrawnWithinMonths; back += 1) {
      const events = await this.deps.eventStore.readStream(samplingStreamId(programme._id, addMonths(month, -back)));
      let state = samplingAggregate.decider.initialState();
      for (const event of events) {
        state = samplingAggregate.decider.evolve(state, { type: event.type, data: event.data } as SamplingEvent);
        lastSampling = Math.max(lastSampling, event.position);
      }
      for (const sample of Object.values(state.samples))
        if (!sample.voided) reviewIds.push(...Object.keys(sample.cases));
    }
    // Every earlier case's review must exist before its pseudonym can be excluded: a review the reactor has
    // not opened yet would silently let its case be drawn again, in a sample that can never be changed.
    if (lastSampling > 0 && !(await this.deps.reviewsOpened(lastSampling)))
      throw new ProjectionLaggingError('open-reviews', lastSampling);
    const tokens = new Set<string>();
    await inBatches(reviewIds, async (reviewId) => {
      const [opened] = await this.deps.eventStore.readStream(reviewStreamId(reviewId));
      if (opened?.type !== 'CaseSampled') return;
      const pseudonym = await this.deps.open((opened.data as CaseSampled['data']).casePseudonym);
      if (typeof pseudonym === 'string') tokens.add(drawToken(tokenKey, pseudonym));
    });
    return [...tokens].sort();
  }

  /** Customer group → the last earlier month a case of it was drawn for the team (coverage rule). */
  private async lastCovered(programme: ProgrammeFacts, teamId: string, month: string): Promise<Record<string, string>> {
    const earlier = (await this.deps.documents.find(SAMPLES, {
      tenant: programme.tenant,
      programmeId: programme._id,
      teamId,
      month: { $lt: month },
    })) as SampleDoc[];
    const last: Record<string, string> = {};
    for (const sample of earlier)
      if (!sample.voided)
        for (const c of sample.cases)
          if (c.status === 'active' && (last[c.customerGroup] ?? '') < sample.month)
            last[c.customerGroup] = sample.month;
    return last;
  }

  private async populationOf(sample: SampleDoc): Promise<StoredPopulation> {
    const population = await readPopulation(this.deps.eventStore, sample.populationId);
    if (!population || population.tenant !== sample.tenant)
      throw new NotFoundError(`population ${sample.populationId}`);
    return population;
  }

  /** Whether the sample's population may still open cases: its window, and its stream's record. */
  private async referencesOf(sample: SampleDoc): Promise<PopulationReferences> {
    const loaded = await readStreamState(this.deps.eventStore, populationAggregate, sample.populationId);
    return {
      keptUntil: populationReferencesKeptUntil(sample.month, this.deps.sampling.populationReferenceDays),
      destroyed: loaded === null || (loaded.state.status === 'imported' && loaded.state.referencesDestroyed),
    };
  }
}

async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += REVIEW_READS_IN_PARALLEL)
    await Promise.all(items.slice(start, start + REVIEW_READS_IN_PARALLEL).map(work));
}
