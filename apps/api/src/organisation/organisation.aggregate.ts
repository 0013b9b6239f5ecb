import type { AggregateType } from '@pruefpfad/application';
import {
  ORGANISATION_EVENT_SCHEMAS,
  type OrganisationCommand,
  organisationDecider,
  type OrganisationEvent,
  type OrganisationState,
  organisationStreamId,
} from '@pruefpfad/domain';

/** One organisation per tenant: the aggregate id is the tenant, the stream `organisation-<tenant>`. */
export const organisationAggregate: AggregateType<OrganisationCommand, OrganisationState, OrganisationEvent> = {
  name: 'organisation',
  decider: organisationDecider,
  schemas: ORGANISATION_EVENT_SCHEMAS,
  streamId: organisationStreamId,
};
