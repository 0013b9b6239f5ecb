import { v7 as uuidv7 } from 'uuid';
import { type Clock, uuidV7Ids } from '@pruefpfad/application';
import type { EventStore, NewEvent, RecordedEvent } from '@pruefpfad/event-store';
import type { KeyStore } from '@pruefpfad/privacy';
import type { Infrastructure } from '../infrastructure.js';
import {
  openTemporaryInfrastructure,
  testEvent,
  testMetadata,
  type TemporaryInfrastructure,
} from '../testing/embedded-infrastructure.js';
import { purgeReactor } from './purge-reactor.js';

const metadata = testMetadata({ userId: 'tl-1', role: 'team_lead' });
const event = (type: string, data: unknown) => testEvent(type, data, metadata);
const clock: Clock = { now: () => new Date('2027-06-01T00:00:00.000Z') };
const context = { reactor: 'retention-purge', attempt: 1, signal: new AbortController().signal };

/**
 * The purge reactor carries a purge out step by step; a crash at any point is redone by the next delivery
 * of the same event without repeating what was recorded (no second summary once `ReviewSummarised` is in)
 * and without a second purge record. A legal hold stops it before anything changes.
 */
describe('retention purge reactor (embedded stores)', () => {
  let temporary: TemporaryInfrastructure;
  let infrastructure: Infrastructure;

  beforeAll(async () => {
    temporary = await openTemporaryInfrastructure();
    infrastructure = temporary.infrastructure;
  });

  afterAll(async () => {
    await temporary?.remove();
  });

  /** A completed review with a defect, a talk and one measure; personal fields sealed as in production. */
  async function completedReview(): Promise<{ reviewId: string; measureId: string }> {
    const { eventStore, envelope } = infrastructure;
    const reviewId = uuidv7();
    const measureId = uuidv7();
    const key = `review:${reviewId}`;
    await eventStore.append(
      `review-${reviewId}`,
      [
        event('CaseSampled', {
          reviewId,
          sampleId: 's-1',
          programmeId: 'p-1',
          areaId: 'leistung',
          teamId: 'team-1',
          month: '2026-03',
          casePseudonym: 'ps-1',
          caseRef: await envelope.seal(key, '123D000042'),
          customerGroup: 'u25',
          questionnaireId: 'q-1',
          questionnaireVersion: 1,
          deadline: '2026-03-31',
          origin: { kind: 'draw', replaces: null },
        }),
        event('DefectRecorded', {
          reviewId,
          defectId: 'd-1',
          questionId: 'q1',
          category: 'Leistungsberechnung',
          severity: 'serious',
          legalNorm: '§ 11 SGB II',
          description: await envelope.seal(key, 'Einkommen nicht angerechnet'),
          financialLoss: true,
          asDeputy: false,
        }),
        event('ReviewCompleted', {
          reviewId,
          outcome: 'not-goal-directed',
          summary: await envelope.seal(key, 'Zusammenfassung'),
          completedAt: '2026-03-20T10:00:00.000Z',
          completedOn: '2026-03-20',
          asDeputy: false,
        }),
        event('TalkHeld', {
          reviewId,
          date: '2026-03-22',
          employee: await envelope.seal(key, 'Erika Beispiel'),
          outcome: await envelope.seal(key, 'besprochen'),
          asDeputy: false,
        }),
      ],
      { expectedRevision: 'no_stream' },
    );
    await eventStore.append(
      `measure-${measureId}`,
      [
        event('MeasureAgreed', {
          measureId,
          tenant: 'jc-a',
          areaId: 'leistung',
          teamId: 'team-1',
          reviewId,
          kind: 'feedback',
          scope: 'individual',
          owner: await envelope.seal(`measure:${measureId}`, 'Erika Beispiel'),
          description: await envelope.seal(`measure:${measureId}`, 'Rückmeldung'),
          dueDate: '2026-04-30',
          agreedOn: '2026-03-22',
          decidedByRole: 'team_lead',
        }),
      ],
      { expectedRevision: 'no_stream' },
    );
    return { reviewId, measureId };
  }

  async function startPurge(reviewId: string, measureIds: string[], revision: number | 'no_stream') {
    await infrastructure.eventStore.append(
      `purge-${reviewId}`,
      [
        event('ReviewPurgeStarted', {
          reviewId,
          tenant: 'jc-a',
          retentionEndedOn: '2027-03-20',
          retentionMonths: 12,
          measureIds,
          trigger: 'daily-job',
        }),
      ],
      { expectedRevision: revision },
    );
    const stream = await infrastructure.eventStore.readStream(`purge-${reviewId}`);
    return stream[stream.length - 1]!;
  }

  const types = async (streamId: string): Promise<string[]> =>
    (await infrastructure.eventStore.readStream(streamId)).map((recorded) => recorded.type);

  const summariesOf = async (reviewId: string): Promise<RecordedEvent[]> =>
    (await infrastructure.eventStore.readStream('retention-jc-a')).filter(
      (recorded) => (recorded.data as { reviewId: string }).reviewId === reviewId,
    );

  const reactor = (keyStore: KeyStore = infrastructure.keyStore) =>
    purgeReactor({
      eventStore: infrastructure.eventStore,
      keyStore,
      purgeLedger: infrastructure.purgeLedger,
      clock,
      ids: uuidV7Ids,
      rulesVersion: '2026.1',
    });

  it('resumes a purge that crashed half-way, records one summary and one purge record', async () => {
    const { reviewId, measureId } = await completedReview();
    const started = await startPurge(reviewId, [measureId], 'no_stream');
    // A crash after the review's key was destroyed and before the measure's: the process dies there.
    let destroyed = 0;
    const crashing: KeyStore = new Proxy(infrastructure.keyStore, {
      get(target, property, receiver) {
        if (property === 'destroy')
          return async (keyId: string) => {
            if ((destroyed += 1) > 1) throw new Error('power cut');
            await target.destroy(keyId);
          };
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    await expect(reactor(crashing).handle(started, context)).rejects.toThrow('power cut');
    expect(await types(`purge-${reviewId}`)).toEqual(['ReviewPurgeStarted', 'ReviewSummarised']);
    expect(await infrastructure.keyStore.isDestroyed(`review:${reviewId}`)).toBe(true);
    expect(await infrastructure.keyStore.isDestroyed(`measure:${measureId}`)).toBe(false);
    expect((await infrastructure.eventStore.readStream(`review-${reviewId}`)).length).toBe(4);

    // The redelivery finishes the rest; further deliveries change nothing.
    await reactor().handle(started, context);
    await reactor().handle(started, context);
    expect(await types(`purge-${reviewId}`)).toEqual(['ReviewPurgeStarted', 'ReviewSummarised', 'ReviewPurged']);
    expect(await infrastructure.keyStore.isDestroyed(`measure:${measureId}`)).toBe(true);
    expect(await infrastructure.eventStore.readStream(`review-${reviewId}`)).toEqual([]);
    expect(await infrastructure.eventStore.readStream(`measure-${measureId}`)).toEqual([]);
    const [summary, ...more] = await summariesOf(reviewId);
    expect(more).toEqual([]);
    expect(summary?.data).toMatchObject({
      reviewId,
      teamId: 'team-1',
      month: '2026-03',
      outcome: 'not-goal-directed',
      completedOn: '2026-03-20',
      defects: [{ category: 'Leistungsberechnung', severity: 'serious', financialLoss: true, withdrawn: false }],
      talks: 1,
      measuresAgreed: 1,
      measures: [{ measureId, kind: 'feedback', status: 'open', dueDate: '2026-04-30' }],
    });
    expect(JSON.stringify(summary?.data)).not.toMatch(/\$sealed|Erika|123D000042|ps-1/);
    const [record] = (await infrastructure.eventStore.readStream(`purge-${reviewId}`)).slice(-1);
    expect(record?.data).toMatchObject({
      streamsDeleted: [`review-${reviewId}`, `measure-${measureId}`, `legal-hold-${reviewId}`],
      keysDestroyed: 2,
      purgedAt: '2027-06-01T00:00:00.000Z',
    });
  });

  it('stops at a legal hold before changing anything, and a new start after the lift purges', async () => {
    const { reviewId, measureId } = await completedReview();
    const { envelope, eventStore } = infrastructure;
    await eventStore.append(
      `legal-hold-${reviewId}`,
      [
        event('LegalHoldPlaced', {
          reviewId,
          tenant: 'jc-a',
          reason: await envelope.seal(`review:${reviewId}`, 'Klage anhängig'),
          placedOn: '2027-05-01',
        }),
      ],
      { expectedRevision: 'no_stream' },
    );
    const first = await startPurge(reviewId, [measureId], 'no_stream');
    await reactor().handle(first, context);
    expect(await types(`purge-${reviewId}`)).toEqual(['ReviewPurgeStarted', 'ReviewPurgeHeld']);
    expect(await infrastructure.keyStore.isDestroyed(`review:${reviewId}`)).toBe(false);
    expect(await summariesOf(reviewId)).toEqual([]);
    expect((await eventStore.readStream(`review-${reviewId}`)).length).toBe(4);

    await eventStore.append(
      `legal-hold-${reviewId}`,
      [
        event('LegalHoldLifted', {
          reviewId,
          tenant: 'jc-a',
          reason: await envelope.seal(`review:${reviewId}`, 'Verfahren beendet'),
          liftedOn: '2027-05-20',
        }),
      ],
      { expectedRevision: 0 },
    );
    const second = await startPurge(reviewId, [measureId], 1);
    // The superseded start is history: delivering it again does nothing.
    await reactor().handle(first, context);
    expect(await types(`purge-${reviewId}`)).toHaveLength(3);
    await reactor().handle(second, context);
    expect(await types(`purge-${reviewId}`)).toEqual([
      'ReviewPurgeStarted',
      'ReviewPurgeHeld',
      'ReviewPurgeStarted',
      'ReviewSummarised',
      'ReviewPurged',
    ]);
    expect(await eventStore.readStream(`legal-hold-${reviewId}`)).toEqual([]);
    expect(await summariesOf(reviewId)).toHaveLength(1);
  });

  it('a hold placed while the purge closes the hold check wins, and none is accepted once it is closed', async () => {
    const { reviewId, measureId } = await completedReview();
    const { envelope, eventStore } = infrastructure;
    const placeHold = async (expectedRevision: number | 'no_stream') =>
      eventStore.append(
        `legal-hold-${reviewId}`,
        [
          event('LegalHoldPlaced', {
            reviewId,
            tenant: 'jc-a',
            reason: await envelope.seal(`review:${reviewId}`, 'Revision angekündigt'),
            placedOn: '2027-06-01',
          }),
        ],
        { expectedRevision },
      );
    // The legal department's hold lands between the purge's check and its closing append.
    let raced = false;
    const racing: EventStore = new Proxy(eventStore, {
      get(target, property, receiver) {
        if (property === 'append')
          return async (streamId: string, events: readonly NewEvent[], options: { expectedRevision: unknown }) => {
            if (!raced && events[0]?.type === 'LegalHoldClosedForPurge') {
              raced = true;
              await placeHold('no_stream');
            }
            return target.append(streamId, events, options as never);
          };
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const started = await startPurge(reviewId, [measureId], 'no_stream');
    await purgeReactor({
      eventStore: racing,
      keyStore: infrastructure.keyStore,
      purgeLedger: infrastructure.purgeLedger,
      clock,
      ids: uuidV7Ids,
      rulesVersion: '2026.1',
    }).handle(started, context);
    expect(raced).toBe(true);
    expect(await types(`purge-${reviewId}`)).toEqual(['ReviewPurgeStarted', 'ReviewPurgeHeld']);
    expect(await types(`legal-hold-${reviewId}`)).toEqual(['LegalHoldPlaced']);
    expect(await infrastructure.keyStore.isDestroyed(`review:${reviewId}`)).toBe(false);

    // Without the race the purge closes the hold stream first: a later hold is refused by the decider.
    const other = await completedReview();
    await reactor().handle(await startPurge(other.reviewId, [other.measureId], 'no_stream'), context);
    expect(await types(`purge-${other.reviewId}`)).toEqual(['ReviewPurgeStarted', 'ReviewSummarised', 'ReviewPurged']);
  });
});
