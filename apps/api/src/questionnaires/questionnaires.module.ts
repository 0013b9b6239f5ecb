import { Module } from '@nestjs/common';
import { QuestionnaireCatalogues } from './questionnaire-catalogues.js';
import { QuestionnairesController } from './questionnaires.controller.js';
import { QuestionnairesQueries } from './questionnaires.queries.js';

/** Questionnaires: versions, regional additions, the version in force, and the shipped catalogues. */
@Module({
  controllers: [QuestionnairesController],
  providers: [QuestionnairesQueries, QuestionnaireCatalogues],
})
export class QuestionnairesModule {}
