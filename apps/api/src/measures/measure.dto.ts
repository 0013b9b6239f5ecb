import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { MEASURE_KINDS, MEASURE_SCOPES, type MeasureKind, type MeasureScope } from '@pruefpfad/domain';

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

export class AgreeMeasureDto {
  @ApiProperty({
    enum: MEASURE_KINDS,
    description:
      'Rückmeldung, individuelle Entwicklung, Weisung, Prozessänderung (Teamleitung); Schulung, Qualifizierung ' +
      '(Bereichsleitung) / feedback, individual development, instruction, process change (team lead); ' +
      'training, qualification (area head)',
  })
  @IsIn(MEASURE_KINDS)
  kind!: MeasureKind;

  @ApiProperty({ enum: MEASURE_SCOPES, description: 'einzeln oder teamweit / individual or team-wide' })
  @IsIn(MEASURE_SCOPES)
  scope!: MeasureScope;

  @ApiProperty({ description: 'Verantwortliche Person, verschlüsselt gespeichert / owner, stored encrypted' })
  @IsString()
  @Length(1, 200)
  owner!: string;

  @ApiProperty({ description: 'Beschreibung, verschlüsselt gespeichert / description, stored encrypted' })
  @IsString()
  @Length(1, 5000)
  description!: string;

  @ApiProperty({ example: '2026-04-30', description: 'Fälligkeit (Ortszeit Berlin) / due date (Berlin local date)' })
  @IsISO8601({ strict: true })
  @Matches(LOCAL_DATE)
  dueDate!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Prüfung, aus der sie folgt / review it follows from' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  reviewId?: string;
}

export class FollowUpMeasureDto {
  @ApiProperty({ example: '2026-04-10', description: 'Tag der Nachhaltung / day of the follow-up' })
  @IsISO8601({ strict: true })
  @Matches(LOCAL_DATE)
  date!: string;

  @ApiProperty({ description: 'Ergebnis, verschlüsselt gespeichert / outcome, stored encrypted' })
  @IsString()
  @Length(1, 5000)
  note!: string;
}

export class CompleteMeasureDto {
  @ApiPropertyOptional({ description: 'Abschlussvermerk, verschlüsselt / closing note, stored encrypted' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  note?: string;
}

export class CancelMeasureDto {
  @ApiProperty({ description: 'Begründung, verschlüsselt gespeichert / reason, stored encrypted' })
  @IsString()
  @Length(1, 5000)
  reason!: string;
}

export class MeasureListQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'completed', 'cancelled'] })
  @IsOptional()
  @IsIn(['open', 'completed', 'cancelled'])
  status?: 'open' | 'completed' | 'cancelled';
}
