import { readStreamState } from '@pruefpfad/application';
import type { MeasureKind } from '@pruefpfad/domain';
import type { EventStore } from '@pruefpfad/event-store';
import { measureAggregate } from './measure.aggregate.js';

/** What a command on a measure decides on before the pipeline runs: whose team it is, and its kind. */
export interface MeasureFacts {
  readonly tenant: string;
  readonly teamId: string;
  readonly kind: MeasureKind;
}

/**
 * The measure of `tenant` as its stream has it, or null (none, another tenant's, or purged with its
 * review). Following up a measure right after agreeing it finds it, whatever the `measures` read model
 * shows yet. Folded afresh (no cache): a purge deletes measure streams.
 */
export async function measureFacts(
  eventStore: EventStore,
  tenant: string,
  measureId: string,
): Promise<MeasureFacts | null> {
  const loaded = await readStreamState(eventStore, measureAggregate, measureId);
  if (loaded === null || loaded.tenant !== tenant || loaded.state.status === 'absent') return null;
  return { tenant, teamId: loaded.state.teamId, kind: loaded.state.kind };
}
