import type {
  ProgrammeDefined,
  ProgrammeEvent,
  ProgrammeRevised,
  ProgrammeSettings,
  Sealed,
  StaffCouncilParticipation,
} from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import type { ProjectionDefinition } from '../projection.js';

/** One entry of the change history (Änderungshistorie, 000:113): visible to every employee. */
export interface ProgrammeChange {
  readonly revision: number;
  readonly at: string;
  readonly byRole: string;
  readonly reason: string;
  readonly changes: Partial<ProgrammeSettings>;
  readonly staffCouncil: StaffCouncilParticipation | null;
  readonly note: Sealed | null;
}

export interface ProgrammeDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly tenant: string;
  readonly areaId: string;
  readonly settings: ProgrammeSettings;
  /** Stream revision: the `ETag` a client sends back as `If-Match`. */
  readonly streamRevision: number;
  readonly definedAt: string;
  readonly updatedAt: string;
  readonly note: Sealed | null;
  readonly changeLog: readonly ProgrammeChange[];
}

type ProgrammeRecorded = RecordedEvent<ProgrammeEvent['data']> & { readonly type: ProgrammeEvent['type'] };

export const programmesProjection: ProjectionDefinition<ProgrammeDoc> = {
  name: 'programmes',
  version: 1,
  // A tenant's programmes in the order they were defined.
  indexes: [{ fields: { tenant: 1, definedAt: 1 } }],
  eventTypes: ['ProgrammeDefined', 'ProgrammeRevised'] satisfies ProgrammeEvent['type'][],
  documentIds: (event) => [(event.data as ProgrammeEvent['data']).programmeId],
  evolve: (doc, recorded) => {
    const event = recorded as ProgrammeRecorded;
    switch (event.type) {
      case 'ProgrammeDefined': {
        const data = event.data as ProgrammeDefined['data'];
        return {
          _id: data.programmeId,
          tenant: event.metadata.tenant,
          areaId: data.settings.areaId,
          settings: data.settings,
          streamRevision: event.revision,
          definedAt: data.definedAt,
          updatedAt: data.definedAt,
          note: data.note,
          changeLog: [
            {
              revision: 0,
              at: data.definedAt,
              byRole: event.metadata.actor.role,
              reason: data.reason,
              changes: data.settings,
              staffCouncil: null,
              note: data.note,
            },
          ],
        };
      }
      case 'ProgrammeRevised': {
        if (doc === null) return null;
        const data = event.data as ProgrammeRevised['data'];
        const settings = { ...doc.settings, ...data.changes };
        return {
          ...doc,
          areaId: settings.areaId,
          settings,
          streamRevision: event.revision,
          updatedAt: data.revisedAt,
          changeLog: [
            ...doc.changeLog,
            {
              revision: data.revision,
              at: data.revisedAt,
              byRole: event.metadata.actor.role,
              reason: data.reason,
              changes: data.changes,
              staffCouncil: data.staffCouncil,
              note: data.note,
            },
          ],
        };
      }
      default: {
        const unreachable: never = event.type;
        return unreachable;
      }
    }
  },
};
