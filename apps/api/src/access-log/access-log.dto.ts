import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { ACCESS_PURPOSES, ACCESS_RESOURCE_KINDS } from '@pruefpfad/domain';

const LOCAL_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const ACCESS_LOG_DEFAULT_LIMIT = 50;
export const ACCESS_LOG_MAX_LIMIT = 500;

export class AccessLogQueryDto {
  @ApiPropertyOptional({ description: 'Nur Zugriffe auf diese Prüfung / only reads of this review (id)' })
  @IsOptional()
  @IsUUID()
  review?: string;

  @ApiPropertyOptional({ description: 'Nur Zugriffe dieser Person (Subject) / only reads by this subject' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  actor?: string;

  @ApiPropertyOptional({ example: '2026-03-01', description: 'Ab diesem Tag (Europe/Berlin, inklusive) / from day' })
  @IsOptional()
  @Matches(LOCAL_DATE, { message: 'yyyy-mm-dd' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-03-31', description: 'Bis zu diesem Tag (Europe/Berlin, inklusive) / to day' })
  @IsOptional()
  @Matches(LOCAL_DATE, { message: 'yyyy-mm-dd' })
  to?: string;

  @ApiPropertyOptional({ default: ACCESS_LOG_DEFAULT_LIMIT, maximum: ACCESS_LOG_MAX_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(ACCESS_LOG_MAX_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'Cursor: `next` der vorigen Seite / `next` of the previous page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  after?: number;
}

class AccessedResourceDto {
  @ApiProperty({ enum: ACCESS_RESOURCE_KINDS }) kind!: string;
  @ApiProperty() id!: string;
  @ApiProperty({ nullable: true, type: String }) reviewId!: string | null;
}

class AccessActorDto {
  @ApiProperty() subject!: string;
  @ApiProperty() role!: string;
}

export class AccessLogEntryDto {
  @ApiProperty({ description: 'Ereignis-Id / event id' }) id!: string;
  @ApiProperty({ description: 'Zeitpunkt (UTC) / instant' }) at!: string;
  @ApiProperty({ type: AccessActorDto }) actor!: AccessActorDto;
  @ApiProperty({ enum: ACCESS_PURPOSES }) purpose!: string;
  @ApiProperty({ example: 'GET /api/v1/reviews/:id' }) endpoint!: string;
  @ApiProperty({ type: [AccessedResourceDto] }) resources!: AccessedResourceDto[];
  @ApiProperty({ type: [String], description: 'Geöffnete Felder (nur Namen) / fields opened (names only)' })
  fields!: string[];
  @ApiProperty() correlationId!: string;
  @ApiProperty({ description: 'Ereignisstrom (hash-verkettet) / event stream (HMAC-chained)' }) streamId!: string;
}

export class AccessLogPageDto {
  @ApiProperty({ type: [AccessLogEntryDto] }) items!: AccessLogEntryDto[];
  @ApiProperty({ nullable: true, type: Number, description: 'Cursor für `after` / cursor for `after`' })
  next!: number | null;
}
