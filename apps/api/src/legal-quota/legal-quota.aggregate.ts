import type { AggregateType } from '@pruefpfad/application';
import {
  LEGAL_QUOTA_EVENT_SCHEMAS,
  type LegalQuotaCommand,
  legalQuotaDecider,
  type LegalQuotaEvent,
  type LegalQuotaState,
  legalQuotaStreamId,
} from '@pruefpfad/domain';

/** Aggregate id = quota id (`<tenant>-<yyyy-mm>`): one stream per tenant and month. */
export const legalQuotaAggregate: AggregateType<LegalQuotaCommand, LegalQuotaState, LegalQuotaEvent> = {
  name: 'legal-quota',
  decider: legalQuotaDecider,
  schemas: LEGAL_QUOTA_EVENT_SCHEMAS,
  streamId: legalQuotaStreamId,
};
