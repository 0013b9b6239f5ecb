import { Module } from '@nestjs/common';

/** HTTP endpoints and queries of the questionnaires context (filled by its feature work). */
@Module({})
export class QuestionnairesModule {}
