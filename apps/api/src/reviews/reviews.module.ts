import { Module } from '@nestjs/common';

/** HTTP endpoints and queries of the reviews context (filled by its feature work). */
@Module({})
export class ReviewsModule {}
