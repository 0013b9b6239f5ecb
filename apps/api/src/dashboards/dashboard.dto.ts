import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

export class MonthQueryDto {
  @ApiPropertyOptional({
    example: '2026-02',
    description: 'Monat (yyyy-mm), Standard: aktueller Monat / default: this month',
  })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'Monat im Format yyyy-mm / month as yyyy-mm' })
  month?: string;
}
