import { Module } from '@nestjs/common';
import { OrganisationModule } from '../organisation/organisation.module.js';
import { ReviewFacts } from './review.facts.js';
import { ReviewsController } from './reviews.controller.js';
import { ReviewsQueries } from './reviews.queries.js';
import { WorklistController } from './worklist.controller.js';

/** Reviews of sampled cases, the one-on-one talk and the team discussion; the teams' worklists. */
@Module({
  imports: [OrganisationModule],
  controllers: [ReviewsController, WorklistController],
  providers: [ReviewsQueries, ReviewFacts],
})
export class ReviewsModule {}
