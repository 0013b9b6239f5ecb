import type { OrganisationEvent } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import type { ProjectionDefinition } from '../../projection.js';
import { ORGANISATION_UNITS, organisationUnitDocId, type OrganisationUnitDoc } from './organisation-unit.doc.js';

type OrganisationRecorded = RecordedEvent & OrganisationEvent;

const unitIdOf = (event: OrganisationEvent): string => {
  switch (event.type) {
    case 'UnitDefined':
    case 'UnitRevised':
      return event.data.unitId;
    case 'TeamLeadAssigned':
    case 'AbsenceRecorded':
    case 'AbsenceCancelled':
    case 'DelegationApproved':
      return event.data.teamId;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
};

/**
 * `organisation-units`: one document per area or team of a tenant (shape in organisation-unit.doc.ts).
 * Names of people stay sealed; query services open them after authorisation.
 */
export const organisationUnitsProjection: ProjectionDefinition<OrganisationUnitDoc> = {
  name: ORGANISATION_UNITS,
  version: 1,
  // A tenant's units by id; its teams or areas (of one area) by id.
  indexes: [{ fields: { tenant: 1, unitId: 1 } }, { fields: { tenant: 1, kind: 1, parentId: 1, unitId: 1 } }],
  eventTypes: [
    'UnitDefined',
    'UnitRevised',
    'TeamLeadAssigned',
    'AbsenceRecorded',
    'AbsenceCancelled',
    'DelegationApproved',
  ] satisfies OrganisationEvent['type'][],
  documentIds: (recorded) => [
    organisationUnitDocId(recorded.metadata.tenant, unitIdOf(recorded as OrganisationRecorded)),
  ],
  evolve: (doc, recorded, documentId) => {
    const event = recorded as OrganisationRecorded;
    switch (event.type) {
      case 'UnitDefined':
      case 'UnitRevised': {
        const { unitId, kind, parentId, name, process } = event.data;
        return {
          _id: documentId,
          tenant: event.metadata.tenant,
          unitId,
          kind,
          parentId,
          name,
          process,
          teamLead: doc?.teamLead ?? null,
          deputy: doc?.deputy ?? null,
          absences: doc?.absences ?? [],
          delegations: doc?.delegations ?? [],
        };
      }
      case 'TeamLeadAssigned': {
        if (doc === null) return null;
        const data = event.data;
        return {
          ...doc,
          teamLead: { subject: data.leadSubject, name: data.leadName, since: data.since },
          deputy: data.deputySubject === null ? null : { subject: data.deputySubject, name: data.deputyName },
        };
      }
      case 'AbsenceRecorded': {
        if (doc === null) return null;
        const { absenceId, from, to } = event.data;
        return { ...doc, absences: [...doc.absences, { absenceId, from, to }] };
      }
      case 'AbsenceCancelled':
        if (doc === null) return null;
        return { ...doc, absences: doc.absences.filter((absence) => absence.absenceId !== event.data.absenceId) };
      case 'DelegationApproved': {
        if (doc === null) return null;
        const { delegationId, toSubject, from, to } = event.data;
        return { ...doc, delegations: [...doc.delegations, { delegationId, toSubject, from, to }] };
      }
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
};
