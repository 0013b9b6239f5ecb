import { Module } from '@nestjs/common';

/** HTTP endpoints of the operations context (filled by its feature work). */
@Module({})
export class OperationsModule {}
