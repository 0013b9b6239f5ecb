import { Module } from '@nestjs/common';
import { OperationsController } from './operations.controller.js';

/** Operators: projection status and rebuilds after rule changes (no case data). */
@Module({
  controllers: [OperationsController],
})
export class OperationsModule {}
