import { Module } from '@nestjs/common';
import { trendRulesProvider } from '../trends/trend-rules.provider.js';
import { CrossLevelReviewsController } from './cross-level-reviews.controller.js';
import { CrossLevelReviewsService } from './cross-level-reviews.service.js';
import { CrossLevelScope } from './cross-level-scope.js';
import { CrossLevelTrendsService } from './cross-level-trends.service.js';
import { CrossLevelController } from './cross-level.controller.js';

/** Cross-level views (Regionaldirektion, Zentrale) and cross-level reviews, without personal data. */
@Module({
  controllers: [CrossLevelController, CrossLevelReviewsController],
  providers: [CrossLevelScope, CrossLevelTrendsService, CrossLevelReviewsService, trendRulesProvider],
})
export class CrossLevelModule {}
