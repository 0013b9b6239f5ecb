import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const QUESTION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const MAX_QUESTIONS = 500;
const MAX_TEXT = 10_000;

export class AnswerInputDto {
  @ApiProperty({ example: 'vkb-1-1' }) @Matches(QUESTION_ID) questionId!: string;

  @ApiProperty({
    description:
      'ja/nein/entfällt: yes|no|na; zielgerichtet: goal-directed|not-goal-directed; Datum: yyyy-mm-dd; ' +
      'Freitext (verschlüsselt gespeichert) / answer by the question type; free text and dates are stored encrypted',
    example: 'yes',
  })
  @IsString()
  @Length(1, MAX_TEXT)
  value!: string;
}

export class RecordAnswersDto {
  @ApiProperty({ type: [AnswerInputDto], description: 'Teilspeicherung erlaubt / partial saves allowed' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_QUESTIONS)
  @ValidateNested({ each: true })
  @Type(() => AnswerInputDto)
  answers!: AnswerInputDto[];
}

export class ExtendLookBackDto {
  @ApiProperty({ description: 'Betrachtungszeitraum in Monaten / look-back in months', example: 18 })
  @IsInt()
  @Min(1)
  @Max(120)
  months!: number;

  @ApiPropertyOptional({ description: 'Begründung, Pflicht (002:40) / reason, required (002:40)' })
  @IsOptional()
  @IsString()
  @Length(1, MAX_TEXT)
  reason?: string;
}

export class RecordDefectDto {
  @ApiProperty() @Matches(QUESTION_ID) questionId!: string;

  @ApiPropertyOptional({ description: 'Standard: Kategorie der Frage / default: the question’s category' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  category?: string;

  @ApiProperty({ enum: ['minor', 'serious'], description: 'gering / gravierend' })
  @IsIn(['minor', 'serious'])
  severity!: 'minor' | 'serious';

  @ApiPropertyOptional({ description: 'Standard: Rechtsnorm der Frage / default: the question’s legal norm' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  legalNorm?: string;

  @ApiProperty({ description: 'Beschreibung, verschlüsselt gespeichert / description, stored encrypted' })
  @IsString()
  @Length(1, MAX_TEXT)
  description!: string;

  @ApiProperty({ description: 'Vermögensschaden → VfV-Verfahren (001:242) / financial loss → VfV procedure' })
  @IsBoolean()
  financialLoss!: boolean;
}

export class ReasonDto {
  @ApiProperty({ description: 'Begründung, verschlüsselt gespeichert / reason, stored encrypted' })
  @IsString()
  @Length(1, MAX_TEXT)
  reason!: string;
}

export class CompleteReviewDto {
  @ApiProperty({ enum: ['goal-directed', 'not-goal-directed'], description: 'zielgerichtet / nicht zielgerichtet' })
  @IsIn(['goal-directed', 'not-goal-directed'])
  outcome!: 'goal-directed' | 'not-goal-directed';

  @ApiProperty({ description: 'Zusammenfassung, verschlüsselt gespeichert / summary, stored encrypted' })
  @IsString()
  @Length(1, MAX_TEXT)
  summary!: string;
}

export class DefectCorrectionDto {
  @ApiProperty() @IsUUID() defectId!: string;
  @ApiPropertyOptional({ enum: ['minor', 'serious'] }) @IsOptional() @IsIn(['minor', 'serious']) severity?:
    'minor' | 'serious';
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) category?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() withdrawn?: boolean;
}

export class CorrectReviewDto {
  @ApiProperty({ description: 'Begründung, verschlüsselt gespeichert / reason, stored encrypted' })
  @IsString()
  @Length(1, MAX_TEXT)
  reason!: string;

  @ApiPropertyOptional({ enum: ['goal-directed', 'not-goal-directed'] })
  @IsOptional()
  @IsIn(['goal-directed', 'not-goal-directed'])
  outcome?: 'goal-directed' | 'not-goal-directed';

  @ApiPropertyOptional({ type: [AnswerInputDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_QUESTIONS)
  @ValidateNested({ each: true })
  @Type(() => AnswerInputDto)
  answers?: AnswerInputDto[];

  @ApiPropertyOptional({ type: [DefectCorrectionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_QUESTIONS)
  @ValidateNested({ each: true })
  @Type(() => DefectCorrectionDto)
  defects?: DefectCorrectionDto[];
}

export class RecordTalkDto {
  @ApiProperty({ example: '2026-03-20' }) @Matches(LOCAL_DATE) date!: string;

  @ApiProperty({ description: 'Mitarbeiter/in, verschlüsselt gespeichert / employee, stored encrypted' })
  @IsString()
  @Length(1, 500)
  employee!: string;

  @ApiProperty({
    description: 'Ergebnis, kein Protokoll; verschlüsselt / outcome, no transcript; stored encrypted',
  })
  @IsString()
  @Length(1, MAX_TEXT)
  outcome!: string;
}

export class RecordTeamDiscussionDto {
  @ApiProperty({ example: '2026-03-24' }) @Matches(LOCAL_DATE) date!: string;

  @ApiPropertyOptional({ description: 'Anonymisierte Notiz, verschlüsselt / anonymised note, stored encrypted' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT)
  notes?: string;
}

export class CaseLookupDto {
  @ApiProperty({ description: 'Kundennummer (nur im Anfragetext, nie in der URL) / customer number, body only' })
  @IsString()
  @Length(1, 200)
  caseRef!: string;
}

export class WorklistQueryDto {
  @ApiPropertyOptional({ example: '2026-03', description: 'Standard: laufender Monat / default: this month' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/)
  month?: string;
}
