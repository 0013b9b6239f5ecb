import type { AggregateType } from '../../../../libs/application/src/command-pipeline.js';
import {
  organisationDecider,
  type OrganisationCommand,
  type OrganisationState,
} from '../../../../libs/domain/src/organisation/organisation.decider.js';
import {
  ORGANISATION_EVENT_SCHEMAS,
  organisationStreamId,
  type OrganisationEvent,
} from '../../../../libs/domain/src/organisation/organisation.events.js';

/** One organisation per tenant: the aggregate id is the tenant, the stream `organisation-<tenant>`. */
export const organisationAggregate: AggregateType<OrganisationCommand, OrganisationState, OrganisationEvent> = {
  name: 'organisation',
  decider: organisationDecider,
  schemas: ORGANISATION_EVENT_SCHEMAS,
  streamId: organisationStreamId,
};
