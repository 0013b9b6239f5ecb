import { Module } from '@nestjs/common';

/** HTTP endpoints and queries of the sampling context (filled by its feature work). */
@Module({})
export class SamplingModule {}
