import type { AggregateType } from '@pruefpfad/application';
import {
  CROSS_LEVEL_REVIEW_EVENT_SCHEMAS,
  type CrossLevelReviewCommand,
  crossLevelReviewDecider,
  type CrossLevelReviewEvent,
  type CrossLevelReviewState,
  crossLevelReviewStreamId,
  TENANT_REGION_EVENT_SCHEMAS,
  type TenantRegionCommand,
  tenantRegionDecider,
  type TenantRegionEvent,
  type TenantRegionState,
  tenantRegionStreamId,
} from '@pruefpfad/domain';

export const tenantRegionAggregate: AggregateType<TenantRegionCommand, TenantRegionState, TenantRegionEvent> = {
  name: 'tenant-region',
  decider: tenantRegionDecider,
  schemas: TENANT_REGION_EVENT_SCHEMAS,
  streamId: tenantRegionStreamId,
};

/** Approvals live in the approving principal's tenant (the Zentrale's), so no Jobcenter's stream is touched. */
export const crossLevelReviewAggregate: AggregateType<
  CrossLevelReviewCommand,
  CrossLevelReviewState,
  CrossLevelReviewEvent
> = {
  name: 'cross-level-review',
  decider: crossLevelReviewDecider,
  schemas: CROSS_LEVEL_REVIEW_EVENT_SCHEMAS,
  streamId: crossLevelReviewStreamId,
};
