import { Module } from '@nestjs/common';
import { OrganisationModule } from '../organisation/organisation.module.js';
import { MeasuresController } from './measures.controller.js';
import { MeasuresQueries } from './measures.queries.js';

/** Measures after reviews: agreement, follow-ups, completion or cancellation; per-team counts for area heads. */
@Module({
  imports: [OrganisationModule],
  controllers: [MeasuresController],
  providers: [MeasuresQueries],
})
export class MeasuresModule {}
