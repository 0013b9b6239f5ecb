import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { verifyChains } from '@pruefpfad/composition';
import type { Principal } from '@pruefpfad/domain';
import type { EventStore } from '@pruefpfad/event-store';
import { AccessDeniedError, visibility } from '../security/assert-can-access.js';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { EVENT_STORE } from '../runtime/tokens.js';
import {
  ChainVerificationQueryDto,
  ChainVerificationView,
  DEFAULT_CHAIN_CHECK_LIMIT,
} from './chain-verification.dto.js';

/**
 * Tamper evidence over HTTP: the same check as `npm run cli -- verify-chain`, in bounded parts. Auditors
 * see their Jobcenter's streams (tenant in the events' metadata or in the seal); operators the whole
 * store. Either way only technical facts (stream, revision, position, reason), never event content.
 */
@ApiTags('Prüfpfad / audit')
@ApiBearerAuth()
@Controller('api/v1/audit/chain-verification')
export class ChainVerificationController {
  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  @Get()
  @Action('audit.verify-chain')
  @ApiOkResponse({ type: ChainVerificationView })
  async verify(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ChainVerificationQueryDto,
  ): Promise<ChainVerificationView> {
    const seen = visibility(principal, 'audit.verify-chain');
    if (seen.kind === 'nothing' || seen.kind === 'units')
      throw new AccessDeniedError('forbidden', 'audit.verify-chain');
    const tenant = seen.kind === 'tenant' ? seen.tenant : undefined;
    const report = await verifyChains(this.eventStore, {
      ...(query.stream === undefined ? {} : { streamId: query.stream }),
      ...(tenant === undefined ? {} : { tenant }),
      after: query.after ?? 0,
      maxEvents: query.limit ?? DEFAULT_CHAIN_CHECK_LIMIT,
    });
    // An unknown stream and another tenant's stream answer alike.
    if (report === null) throw new AccessDeniedError('not-found', 'audit.verify-chain');
    return { ...report, findings: [...report.findings] };
  }
}
