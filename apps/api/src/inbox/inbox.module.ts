import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MailModule } from '../mail/mail.module.js';
import { CORE_DEADLINE_SOURCES } from './core-deadline-sources.js';
import { DeadlineCalendar } from './deadline-calendar.js';
import { DeadlineDigest } from './deadline-digest.js';
import { InboxController } from './inbox.controller.js';

/** Deadlines and reminders: the calendar (sources discovered across modules), the inbox and the digest. */
@Module({
  imports: [DiscoveryModule, MailModule],
  controllers: [InboxController],
  providers: [...CORE_DEADLINE_SOURCES, DeadlineCalendar, DeadlineDigest],
  exports: [DeadlineCalendar],
})
export class InboxModule {}
