import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class SuspendRoutineDto {
  @ApiProperty({ example: '2026-06-30', description: 'Überprüfung spätestens am / re-check by (yyyy-mm-dd)' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'Datum im Format yyyy-mm-dd / date as yyyy-mm-dd' })
  recheckOn!: string;

  @ApiProperty({ description: 'Begründung der Geschäftsführung / management’s reason' })
  @IsString()
  @Length(1, 1000)
  reason!: string;
}

export class ResumeRoutineDto {
  @ApiProperty({ description: 'Begründung / reason' })
  @IsString()
  @Length(1, 1000)
  reason!: string;
}
