import { Controller, Get, Headers, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '../../../../libs/domain/src/authorization/authorization.policy.js';
import { ACCESS_LOG } from '../../../../libs/projections/src/read-models/access-log/access-log.doc.js';
import { minPositionHeader } from '../commands/min-position.js';
import { ReadModelFreshness } from '../commands/read-model-freshness.js';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { AccessLogPageDto, AccessLogQueryDto } from './access-log.dto.js';
import { AccessLogQueries, type AccessLogPage } from './access-log.queries.js';

/**
 * The access log for the internal audit (Interne Revision): who read decrypted personal data, when,
 * through which endpoint and for which purpose. Read-only: no route changes it.
 */
@ApiTags('Zugriffsprotokoll / access log')
@ApiBearerAuth()
@Controller('api/v1/access-log')
export class AccessLogController {
  constructor(
    private readonly queries: AccessLogQueries,
    private readonly freshness: ReadModelFreshness,
  ) {}

  @Get()
  @Action('access-log.read')
  @ApiOperation({
    summary: 'Zugriffe auf personenbezogene Daten (neueste zuerst) / reads of personal data, newest first',
    description:
      'Nur der eigene Jobcenter; enthält keine Kundendaten. Seiten über `after` = `next`. / ' +
      "Own tenant only; holds no customer data. Page with `after` = the previous page's `next`.",
  })
  @ApiHeader({ name: 'X-Min-Position', required: false, description: 'Auf diese Position warten / wait' })
  @ApiOkResponse({ type: AccessLogPageDto })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AccessLogQueryDto,
    @Headers() headers: Record<string, string | undefined>,
  ): Promise<AccessLogPage> {
    await this.freshness.awaitPosition([ACCESS_LOG], minPositionHeader(headers));
    return this.queries.list(principal, query);
  }
}
