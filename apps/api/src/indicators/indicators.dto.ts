import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { INDICATOR_KINDS, INDICATOR_RATINGS, type IndicatorRating } from '@pruefpfad/domain';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

export class IndicatorImportQueryDto {
  @ApiPropertyOptional({
    description: 'Stichtag jjjj-mm-tt, Standard: letzter Tag des Monats / reference date, default: last day',
  })
  @IsOptional()
  @Matches(LOCAL_DATE)
  referenceDate?: string;

  @ApiPropertyOptional({ description: 'Grund für einen Ersatz / reason for a replacement' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class MonthParamDto {
  @Matches(MONTH)
  month!: string;
}

export class RateIndicatorDto {
  @ApiProperty({ enum: INDICATOR_RATINGS, description: 'grün/gelb/rot / green/amber/red' })
  @IsIn(INDICATOR_RATINGS)
  rating!: IndicatorRating;

  @ApiPropertyOptional({
    description: 'Bewertung und eingeleitete Maßnahmen (bei Gelb/Rot Pflicht) / assessment and measures taken',
  })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  comment?: string;

  @ApiPropertyOptional({ type: [String], description: 'Maßnahmen des Teams / measures of the team' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  measureIds?: string[];
}

export const INDICATOR_PARAM = INDICATOR_KINDS;

export class ProposeTeamRiskDto {
  @ApiProperty({ description: 'Schadensausmaß (Stufe) / impact level' })
  @IsInt()
  @Min(1)
  @Max(10)
  impact!: number;

  @ApiProperty({ description: 'Eintrittswahrscheinlichkeit (Stufe) / likelihood level' })
  @IsInt()
  @Min(1)
  @Max(10)
  likelihood!: number;

  @ApiProperty({ description: 'Begründung / reason' })
  @IsString()
  @MaxLength(4000)
  reason!: string;
}

export class IndicatorSettingsDto {
  @ApiProperty({ description: 'Beratungsabstand in Monaten (1–6) / contact interval in months (1–6)' })
  @IsInt()
  @Min(1)
  @Max(6)
  contactIntervalMonths!: number;

  @ApiPropertyOptional({ description: 'Anteil Beratungszeit in % (Standard 60) / counselling share %' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  counsellingSharePercent?: number;

  @ApiPropertyOptional({ description: 'Termindauer in Minuten (Standard 60) / slot minutes' })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(480)
  slotMinutes?: number;

  @ApiProperty({ description: 'Teamvereinbarung, Begründung / team agreement, reason' })
  @IsString()
  @MaxLength(2000)
  reason!: string;
}
