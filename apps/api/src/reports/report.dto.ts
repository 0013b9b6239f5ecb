import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export class SeriousDefectDto {
  @ApiProperty({ example: 'Dokumentation' }) @IsString() @Length(1, 100) category!: string;

  @ApiPropertyOptional({ example: '§ 15 SGB II', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  legalNorm?: string | null;

  @ApiProperty({
    description:
      'Anonymisierte Beschreibung ohne personenbezogene Daten (verschlüsselt gespeichert) / ' +
      'anonymised description without personal data (stored encrypted)',
  })
  @IsString()
  @Length(1, 5000)
  description!: string;
}

export class SubmitTeamReportDto {
  @ApiProperty({ description: 'Bewertung der Teamleitung / the team lead’s assessment' })
  @IsString()
  @Length(1, 20000)
  assessment!: string;

  @ApiProperty({
    type: [SeriousDefectDto],
    description: 'Je gravierender Mangel eine Beschreibung / one per serious defect',
  })
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => SeriousDefectDto)
  seriousDefects!: SeriousDefectDto[];
}

export const LEGAL_REASONS = ['documentation', 'application-of-law', 'fact-finding', 'case-law', 'other'] as const;

/** One finding (001:264: legal norm, reason, team); the reason is a code, free text goes in the sealed note. */
export class LegalFindingDto {
  @ApiProperty({ example: '§ 22 SGB II' }) @IsString() @Length(1, 200) legalNorm!: string;

  @ApiProperty({ enum: LEGAL_REASONS }) @IsIn(LEGAL_REASONS) reason!: (typeof LEGAL_REASONS)[number];

  @ApiPropertyOptional({ nullable: true, example: 'team-leistung-1' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/)
  teamId?: string | null;

  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) @Max(100000) upheldAppeals!: number;
  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) @Max(100000) avoidable!: number;

  @ApiPropertyOptional({ description: 'Hinweis, verschlüsselt / note, stored encrypted' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  note?: string;
}

export class SubmitLegalReportDto {
  @ApiPropertyOptional({ description: 'Fehlanzeige (ausdrücklich) / explicit nil report' })
  @IsOptional()
  @IsBoolean()
  nil?: boolean;

  @ApiPropertyOptional({ type: [LegalFindingDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => LegalFindingDto)
  findings?: LegalFindingDto[];

  @ApiPropertyOptional({ description: 'Erkenntnisse aus Klageverfahren und Rechtsprechung / insights' })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  assessment?: string;
}

export class ReportStatusQueryDto {
  @ApiPropertyOptional({ example: 2026 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2099)
  year?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 4 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(4)
  quarter?: number;
}
