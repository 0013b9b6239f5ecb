import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@pruefpfad/domain';
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
  async worklist(
    @CurrentPrincipal() principal: Principal,
    @Param('teamId') teamId: string,
    @Query() query: WorklistQueryDto,
  ): Promise<WorklistView> {
    return this.queries.worklist(principal, teamId, query.month);
  }
}
