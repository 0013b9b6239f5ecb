import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length, Matches } from 'class-validator';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const MONTH_MESSAGE = 'Monat im Format yyyy-mm / month as yyyy-mm';

/** A suspension or its renewal; both record the tolerance test as it stands at the decision. */
export class SuspendRoutineDto {
  @ApiProperty({ example: '2026-06-30', description: 'Überprüfung spätestens am / re-check by (yyyy-mm-dd)' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'Datum im Format yyyy-mm-dd / date as yyyy-mm-dd' })
  recheckOn!: string;

  @ApiProperty({ description: 'Begründung der Geschäftsführung / management’s reason' })
  @IsString()
  @Length(1, 1000)
  reason!: string;

  @ApiPropertyOptional({
    example: '2025-08',
    description:
      'Erster Monat, dessen Prüfungen der Toleranztest beurteilt (Standard: 12 Monate bis zum laufenden) / ' +
      'first month whose reviews the tolerance test judges (default: the 12 months up to the current one)',
  })
  @IsOptional()
  @Matches(MONTH, { message: MONTH_MESSAGE })
  testFrom?: string;

  @ApiPropertyOptional({
    example: '2026-07',
    description: 'Letzter Monat des Toleranztests (Standard: der laufende) / last month of the test (default: current)',
  })
  @IsOptional()
  @Matches(MONTH, { message: MONTH_MESSAGE })
  testTo?: string;

  @ApiPropertyOptional({
    default: false,
    description:
      'Bestätigt, gegen den nicht bestandenen Toleranztest zu entscheiden (sonst 422 mit dem Testergebnis) / ' +
      'confirms deciding against a failed tolerance test (otherwise 422 with the test result)',
  })
  @IsOptional()
  @IsBoolean()
  againstToleranceTest?: boolean;
}

export class ResumeRoutineDto {
  @ApiProperty({ description: 'Begründung / reason' })
  @IsString()
  @Length(1, 1000)
  reason!: string;
}
