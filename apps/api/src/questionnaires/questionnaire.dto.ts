import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
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
import { ANSWER_TYPES, type AnswerType, QUESTION_LIMITS, QUESTIONNAIRE_ID_PATTERN } from '@pruefpfad/domain';

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Questionnaire texts are not personal data: they are stored in clear, unlike answers. */
export class QuestionDto {
  @ApiProperty({ example: 'vkb-he-konsequent' }) @Matches(QUESTIONNAIRE_ID_PATTERN) id!: string;
  @ApiProperty() @IsString() @Length(1, QUESTION_LIMITS.text) text!: string;

  @ApiProperty({
    enum: ANSWER_TYPES,
    description:
      'ja/nein/entfällt, zielführend/nicht zielführend, Freitext, Datum / yes-no-n.a., goal-directed, text, date',
  })
  @IsIn(ANSWER_TYPES)
  answerType!: AnswerType;

  @ApiProperty() @IsBoolean() mandatory!: boolean;

  @ApiProperty({ example: 'kooperationsplan', description: 'Mängelkategorie / defect category' })
  @IsString()
  @Length(1, QUESTION_LIMITS.category)
  category!: string;

  @ApiPropertyOptional({ nullable: true, example: '§ 15 SGB II' })
  @IsOptional()
  @IsString()
  @MaxLength(QUESTION_LIMITS.legalNorm)
  legalNorm?: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'Prüfhinweis / guidance for the reviewer' })
  @IsOptional()
  @IsString()
  @MaxLength(QUESTION_LIMITS.guidance)
  guidance?: string | null;

  @ApiPropertyOptional({ example: '003:62', description: 'Quelle (Dokument:Zeile) / source (document:line)' })
  @IsOptional()
  @IsString()
  @Length(1, QUESTION_LIMITS.source)
  source?: string;
}

export class SectionDto {
  @ApiProperty({ example: 'handlungserfordernisse' }) @Matches(QUESTIONNAIRE_ID_PATTERN) id!: string;
  @ApiProperty() @IsString() @Length(1, QUESTION_LIMITS.title) title!: string;

  @ApiProperty({ type: [QuestionDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(QUESTION_LIMITS.questionsPerSection)
  @ValidateNested({ each: true })
  @Type(() => QuestionDto)
  questions!: QuestionDto[];
}

const fromBody = (dto: PublishQuestionnaireDto) => dto.catalogue === undefined;

/**
 * Either the content of a version, or `catalogue` naming a shipped catalogue (then title, process,
 * source and sections come from the file and must be left out).
 */
export class PublishQuestionnaireDto {
  @ApiPropertyOptional({
    example: 'verlaufsbezogene-kundenbetrachtung',
    description: 'Mitgelieferter Fragenkatalog (GET /api/v1/questionnaire-catalogues) / shipped catalogue',
  })
  @IsOptional()
  @Matches(QUESTIONNAIRE_ID_PATTERN)
  catalogue?: string;

  @ApiPropertyOptional() @ValidateIf(fromBody) @IsString() @Length(1, QUESTION_LIMITS.title) title?: string;

  @ApiPropertyOptional({ example: 'allgemeine-vermittlung', description: 'Kundenprozess / customer process' })
  @ValidateIf(fromBody)
  @Matches(QUESTIONNAIRE_ID_PATTERN)
  process?: string;

  @ApiPropertyOptional({ description: 'Herkunft der Fragen / where the questions come from' })
  @ValidateIf(fromBody)
  @IsString()
  @Length(1, 2000)
  source?: string;

  @ApiPropertyOptional({ type: [SectionDto] })
  @ValidateIf(fromBody)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(QUESTION_LIMITS.sections)
  @ValidateNested({ each: true })
  @Type(() => SectionDto)
  sections?: SectionDto[];

  @ApiPropertyOptional({
    example: '2026-04-01',
    description: 'Gültig ab (Standard: heute) / in force from (default today)',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(LOCAL_DATE)
  validFrom?: string;

  @ApiPropertyOptional({ description: 'Begründung (beim Katalog optional) / reason (optional with a catalogue)' })
  @ValidateIf(fromBody)
  @IsString()
  @Length(1, 2000)
  reason?: string;
}

export class AddRegionalQuestionsDto {
  @ApiProperty({ type: [QuestionDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(QUESTION_LIMITS.questionsPerSection)
  @ValidateNested({ each: true })
  @Type(() => QuestionDto)
  questions!: QuestionDto[];

  @ApiProperty({ example: '2026-04-01' }) @IsISO8601({ strict: true }) @Matches(LOCAL_DATE) validFrom!: string;
  @ApiProperty({ example: '2026-06-30' }) @IsISO8601({ strict: true }) @Matches(LOCAL_DATE) validTo!: string;

  @ApiProperty({ description: 'Regionale Schwerpunktsetzung / regional priority' })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

export class QuestionnaireQueryDto {
  @ApiPropertyOptional({ minimum: 1, description: 'Bestimmte Version / a given version' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  version?: number;

  @ApiPropertyOptional({
    example: '2026-04-15',
    description: 'Fragen, die an diesem Tag gelten / the questions in force on this day',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(LOCAL_DATE)
  on?: string;

  @ApiPropertyOptional({ description: 'Nur regionale Fragen dieser Region (mit on) / only this region (with on)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  region?: string;
}
