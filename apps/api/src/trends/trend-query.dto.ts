import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** `GET /api/v1/trends` and `/api/v1/trends.csv`. */
export class TrendQueryDto {
  @ApiProperty({ example: '2025-01', description: 'Erster Monat (yyyy-mm) / first month' })
  @Matches(MONTH, { message: 'Monat im Format yyyy-mm / month as yyyy-mm' })
  from!: string;

  @ApiProperty({ example: '2025-12', description: 'Letzter Monat (yyyy-mm) / last month' })
  @Matches(MONTH, { message: 'Monat im Format yyyy-mm / month as yyyy-mm' })
  to!: string;

  @ApiPropertyOptional({ enum: ['month', 'quarter'], default: 'month' })
  @IsOptional()
  @IsIn(['month', 'quarter'])
  granularity?: 'month' | 'quarter';

  @ApiPropertyOptional({
    example: 'area:markt-integration',
    description: '`tenant` (Standard / default), `area:<id>` oder / or `team:<id>`',
  })
  @IsOptional()
  @Matches(/^(tenant|area:[A-Za-z0-9][A-Za-z0-9._-]{0,99}|team:[A-Za-z0-9][A-Za-z0-9._-]{0,99})$/, {
    message: 'tenant, area:<id> oder / or team:<id>',
  })
  scope?: string;

  @ApiPropertyOptional({ description: 'Prüfplan-Id / programme id' })
  @IsOptional()
  @Matches(ID)
  programme?: string;

  @ApiPropertyOptional({ description: 'Fragenkatalog-Id / questionnaire id' })
  @IsOptional()
  @Matches(ID)
  questionnaire?: string;

  @ApiPropertyOptional({ description: 'Version des Fragenkatalogs / questionnaire version' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  questionnaireVersion?: number;

  @ApiPropertyOptional({ example: 'Dokumentation', description: 'Mängelkategorie / defect category' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  category?: string;

  @ApiPropertyOptional({ enum: ['minor', 'serious'] })
  @IsOptional()
  @IsIn(['minor', 'serious'])
  severity?: 'minor' | 'serious';
}
