import { Module } from '@nestjs/common';

/** HTTP endpoints and queries of the dashboards context (filled by its feature work). */
@Module({})
export class DashboardsModule {}
