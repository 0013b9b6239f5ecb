import type { AggregateType } from '../../../../libs/application/src/command-pipeline.js';
import {
  crossLevelReviewDecider,
  tenantRegionDecider,
  type CrossLevelReviewCommand,
  type CrossLevelReviewState,
  type TenantRegionCommand,
  type TenantRegionState,
} from '../../../../libs/domain/src/cross-level/cross-level.decider.js';
import {
  CROSS_LEVEL_REVIEW_EVENT_SCHEMAS,
  crossLevelReviewStreamId,
  TENANT_REGION_EVENT_SCHEMAS,
  tenantRegionStreamId,
  type CrossLevelReviewEvent,
  type TenantRegionEvent,
} from '../../../../libs/domain/src/cross-level/cross-level.events.js';

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
