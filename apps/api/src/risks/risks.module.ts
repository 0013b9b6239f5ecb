import { Module } from '@nestjs/common';
import { trendRulesProvider } from '../trends/trend-rules.provider.js';
import { RisksController } from './risks.controller.js';
import { RisksQueries } from './risks.queries.js';

/** The risk register of the internal control system (issue 12, 001:107–125). */
@Module({
  controllers: [RisksController],
  providers: [RisksQueries, trendRulesProvider],
  exports: [RisksQueries],
})
export class RisksModule {}
