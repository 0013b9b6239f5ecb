import { Module } from '@nestjs/common';

/** Cross-level views (Regionaldirektion, Zentrale) and cross-level reviews, without personal data. */
@Module({})
export class CrossLevelModule {}
