import { Module } from '@nestjs/common';
import { RoutinesController } from './routines.controller.js';
import { trendRulesProvider } from './trend-rules.provider.js';
import { TrendsController } from './trends.controller.js';
import { TrendsQueries } from './trends.queries.js';

/** Trends over time for management, and management's decisions on review routines. */
@Module({
  controllers: [TrendsController, RoutinesController],
  providers: [TrendsQueries, trendRulesProvider],
  // The management dashboard lists suspended routines and how each relates to the tolerance test.
  exports: [TrendsQueries],
})
export class TrendsModule {}
