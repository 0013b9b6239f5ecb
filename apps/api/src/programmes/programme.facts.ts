import { NotFoundError, type StreamReader } from '@pruefpfad/application';
import type { ProgrammeSettings } from '@pruefpfad/domain';
import { programmeAggregate } from './programme.aggregate.js';

/** A programme as a decision reads it: from its stream, never from the `programmes` read model. */
export interface ProgrammeFacts {
  readonly _id: string;
  readonly tenant: string;
  readonly areaId: string;
  readonly settings: ProgrammeSettings;
  readonly revision: number;
}

/**
 * The programme of `tenant` as of its latest event, or 404 (also for another tenant's programme). A draw
 * or an import right after a revision decides on the revised settings, whatever the read model shows.
 */
export async function programmeFacts(
  streams: StreamReader,
  tenant: string,
  programmeId: string,
): Promise<ProgrammeFacts> {
  const loaded = await streams.read(programmeAggregate, programmeId);
  if (loaded === null || loaded.tenant !== tenant || loaded.state.status !== 'defined')
    throw new NotFoundError(`programme ${programmeId}`);
  const { settings } = loaded.state;
  return { _id: programmeId, tenant, areaId: settings.areaId, settings, revision: loaded.revision };
}
