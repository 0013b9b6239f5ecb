import { Module } from '@nestjs/common';

/** HTTP endpoints and queries of the measures context (filled by its feature work). */
@Module({})
export class MeasuresModule {}
