import { Module } from '@nestjs/common';

/** HTTP endpoints of the audit context (filled by its feature work). */
@Module({})
export class AuditModule {}
