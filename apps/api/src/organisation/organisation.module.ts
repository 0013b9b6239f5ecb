import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module.js';
import { ActingRights } from './acting-rights.js';
import { OrganisationCommands } from './organisation-commands.service.js';
import { OrganisationController } from './organisation.controller.js';
import { OrganisationQueries } from './organisation.queries.js';

/** Organisation (areas, teams, team leads, deputies, absences, delegations) and who may act for a team. */
@Module({
  imports: [MailModule],
  controllers: [OrganisationController],
  providers: [ActingRights, OrganisationCommands, OrganisationQueries],
  exports: [ActingRights],
})
export class OrganisationModule {}
