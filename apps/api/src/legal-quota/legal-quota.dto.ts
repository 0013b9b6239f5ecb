import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

const COUNT_MAX = 1_000_000;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Avoidable upheld appeals by the reason the clerk gave (001:262). */
export class AvoidableByReasonDto {
  @ApiProperty({ minimum: 0, description: 'Dokumentationsprobleme / documentation problems' })
  @IsInt()
  @Min(0)
  @Max(COUNT_MAX)
  documentation!: number;

  @ApiProperty({ minimum: 0, description: 'fehlerhafte Rechtsanwendung / wrong application of law' })
  @IsInt()
  @Min(0)
  @Max(COUNT_MAX)
  'application-of-law'!: number;

  @ApiProperty({ minimum: 0, description: 'unzureichende Sachverhaltsaufklärung / insufficient fact-finding' })
  @IsInt()
  @Min(0)
  @Max(COUNT_MAX)
  'fact-finding'!: number;
}

/** One legal norm and team of a month (001:264 "die betroffene Rechtsnorm … und das jeweils betroffene Team"). */
export class LegalQuotaRowDto {
  @ApiProperty({ example: '§ 22 SGB II' }) @IsString() @Length(1, 120) legalNorm!: string;

  @ApiPropertyOptional({ nullable: true, example: 'team-leistung-1', description: 'null: teamübergreifend' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/)
  teamId?: string | null;

  @ApiProperty({ minimum: 0, description: 'erledigte Widersprüche / appeals settled' })
  @IsInt()
  @Min(0)
  @Max(COUNT_MAX)
  settled!: number;

  @ApiProperty({ minimum: 0, description: 'volle Stattgaben / upheld fully' })
  @IsInt()
  @Min(0)
  @Max(COUNT_MAX)
  upheldFully!: number;

  @ApiProperty({ minimum: 0, description: 'teilweise Stattgaben / upheld partly' })
  @IsInt()
  @Min(0)
  @Max(COUNT_MAX)
  upheldPartly!: number;

  @ApiProperty({ minimum: 0, description: 'davon vermeidbar / of the upheld, avoidable' })
  @IsInt()
  @Min(0)
  @Max(COUNT_MAX)
  avoidable!: number;

  @ApiProperty({ type: AvoidableByReasonDto })
  @ValidateNested()
  @Type(() => AvoidableByReasonDto)
  avoidableByReason!: AvoidableByReasonDto;
}

export class RecordLegalQuotaDto {
  @ApiProperty({ type: [LegalQuotaRowDto], description: 'leer: keine Widersprüche erledigt / empty: none settled' })
  @IsArray()
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => LegalQuotaRowDto)
  rows!: LegalQuotaRowDto[];
}

export class CorrectLegalQuotaDto extends RecordLegalQuotaDto {
  @ApiProperty({ description: 'Begründung der Korrektur (verschlüsselt gespeichert) / reason (stored encrypted)' })
  @IsString()
  @Length(1, 5000)
  @Matches(/\S/, { message: 'Begründung erforderlich / a reason is required' })
  reason!: string;
}

export class QuotaTrendQueryDto {
  @ApiPropertyOptional({
    example: '2025-04',
    description: 'erster Monat / first month (default: 11 months before `to`)',
  })
  @IsOptional()
  @Matches(MONTH, { message: 'Monat im Format yyyy-mm / month as yyyy-mm' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-03', description: 'letzter Monat / last month (default: this month)' })
  @IsOptional()
  @Matches(MONTH, { message: 'Monat im Format yyyy-mm / month as yyyy-mm' })
  to?: string;
}
