import type { IdGenerator } from '@pruefpfad/application';
import {
  type CaseSampled,
  type DrawnCase,
  REVIEW_EVENT_SCHEMAS,
  reviewKeyId,
  reviewStreamId,
  type ReviewWithdrawn,
  type SampleDrawn,
  type SampleVoided,
  type SamplingEvent,
  type SupplementaryCasesDrawn,
} from '@pruefpfad/domain';
import {
  type EventMetadata,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from '@pruefpfad/event-store';
import {
  CASE_REF_PURPOSE,
  type Envelope,
  KeyDestroyedError,
  type KeyStore,
  pseudonymise,
  type Sealed,
  tenantPseudonymKey,
} from '@pruefpfad/privacy';
import { appendOnce, PermanentReactorError, type ReactorDefinition } from '@pruefpfad/projections';
import { readPopulation } from './population-stream.js';

export interface OpenReviewsDependencies {
  readonly eventStore: EventStore;
  readonly envelope: Envelope;
  /** The tenant's pseudonym key: a review's blind index is made from its clear reference when it opens. */
  readonly keyStore: KeyStore;
  readonly ids: IdGenerator;
  readonly rulesVersion: string;
}

/** Marks a case whose population key was destroyed before it could be opened. */
const KEY_GONE = Symbol('population key destroyed');

export const OPEN_REVIEWS_REACTOR = 'open-reviews';

const SAMPLING_EVENTS = [
  'SampleDrawn',
  'SupplementaryCasesDrawn',
  'CaseReplaced',
  'SampleVoided',
] satisfies SamplingEvent['type'][];

/** How often a withdrawal is retried when a reviewer wrote to the review at the same moment. */
const WITHDRAW_ATTEMPTS = 5;

/**
 * Opens one review stream per sampled case (`review-<reviewId>` with `CaseSampled`), durably: the
 * reactor's checkpoint is saved only after an event was handled, and every stream is opened with expected
 * revision `no_stream`, so a crash half-way through a draw of hundreds of cases resumes on restart and
 * opens exactly the streams still missing; a stream that exists is a case already done.
 *
 * The clear case reference moves from the population's key to the review's own key (`review:<reviewId>`),
 * and the review gets the case's pseudonym (the tenant's blind index, made here from the clear reference),
 * so that a retention purge of the review (destroying its key, deleting its stream) leaves nothing of the
 * case, while the population keeps only its anonymous draw token. A voided sample's reviews are withdrawn.
 * The questionnaire version and the deadline were pinned by the draw (`SampleDrawn`); supplementary and
 * replacement cases take them from their sample's draw. A replacement also withdraws the replaced review.
 */
export function openReviewsReactor(deps: OpenReviewsDependencies): ReactorDefinition {
  const { eventStore, envelope, keyStore, ids } = deps;
  // Populations never change once imported: the last one read serves every team of a draw.
  let lastPopulation: { readonly id: string; readonly refs: Map<string, Sealed> } | null = null;

  async function sampleOf(event: RecordedEvent, sampleId: string): Promise<SampleDrawn['data']> {
    const drawn = (await eventStore.readStream(event.streamId)).find(
      (candidate) => candidate.type === 'SampleDrawn' && (candidate.data as SampleDrawn['data']).sampleId === sampleId,
    );
    if (!drawn) throw new PermanentReactorError(`${event.streamId}: no SampleDrawn for sample ${sampleId}`);
    return drawn.data as SampleDrawn['data'];
  }

  function metadataFor(event: RecordedEvent): EventMetadata {
    // The reviews were opened by the draw: same time, actor, tenant and correlation; caused by the draw event.
    return {
      occurredAt: event.metadata.occurredAt,
      actor: event.metadata.actor,
      tenant: event.metadata.tenant,
      correlationId: event.metadata.correlationId,
      causationId: event.id,
      rulesVersion: deps.rulesVersion,
    };
  }

  async function openCases(
    event: RecordedEvent,
    sample: SampleDrawn['data'],
    cases: readonly DrawnCase[],
    origin: CaseSampled['data']['origin'],
    signal: AbortSignal,
  ): Promise<void> {
    let population: Map<string, Sealed> | null = null;
    for (const drawnCase of cases) {
      if (signal.aborted) throw new Error('open-reviews: stopped before every review was opened');
      const streamId = reviewStreamId(drawnCase.reviewId);
      // Done in an earlier delivery: skip without sealing again.
      if ((await eventStore.streamInfo(streamId)).revision !== null) continue;
      population ??= await populationRefs(event, sample.populationId);
      const sealedRef = population.get(drawnCase.token);
      if (!sealedRef)
        throw new PermanentReactorError(`population ${sample.populationId} has no row for a sampled token`);
      // The population's references are destroyed only after this reactor has handled every sampling event
      // of their month (and no draw is accepted after their window), so the key is there. Should it be gone
      // anyway (a key store restored wrongly, a manual destroy), the case cannot be opened: it is skipped,
      // and the reactor goes on with every other draw instead of stopping on a poison event.
      const clearRef = await openOrSkip(sealedRef);
      if (clearRef === KEY_GONE) continue;
      if (typeof clearRef !== 'string')
        throw new PermanentReactorError(`population ${sample.populationId}: a sealed case reference is not text`);
      const caseRef = await envelope.seal(reviewKeyId(drawnCase.reviewId), clearRef);
      const casePseudonym = await envelope.seal(
        reviewKeyId(drawnCase.reviewId),
        pseudonymise(await tenantPseudonymKey(keyStore, event.metadata.tenant), clearRef, CASE_REF_PURPOSE),
      );
      const data: CaseSampled['data'] = {
        reviewId: drawnCase.reviewId,
        sampleId: sample.sampleId,
        programmeId: sample.programmeId,
        areaId: sample.areaId,
        teamId: sample.teamId,
        month: sample.month,
        caseRef,
        casePseudonym,
        customerGroup: drawnCase.customerGroup,
        questionnaireId: sample.questionnaireId,
        questionnaireVersion: sample.questionnaireVersion,
        deadline: sample.deadline,
        origin,
      };
      await appendOnce(eventStore, streamId, [
        {
          id: ids.next(),
          type: 'CaseSampled',
          schemaVersion: REVIEW_EVENT_SCHEMAS.CaseSampled,
          data,
          metadata: metadataFor(event),
        },
      ]);
    }
  }

  async function openOrSkip(sealed: Sealed): Promise<unknown> {
    try {
      return await envelope.open(sealed);
    } catch (error) {
      if (error instanceof KeyDestroyedError) return KEY_GONE;
      throw error;
    }
  }

  async function populationRefs(event: RecordedEvent, populationId: string): Promise<Map<string, Sealed>> {
    if (lastPopulation?.id === populationId) return lastPopulation.refs;
    const population = await readPopulation(eventStore, populationId);
    if (!population || population.tenant !== event.metadata.tenant)
      throw new PermanentReactorError(`population ${populationId} of the draw ${event.id} does not exist`);
    const refs = new Map(population.rows.map((row) => [row.token, row.caseRef]));
    lastPopulation = { id: populationId, refs };
    return refs;
  }

  /**
   * Appends `ReviewWithdrawn` unless the review already has one (a redo after a crash). With `keepStarted`
   * (a voided sample), a review the team has started meanwhile is left as it is: the void was decided on
   * reviews not yet started, and withdrawing the team's work behind its back is worse than one review of a
   * voided sample going on. The decision is in the stream: `ReviewWithdrawn` is appended against the
   * revision that showed the review unstarted.
   */
  async function withdraw(
    event: RecordedEvent,
    reviewId: string,
    reason: () => Promise<Sealed>,
    replacedBy: string | null,
    keepStarted: boolean,
  ): Promise<void> {
    const streamId = reviewStreamId(reviewId);
    for (let attempt = 1; ; attempt += 1) {
      const history = await eventStore.readStream(streamId);
      if (history.length === 0 || history.some((recorded) => recorded.type === 'ReviewWithdrawn')) return;
      if (keepStarted && history.some((recorded) => recorded.type !== 'CaseSampled')) return;
      const withdrawn: ReviewWithdrawn['data'] = { reviewId, reason: await reason(), replacedBy };
      const next: NewEvent = {
        id: ids.next(),
        type: 'ReviewWithdrawn',
        schemaVersion: REVIEW_EVENT_SCHEMAS.ReviewWithdrawn,
        data: withdrawn,
        metadata: metadataFor(event),
      };
      try {
        await eventStore.append(streamId, [next], { expectedRevision: history.at(-1)!.revision });
        return;
      } catch (error) {
        // A reviewer wrote in between: read again and retry.
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= WITHDRAW_ATTEMPTS) throw error;
      }
    }
  }

  return {
    name: OPEN_REVIEWS_REACTOR,
    filter: { eventTypes: SAMPLING_EVENTS, streamPrefixes: ['sampling-'] },
    async handle(event, context) {
      const typed = event as RecordedEvent & SamplingEvent;
      switch (typed.type) {
        case 'SampleDrawn':
          await openCases(event, typed.data, typed.data.cases, { kind: 'draw', replaces: null }, context.signal);
          return;
        case 'SupplementaryCasesDrawn': {
          const data: SupplementaryCasesDrawn['data'] = typed.data;
          const sample = await sampleOf(event, data.sampleId);
          await openCases(event, sample, data.cases, { kind: 'supplementary', replaces: null }, context.signal);
          return;
        }
        case 'CaseReplaced': {
          const data = typed.data;
          const sample = await sampleOf(event, data.sampleId);
          await openCases(
            event,
            sample,
            [data.replacement],
            { kind: 'replacement', replaces: data.replacedReviewId },
            context.signal,
          );
          // The same sealed value: it is under the replaced review's key, so a purge blinds both copies.
          await withdraw(
            event,
            data.replacedReviewId,
            () => Promise.resolve(data.reason),
            data.replacement.reviewId,
            false,
          );
          return;
        }
        case 'SampleVoided': {
          const data: SampleVoided['data'] = typed.data;
          for (const reviewId of data.reviewIds) {
            if (context.signal.aborted) throw new Error('open-reviews: stopped before every review was withdrawn');
            // Each review keeps the reason under its own key, so its purge blinds its copy.
            await withdraw(
              event,
              reviewId,
              async () => envelope.seal(reviewKeyId(reviewId), await envelope.open(data.reason)),
              null,
              true,
            );
          }
          return;
        }
        default: {
          const unreachable: never = typed;
          return unreachable;
        }
      }
    },
  };
}
