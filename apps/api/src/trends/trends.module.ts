import { Module } from '@nestjs/common';

/** HTTP endpoints of the trends context (filled by its feature work). */
@Module({})
export class TrendsModule {}
