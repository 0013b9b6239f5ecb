import { Module } from '@nestjs/common';
import { ActingRights } from './acting-rights.js';

/** Organisation (areas, teams, team leads, deputies, absences, delegations) and who may act for a team. */
@Module({
  providers: [ActingRights],
  exports: [ActingRights],
})
export class OrganisationModule {}
