import { Module } from '@nestjs/common';

/** Retention: legal holds, purge records, the daily purge job. */
@Module({})
export class RetentionModule {}
