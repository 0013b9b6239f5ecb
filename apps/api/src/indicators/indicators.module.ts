import { Module } from '@nestjs/common';
import { OrganisationModule } from '../organisation/organisation.module.js';
import { RisksModule } from '../risks/risks.module.js';
import { IndicatorRatingDeadlines } from './indicator-rating.deadlines.js';
import { IndicatorsController } from './indicators.controller.js';

/**
 * The monthly team indicators (004:100): import, rating, joint risk rating, the area's overview. The
 * team's risk is placed on the risk register's matrix in force, read through `RisksQueries`.
 */
@Module({
  imports: [OrganisationModule, RisksModule],
  controllers: [IndicatorsController],
  providers: [IndicatorRatingDeadlines],
})
export class IndicatorsModule {}
