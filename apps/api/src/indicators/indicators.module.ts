import { Module } from '@nestjs/common';
import { OrganisationModule } from '../organisation/organisation.module.js';
import { IndicatorsController } from './indicators.controller.js';

/** The monthly team indicators (004:100): import, rating, joint risk rating, the area's overview. */
@Module({
  imports: [OrganisationModule],
  controllers: [IndicatorsController],
})
export class IndicatorsModule {}
