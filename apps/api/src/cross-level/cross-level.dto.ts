import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const MONTH_MESSAGE = { message: 'Monat im Format yyyy-mm / month as yyyy-mm' };
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const ID_MESSAGE = { message: 'Kennung aus Buchstaben, Ziffern, . _ - / id of letters, digits, . _ -' };
/** A decision reference: no line breaks, no markup; it names a decision, never a person. */
const BASIS = /^[\p{L}\p{N} .,:;/§()'’"„“–_-]{1,200}$/u;

/** `PUT /api/v1/cross-level/region`: the Jobcenter's region (RD-Bezirk). */
export class AssignRegionDto {
  @ApiProperty({ example: 'rd-nrw', description: 'Region (Regionaldirektion) / region' })
  @Matches(ID, ID_MESSAGE)
  region!: string;
}

/** `GET /api/v1/cross-level/trends` and `.csv`. No programme, team or area: per Jobcenter at most. */
export class CrossLevelTrendQueryDto {
  @ApiProperty({ example: '2026-01' })
  @Matches(MONTH, MONTH_MESSAGE)
  from!: string;

  @ApiProperty({ example: '2026-06' })
  @Matches(MONTH, MONTH_MESSAGE)
  to!: string;

  @ApiPropertyOptional({ enum: ['month', 'quarter'], default: 'month' })
  @IsOptional()
  @IsIn(['month', 'quarter'])
  granularity?: 'month' | 'quarter';

  @ApiPropertyOptional({
    example: 'rd-nrw',
    description:
      'Region; Standard: die eigene (RD) bzw. bundesweit (Zentrale) / default: own region (RD), nationwide (Zentrale)',
  })
  @IsOptional()
  @Matches(ID, ID_MESSAGE)
  region?: string;

  @ApiPropertyOptional({ description: 'Fragenkatalog-Id / questionnaire id' })
  @IsOptional()
  @Matches(ID, ID_MESSAGE)
  questionnaire?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  questionnaireVersion?: number;

  @ApiPropertyOptional({ example: 'Dokumentation' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  category?: string;

  @ApiPropertyOptional({ enum: ['minor', 'serious'] })
  @IsOptional()
  @IsIn(['minor', 'serious'])
  severity?: 'minor' | 'serious';
}

/** `POST /api/v1/cross-level-reviews`: the Zentrale's approval (003:78-90). */
export class ApproveCrossLevelReviewDto {
  @ApiProperty({ enum: ['calibration', 'risk-based'] })
  @IsIn(['calibration', 'risk-based'])
  kind!: 'calibration' | 'risk-based';

  @ApiPropertyOptional({ type: [String], description: 'Jobcenter (Mandanten) / tenants; or `region`' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @Matches(ID, { each: true, ...ID_MESSAGE })
  tenants?: string[];

  @ApiPropertyOptional({ description: 'Alle Jobcenter einer Region / every Jobcenter of a region; or `tenants`' })
  @IsOptional()
  @Matches(ID, ID_MESSAGE)
  region?: string;

  @ApiProperty({ example: 'reha', description: 'Kundenprozess / customer process' })
  @Matches(ID, ID_MESSAGE)
  customerProcess!: string;

  @ApiPropertyOptional({ description: 'Nur dieser Fragenkatalog / this questionnaire only' })
  @IsOptional()
  @Matches(ID, ID_MESSAGE)
  questionnaireId?: string;

  @ApiProperty({ example: '2026-02' })
  @Matches(MONTH, MONTH_MESSAGE)
  fromMonth!: string;

  @ApiProperty({ example: '2026-04' })
  @Matches(MONTH, MONTH_MESSAGE)
  toMonth!: string;

  @ApiProperty({
    example: 'Email-Weisung 2026-02-01, BMAS-Genehmigung',
    description: 'Grundlage (Entscheidung, Weisung), nicht personenbezogen / basis (decision reference), not personal',
  })
  @Matches(BASIS, { message: 'höchstens 200 Zeichen, eine Zeile / at most 200 characters, one line' })
  basis!: string;
}

/** `POST /api/v1/cross-level-reviews/:id/closure`. */
export class CloseCrossLevelReviewDto {
  @ApiProperty({ example: 'Maßstäbe gebildet; vorzeitig beendet' })
  @Matches(BASIS, { message: 'höchstens 200 Zeichen, eine Zeile / at most 200 characters, one line' })
  basis!: string;
}
