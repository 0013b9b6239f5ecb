import { Global, Module } from '@nestjs/common';
import { RetentionController } from './retention.controller.js';
import { RetentionRecords } from './retention-records.js';
import { RetentionScheduler } from './retention-scheduler.js';
import { RetentionService } from './retention.service.js';

/**
 * Retention (000:92): legal holds, purge records, the daily purge job and the operator's purge run.
 * Global so that every feature answering for a review can answer 410 for a purged one (`RetentionRecords`).
 */
@Global()
@Module({
  controllers: [RetentionController],
  providers: [RetentionRecords, RetentionService, RetentionScheduler],
  exports: [RetentionRecords],
})
export class RetentionModule {}
