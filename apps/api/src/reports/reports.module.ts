import { Module } from '@nestjs/common';

/** HTTP endpoints and queries of the reports context (filled by its feature work). */
@Module({})
export class ReportsModule {}
