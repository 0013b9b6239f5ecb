import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Principal } from '../../../../libs/domain/src/authorization/authorization.policy.js';
import { minPositionHeader } from '../commands/min-position.js';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { WorklistQueryDto } from './review.dto.js';
import { ReviewsQueries, type WorklistView } from './reviews.queries.js';

/** A team's worklist: the month's reviews, the ones still open from earlier months, and what is overdue. */
@ApiTags('Prüfungen / reviews')
@ApiBearerAuth()
@Controller('api/v1/teams')
export class WorklistController {
  constructor(private readonly queries: ReviewsQueries) {}

  @Get(':teamId/worklist')
  @Action('worklist.read')
  @ApiHeader({ name: 'X-Min-Position', required: false, description: 'Auf diese Position warten / wait' })
  async worklist(
    @CurrentPrincipal() principal: Principal,
    @Param('teamId') teamId: string,
    @Query() query: WorklistQueryDto,
    @Headers() headers: Record<string, string | undefined>,
  ): Promise<WorklistView> {
    await this.queries.awaitPosition(minPositionHeader(headers));
    return this.queries.worklist(principal, teamId, query.month);
  }
}
