import { v7 as uuidv7 } from 'uuid';
import { uuidV7Ids } from '@pruefpfad/application';
import type { CaseSampled, DrawnCase, PopulationRow, ReviewWithdrawn, SampleDrawn } from '@pruefpfad/domain';
import type { EventStore } from '@pruefpfad/event-store';
import { pseudonymise, tenantPseudonymKey } from '@pruefpfad/privacy';
import { reactorCheckpointName, ReactorRunner } from '@pruefpfad/projections';
import { until } from '@pruefpfad/projections/testing';
import type { Infrastructure } from '../infrastructure.js';
import {
  openTemporaryInfrastructure,
  testEvent,
  testMetadata,
  type TemporaryInfrastructure,
} from '../testing/embedded-infrastructure.js';
import { OPEN_REVIEWS_REACTOR, openReviewsReactor } from './open-reviews.reactor.js';

const metadata = testMetadata({ userId: 'bl-1', role: 'area_head' });
const event = (type: string, data: unknown) => testEvent(type, data, metadata);

describe('open-reviews reactor (embedded stores)', () => {
  let temporary: TemporaryInfrastructure;
  let infrastructure: Infrastructure;
  const populationId = uuidv7();
  const programmeId = uuidv7();
  const sampleId = uuidv7();
  const samplingStream = `sampling-${programmeId}-2026-03`;
  const cases: DrawnCase[] = Array.from({ length: 40 }, (_, i) => ({
    reviewId: uuidv7(),
    token: `token-${i}`,
    customerGroup: i % 2 === 0 ? 'u25' : 'ue25',
    rank: i,
  }));
  let drawPosition = 0;

  beforeAll(async () => {
    temporary = await openTemporaryInfrastructure();
    infrastructure = temporary.infrastructure;
    const rows: PopulationRow[] = [];
    for (let i = 0; i < 45; i += 1)
      rows.push({
        token: `token-${i}`,
        caseRef: await infrastructure.envelope.seal(`population:${populationId}`, `123D${String(i).padStart(6, '0')}`),
        customerGroup: i % 2 === 0 ? 'u25' : 'ue25',
        teamId: 'team-1',
        process: 'allgemeine-vermittlung',
        needs16a: false,
      });
    await infrastructure.eventStore.append(
      `population-${populationId}`,
      [
        event('PopulationImported', {
          populationId,
          programmeId,
          month: '2026-03',
          rowCount: rows.length,
          fingerprint: 'f'.repeat(64),
          source: { format: 'csv', fileName: null },
        }),
        event('PopulationRowsAdded', { populationId, chunk: 0, rows }),
      ],
      { expectedRevision: 'no_stream' },
    );
    const drawn: SampleDrawn['data'] = {
      sampleId,
      programmeId,
      month: '2026-03',
      teamId: 'team-1',
      areaId: 'mi',
      populationId,
      populationFingerprint: 'f'.repeat(64),
      seed: 'a'.repeat(64),
      algorithm: 'hmac-sha256-rank/v1',
      n: 40,
      eligible: 45,
      excluded: { recentlyDrawn: 0, section16a: 0 },
      coverage: { groups: ['u25', 'ue25'], covered: ['u25', 'ue25'], deferred: [], rule: 'least-recently-covered' },
      inputs: { recentlyDrawn: [], lastCovered: {}, section16aIncluded: false },
      cases,
      questionnaireId: 'vkb',
      questionnaireVersion: 3,
      deadline: '2026-03-31',
      drawnByRole: 'area_head',
      backdated: null,
    };
    drawPosition = (
      await infrastructure.eventStore.append(samplingStream, [event('SampleDrawn', drawn)], {
        expectedRevision: 'no_stream',
      })
    ).position;
  });

  afterAll(async () => {
    await temporary?.remove();
  });

  const reactorOn = (eventStore: EventStore) =>
    openReviewsReactor({
      eventStore,
      envelope: infrastructure.envelope,
      keyStore: infrastructure.keyStore,
      ids: uuidV7Ids,
      rulesVersion: '2026.1',
    });

  const runner = (eventStore: EventStore) =>
    new ReactorRunner({
      reactor: reactorOn(eventStore),
      eventStore: infrastructure.eventStore,
      checkpointStore: infrastructure.checkpoints,
      handlerRetry: { initialMs: 5, maxMs: 20 },
    });

  async function runUntilCaughtUp(position: number): Promise<void> {
    const running = runner(infrastructure.eventStore);
    running.start();
    await until(() => running.status().position >= position, 10_000, 'reactor caught up');
    await running.stop();
    expect(running.status().lastError).toBeNull();
  }

  async function caseSampledEvents(): Promise<CaseSampled[]> {
    const found: CaseSampled[] = [];
    let after = 0;
    for (;;) {
      const page = await infrastructure.eventStore.readAll({
        after,
        maxCount: 500,
        filter: { eventTypes: ['CaseSampled'] },
      });
      found.push(...page.events.map((e) => ({ type: 'CaseSampled' as const, data: e.data as CaseSampled['data'] })));
      if (page.isEnd) return found;
      after = page.lastPosition;
    }
  }

  it('killed half-way through a draw of 40 cases, resumes after a restart and leaves exactly the full sample', async () => {
    // The crash: the process dies right after the 15th review stream was written.
    let opened = 0;
    const crash: { done: Promise<void> | null } = { done: null };
    const dying: EventStore = Object.create(infrastructure.eventStore) as EventStore;
    dying.append = async (streamId, events, options) => {
      const result = await infrastructure.eventStore.append(streamId, events, options);
      if (streamId.startsWith('review-')) {
        opened += 1;
        if (opened === 15) crash.done = crashing.kill();
      }
      return result;
    };
    const crashing = runner(dying);
    crashing.start();
    await until(() => crash.done !== null, 10_000, 'the crash');
    await crash.done;
    expect(opened).toBe(15);
    expect((await caseSampledEvents()).length).toBe(15);
    const saved = await infrastructure.checkpoints.load(reactorCheckpointName(OPEN_REVIEWS_REACTOR));
    expect(saved?.position ?? 0).toBeLessThan(drawPosition);

    await runUntilCaughtUp(drawPosition);

    const tenantKey = await tenantPseudonymKey(infrastructure.keyStore, 'jc-a');
    for (const drawnCase of cases) {
      const index = Number(drawnCase.token.slice('token-'.length));
      const clearRef = `123D${String(index).padStart(6, '0')}`;
      const stream = await infrastructure.eventStore.readStream(`review-${drawnCase.reviewId}`);
      expect(stream.map((e) => e.type)).toEqual(['CaseSampled']);
      const data = stream[0]!.data as CaseSampled['data'];
      expect(data).toMatchObject({
        reviewId: drawnCase.reviewId,
        sampleId,
        teamId: 'team-1',
        casePseudonym: { kid: `review:${drawnCase.reviewId}` },
        questionnaireVersion: 3,
        deadline: '2026-03-31',
        origin: { kind: 'draw', replaces: null },
      });
      // Re-sealed under the review's own key, and still the clear reference of the population row.
      expect(data.caseRef.kid).toBe(`review:${drawnCase.reviewId}`);
      expect(await infrastructure.envelope.open(data.caseRef as never)).toBe(clearRef);
      // The tenant's blind index, made from the clear reference (the population keeps only the token) and
      // sealed under the review's key like it.
      expect(await infrastructure.envelope.open(data.casePseudonym as never)).toBe(
        pseudonymise(tenantKey, clearRef, 'case-ref'),
      );
      expect(stream[0]!.metadata.causationId).not.toBeNull();
    }
    const all = await caseSampledEvents();
    expect(all).toHaveLength(40);
    expect(new Set(all.map((e) => e.data.reviewId)).size).toBe(40);
  });

  it('opens supplementary and replacement cases and withdraws the replaced review once, even when redelivered', async () => {
    const extra: DrawnCase = { reviewId: uuidv7(), token: 'token-41', customerGroup: 'ue25', rank: 41 };
    const replacement: DrawnCase = { reviewId: uuidv7(), token: 'token-40', customerGroup: 'u25', rank: 40 };
    await infrastructure.eventStore.append(
      samplingStream,
      [
        event('SupplementaryCasesDrawn', { sampleId, teamId: 'team-1', reason: 'Schwerpunkt', cases: [extra] }),
        event('CaseReplaced', {
          sampleId,
          teamId: 'team-1',
          replacedReviewId: cases[0]!.reviewId,
          reason: 'Fall bereits abgeschlossen',
          replacement,
        }),
      ],
      { expectedRevision: 0 },
    );
    const head = await infrastructure.eventStore.headPosition();
    await runUntilCaughtUp(head);
    // A redelivery (as after a crash before the checkpoint was saved) changes nothing. Checkpoints never
    // move backwards: resetting one is delete, then save.
    await infrastructure.checkpoints.delete(reactorCheckpointName(OPEN_REVIEWS_REACTOR));
    await infrastructure.checkpoints.save(reactorCheckpointName(OPEN_REVIEWS_REACTOR), drawPosition);
    await runUntilCaughtUp(head);

    const supplementary = await infrastructure.eventStore.readStream(`review-${extra.reviewId}`);
    expect(supplementary.map((e) => e.type)).toEqual(['CaseSampled']);
    expect((supplementary[0]!.data as CaseSampled['data']).origin).toEqual({ kind: 'supplementary', replaces: null });
    const replacing = await infrastructure.eventStore.readStream(`review-${replacement.reviewId}`);
    expect((replacing[0]!.data as CaseSampled['data']).origin).toEqual({
      kind: 'replacement',
      replaces: cases[0]!.reviewId,
    });
    const replaced = await infrastructure.eventStore.readStream(`review-${cases[0]!.reviewId}`);
    expect(replaced.map((e) => e.type)).toEqual(['CaseSampled', 'ReviewWithdrawn']);
    expect(replaced[1]!.data as ReviewWithdrawn['data']).toEqual({
      reviewId: cases[0]!.reviewId,
      reason: 'Fall bereits abgeschlossen',
      replacedBy: replacement.reviewId,
    });
    expect(await caseSampledEvents()).toHaveLength(42);
  });

  it('withdraws every review of a voided sample once, each with the reason under its own key', async () => {
    const reason = await infrastructure.envelope.seal(`programme:${programmeId}`, 'falscher Monat gezogen');
    const voidedIds = [cases[1]!.reviewId, cases[2]!.reviewId];
    // The team starts a third review between the void's check and the reactor: that one is left alone.
    const started = cases[3]!.reviewId;
    await infrastructure.eventStore.append(
      `review-${started}`,
      [event('AnswersRecorded', { reviewId: started, answers: [] })],
      { expectedRevision: 0 },
    );
    await infrastructure.eventStore.append(
      samplingStream,
      [event('SampleVoided', { sampleId, teamId: 'team-1', reason, reviewIds: [...voidedIds, started] })],
      { expectedRevision: 2 },
    );
    const head = await infrastructure.eventStore.headPosition();
    await runUntilCaughtUp(head);
    await infrastructure.checkpoints.delete(reactorCheckpointName(OPEN_REVIEWS_REACTOR));
    await infrastructure.checkpoints.save(reactorCheckpointName(OPEN_REVIEWS_REACTOR), head - 1);
    await runUntilCaughtUp(head);
    for (const reviewId of voidedIds) {
      const stream = await infrastructure.eventStore.readStream(`review-${reviewId}`);
      expect(stream.map((e) => e.type)).toEqual(['CaseSampled', 'ReviewWithdrawn']);
      const withdrawn = stream[1]!.data as ReviewWithdrawn['data'];
      expect(withdrawn).toMatchObject({ reviewId, replacedBy: null, reason: { kid: `review:${reviewId}` } });
      expect(await infrastructure.envelope.open(withdrawn.reason as never)).toBe('falscher Monat gezogen');
    }
    expect((await infrastructure.eventStore.readStream(`review-${started}`)).map((e) => e.type)).toEqual([
      'CaseSampled',
      'AnswersRecorded',
    ]);
  });

  it('skips a case whose population key is gone instead of stopping on it, and goes on with later draws', async () => {
    await infrastructure.keyStore.destroy(`population:${populationId}`);
    const lost: DrawnCase = { reviewId: uuidv7(), token: 'token-42', customerGroup: 'u25', rank: 42 };
    await infrastructure.eventStore.append(
      samplingStream,
      [event('SupplementaryCasesDrawn', { sampleId, teamId: 'team-1', reason: 'Schwerpunkt', cases: [lost] })],
      { expectedRevision: 3 },
    );
    await runUntilCaughtUp(await infrastructure.eventStore.headPosition());
    expect(await infrastructure.eventStore.streamInfo(`review-${lost.reviewId}`)).toMatchObject({ revision: null });
  });
});
