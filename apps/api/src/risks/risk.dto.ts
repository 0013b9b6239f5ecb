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
  Min,
  ValidateNested,
} from 'class-validator';
import { EXTERNAL_AUDITORS, RISK_SOURCES, RISK_STRATEGIES } from '@pruefpfad/domain';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class RiskSourceDto {
  @ApiProperty({ enum: RISK_SOURCES, description: 'Quelle / source (001:115)' })
  @IsIn(RISK_SOURCES)
  kind!: (typeof RISK_SOURCES)[number];

  @ApiPropertyOptional({ enum: EXTERNAL_AUDITORS, description: 'nur bei external-audit / only for external-audit' })
  @IsOptional()
  @IsIn(EXTERNAL_AUDITORS)
  auditor?: (typeof EXTERNAL_AUDITORS)[number];

  @ApiPropertyOptional({ description: 'Fundstelle / reference' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  reference?: string;
}

export class RiskLinksDto {
  @ApiPropertyOptional({ type: [String], description: 'Mängelkategorien / defect categories' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  defectCategories?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Trends / trends' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  trends?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Teamberichte / team reports (<teamId>-<yyyy>-Q<n>)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  teamReports?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Maßnahmen / measures' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  measures?: string[];
}

export class IdentifyRiskDto {
  @ApiProperty() @IsString() @Length(1, 200) title!: string;
  @ApiProperty() @IsString() @Length(1, 4000) description!: string;

  @ApiProperty({ type: RiskSourceDto })
  @ValidateNested()
  @Type(() => RiskSourceDto)
  source!: RiskSourceDto;

  @ApiPropertyOptional({ description: 'Bereich; leer: ganzes Jobcenter / area; absent: the whole Jobcenter' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  areaId?: string;

  @ApiProperty({ description: 'Prozess / process' }) @IsString() @Length(1, 200) process!: string;

  @ApiPropertyOptional({ type: RiskLinksDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => RiskLinksDto)
  links?: RiskLinksDto;

  @ApiProperty({ description: 'Begründung / reason' }) @IsString() @Length(1, 2000) reason!: string;
}

export class AssessRiskDto {
  @ApiProperty({ description: 'Schadensausmaß / impact (1..n)' })
  @IsInt()
  @Min(1)
  @Max(10)
  impact!: number;

  @ApiProperty({ description: 'Eintrittswahrscheinlichkeit / likelihood (1..m)' })
  @IsInt()
  @Min(1)
  @Max(10)
  likelihood!: number;

  @ApiProperty({ description: 'Begründung / reason' }) @IsString() @Length(1, 2000) reason!: string;
}

export class DecideTreatmentDto {
  @ApiProperty({ enum: RISK_STRATEGIES }) @IsIn(RISK_STRATEGIES) strategy!: (typeof RISK_STRATEGIES)[number];

  @ApiPropertyOptional({ type: [String], description: 'reduce: Maßnahmen / measures' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  measureIds?: string[];

  @ApiPropertyOptional({ description: 'transfer: an wen / to whom' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  transferTo?: string;

  @ApiPropertyOptional({ description: 'accept: Überprüfung am / re-check on (yyyy-mm-dd)' })
  @IsOptional()
  @Matches(DATE, { message: 'Datum im Format yyyy-mm-dd / date as yyyy-mm-dd' })
  recheckOn?: string;

  @ApiPropertyOptional({ default: false, description: 'Hinnahme über der Risikobereitschaft bestätigt / confirmed' })
  @IsOptional()
  @IsBoolean()
  againstAppetite?: boolean;

  @ApiProperty({ description: 'Begründung / reason' }) @IsString() @Length(1, 2000) reason!: string;
}

export class RiskClosureDto {
  @ApiProperty({ description: 'Begründung / reason' }) @IsString() @Length(1, 2000) reason!: string;
}

export class RiskLevelDto {
  @ApiProperty() @IsInt() @Min(1) @Max(10) level!: number;
  @ApiProperty() @IsString() @Length(1, 60) de!: string;
  @ApiProperty() @IsString() @Length(1, 60) en!: string;
}

export class RiskAppetiteDto {
  @ApiProperty() @IsInt() @Min(1) @Max(99) maxAcceptedScore!: number;

  @ApiProperty({ nullable: true, type: Number })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  alwaysTreatFromImpact!: number | null;
}

export class SetRiskMatrixDto {
  @ApiProperty({ type: [RiskLevelDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => RiskLevelDto)
  impact!: RiskLevelDto[];

  @ApiProperty({ type: [RiskLevelDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => RiskLevelDto)
  likelihood!: RiskLevelDto[];

  @ApiProperty({ type: RiskAppetiteDto })
  @ValidateNested()
  @Type(() => RiskAppetiteDto)
  appetite!: RiskAppetiteDto;

  @ApiProperty({ description: 'Begründung / reason' }) @IsString() @Length(1, 2000) reason!: string;
}

export class ConsolidateAnalysisDto {
  @ApiProperty({ type: [String], description: 'Teamberichte / team reports' })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  teamReports!: string[];

  @ApiPropertyOptional({ type: [String], description: 'Risiken des Registers / register risks' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  riskIds?: string[];

  @ApiProperty() @IsString() @Length(1, 8000) summary!: string;
  @ApiProperty({ description: 'Begründung / reason' }) @IsString() @Length(1, 2000) reason!: string;
}
