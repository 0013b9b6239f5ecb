import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export class ErrorRatePolicyDto {
  @ApiProperty({ enum: ['none', 'collect'] })
  @IsIn(['none', 'collect'])
  kind!: 'none' | 'collect';

  @ApiPropertyOptional({ description: 'Toleranz in % (nur bei kind=collect) / tolerance in %' })
  @ValidateIf((policy: ErrorRatePolicyDto) => policy.kind === 'collect')
  @IsNumber()
  @Min(0.1)
  @Max(99.9)
  tolerancePercent?: number;
}

/** The Trägerversammlung's dated consent to review § 16a SGB II cases (003:53). */
export class Section16aConsentDto {
  @ApiProperty({ example: '2026-01-20' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  date!: string;

  @ApiProperty({ description: 'Beschluss / decision reference' }) @IsString() @Length(1, 200) decision!: string;
}

/** A programme's settings. Numbers left out default from the rule configuration (`DEFAULT_RULES`). */
export class ProgrammeSettingsDto {
  @ApiProperty() @IsString() @Length(1, 200) title!: string;
  @ApiProperty({ example: 'markt-integration' }) @Matches(ID_PATTERN) areaId!: string;
  @ApiProperty({ example: 'allgemeine-vermittlung' }) @Matches(ID_PATTERN) customerProcess!: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) questionnaireId?: string | null;
  @ApiPropertyOptional({ minimum: 1 }) @IsOptional() @IsInt() @Min(1) @Max(1000) minimumCasesPerTeamLead?: number;
  @ApiPropertyOptional({ enum: ['management', 'area_head'] })
  @IsOptional()
  @IsIn(['management', 'area_head'])
  drawnBy?: 'management' | 'area_head';
  @ApiPropertyOptional({ type: ErrorRatePolicyDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ErrorRatePolicyDto)
  errorRatePolicy?: ErrorRatePolicyDto;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(366) reviewDeadlineDaysAfterMonth?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(120) retentionMonths?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(28) reportDueDay?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() deputiesReview?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(60) excludeDrawnWithinMonths?: number;
  @ApiPropertyOptional({ enum: ['least-recently-covered'] })
  @IsOptional()
  @IsIn(['least-recently-covered'])
  coverageRule?: 'least-recently-covered';
  @ApiPropertyOptional({ type: () => Section16aConsentDto, nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => Section16aConsentDto)
  section16aConsent?: Section16aConsentDto | null;
}

/** A revision may change any field; each is optional (validation rules inherited, `IsOptional` added). */
export class ProgrammeSettingsChangesDto extends PartialType(ProgrammeSettingsDto) {}

export class DefineProgrammeDto {
  @ApiProperty({ type: ProgrammeSettingsDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ProgrammeSettingsDto)
  settings!: ProgrammeSettingsDto;

  @ApiProperty({ description: 'Begründung (Risikobewertung, Rechtsänderung, Prüffeststellung) / reason' })
  @IsString()
  @Length(1, 2000)
  reason!: string;

  @ApiPropertyOptional({ description: 'Freitext, verschlüsselt gespeichert / free text, stored encrypted' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  note?: string;
}

export class StaffCouncilDto {
  @ApiProperty({ example: '2026-02-01' }) @IsISO8601({ strict: true }) @Matches(/^\d{4}-\d{2}-\d{2}$/) date!: string;
  @ApiProperty({ enum: ['agreed', 'consulted'] }) @IsIn(['agreed', 'consulted']) outcome!: 'agreed' | 'consulted';
}

export class ReviseProgrammeDto {
  @ApiProperty({ type: ProgrammeSettingsChangesDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ProgrammeSettingsChangesDto)
  changes!: ProgrammeSettingsChangesDto;

  @ApiProperty() @IsString() @Length(1, 2000) reason!: string;

  @ApiPropertyOptional({ type: StaffCouncilDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => StaffCouncilDto)
  staffCouncil?: StaffCouncilDto;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(5000) note?: string;
}
