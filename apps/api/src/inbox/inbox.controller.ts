import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@pruefpfad/domain';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { type Inbox, DeadlineCalendar } from './deadline-calendar.js';
import { DeadlineDigest, type DigestRun } from './deadline-digest.js';

/** Each person's deadlines (issue 12): derived from the read models, filtered by the policy. */
@ApiTags('Fristen / deadlines')
@ApiBearerAuth()
@Controller('api/v1/inbox')
export class InboxController {
  constructor(
    private readonly calendar: DeadlineCalendar,
    private readonly digest: DeadlineDigest,
  ) {}

  @Get()
  @Action('inbox.read')
  @ApiOperation({
    summary: 'Eigene Fristen: überfällig und demnächst fällig / own deadlines: overdue and due soon',
  })
  inbox(@CurrentPrincipal() principal: Principal): Promise<Inbox> {
    return this.calendar.inbox(principal);
  }

  @Post('digest')
  @HttpCode(202)
  @Action('inbox.digest.send')
  @ApiOperation({
    summary:
      'Heutige E-Mail-Übersicht jetzt einreihen (einmal je Person und Tag) / queue today’s e-mail digest now (once per person and day)',
  })
  send(@CurrentPrincipal() principal: Principal): Promise<DigestRun> {
    return this.digest.queueFor(principal.tenant);
  }
}
