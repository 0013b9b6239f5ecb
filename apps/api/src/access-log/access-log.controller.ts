import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@pruefpfad/domain';
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
  constructor(private readonly queries: AccessLogQueries) {}

  @Get()
  @Action('access-log.read')
  @ApiOperation({
    summary: 'Zugriffe auf personenbezogene Daten (neueste zuerst) / reads of personal data, newest first',
    description:
      'Nur der eigene Jobcenter; enthält keine Kundendaten. Seiten über `after` = `next`. / ' +
      "Own tenant only; holds no customer data. Page with `after` = the previous page's `next`.",
  })
  @ApiOkResponse({ type: AccessLogPageDto })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: AccessLogQueryDto): Promise<AccessLogPage> {
    return this.queries.list(principal, query);
  }
}
