import { v7 as uuidv7 } from 'uuid';
import { uuidV7Ids } from '@pruefpfad/application';
import { reactorCheckpointName } from '@pruefpfad/projections';
import type { Infrastructure } from '../infrastructure.js';
import {
  openTemporaryInfrastructure,
  testEvent,
  testMetadata,
  type TemporaryInfrastructure,
} from '../testing/embedded-infrastructure.js';
import { OPEN_REVIEWS_REACTOR } from '../reactors/open-reviews.reactor.js';
import { destroyPopulationReferences, type PopulationReferencesEntry } from './population-references.js';

const metadata = testMetadata({ userId: 'bl-1', role: 'area_head' });
const event = (type: string, data: unknown) => testEvent(type, data, metadata);

describe('destroying a population’s references (embedded stores)', () => {
  let temporary: TemporaryInfrastructure;
  let infrastructure: Infrastructure;
  const populationId = uuidv7();
  const programmeId = uuidv7();
  const entry: PopulationReferencesEntry = {
    tenant: 'jc-a',
    populationId,
    programmeId,
    month: '2026-03',
    keptUntil: '2026-04-30',
  };
  const deps = () => ({
    eventStore: infrastructure.eventStore,
    documents: infrastructure.documents,
    keyStore: infrastructure.keyStore,
    purgeLedger: infrastructure.purgeLedger,
    checkpoints: infrastructure.checkpoints,
    clock: { now: () => new Date('2026-05-02T02:00:00.000Z') },
    ids: uuidV7Ids,
    rulesVersion: '2026.1',
    referenceDays: 31,
  });

  beforeAll(async () => {
    temporary = await openTemporaryInfrastructure();
    infrastructure = temporary.infrastructure;
    const caseRef = await infrastructure.envelope.seal(`population:${populationId}`, '123D000001');
    await infrastructure.eventStore.append(
      `population-${populationId}`,
      [
        event('PopulationImported', {
          populationId,
          programmeId,
          month: '2026-03',
          rowCount: 1,
          fingerprint: 'f'.repeat(64),
          source: { format: 'csv', fileName: null },
        }),
        event('PopulationRowsAdded', {
          populationId,
          chunk: 0,
          rows: [{ token: 't', caseRef, customerGroup: 'u25', teamId: 'team-1', process: 'p', needs16a: false }],
        }),
      ],
      { expectedRevision: 'no_stream' },
    );
  });

  afterAll(async () => {
    await temporary?.remove();
  });

  it('waits while the open-reviews reactor has a draw of the month to handle, then destroys the key once', async () => {
    // A draw of the month, its reviews not opened yet: the key must stay.
    const { position } = await infrastructure.eventStore.append(
      `sampling-${programmeId}-2026-03`,
      [event('SampleDrawn', { sampleId: uuidv7(), teamId: 'team-1', cases: [] })],
      { expectedRevision: 'no_stream' },
    );
    expect(await destroyPopulationReferences(deps(), entry)).toBe('deferred');
    expect(await infrastructure.keyStore.isDestroyed(`population:${populationId}`)).toBe(false);

    await infrastructure.checkpoints.save(reactorCheckpointName(OPEN_REVIEWS_REACTOR), position);
    expect(await destroyPopulationReferences(deps(), entry)).toBe('recorded');
    expect(await infrastructure.keyStore.isDestroyed(`population:${populationId}`)).toBe(true);
    expect(await destroyPopulationReferences(deps(), entry)).toBe('already');
    const types = (await infrastructure.eventStore.readStream(`population-${populationId}`)).map((e) => e.type);
    expect(types.filter((type) => type === 'PopulationReferencesDestroyed')).toHaveLength(1);
  });
});
