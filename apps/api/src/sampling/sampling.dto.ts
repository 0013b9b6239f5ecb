import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const UNIT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export class PopulationImportQueryDto {
  @ApiProperty({ example: '2026-03', description: 'Monat der Grundgesamtheit / month of the population (yyyy-mm)' })
  @Matches(MONTH)
  month!: string;

  @ApiPropertyOptional({ example: 'opds-8041-maerz.csv', description: 'Dateiname / file name (for the record)' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  fileName?: string;
}

export class DrawSampleDto {
  @ApiProperty({ example: '2026-03' }) @Matches(MONTH) month!: string;

  @ApiPropertyOptional({
    description: 'Nur dieses Team; ohne: alle Teams des Bereichs / only this team; without: all teams',
  })
  @IsOptional()
  @Matches(UNIT_ID)
  teamId?: string;

  @ApiPropertyOptional({
    description:
      'Pflicht für einen vergangenen Monat: warum nachträglich gezogen wird (wird protokolliert) / ' +
      'required for a month already past: why the draw is late (recorded)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  backdatedReason?: string;
}

export class VoidSampleDto {
  @ApiProperty({
    description:
      'Warum die Ziehung irrtümlich war, ohne Personenbezug (wird protokolliert) / ' +
      'why the draw was a mistake, without personal data (recorded)',
  })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class SupplementaryDrawDto {
  @ApiProperty({ minimum: 1, maximum: 100 }) @IsInt() @Min(1) @Max(100) count!: number;

  @ApiProperty({ description: 'Begründung ohne Personenbezug / reason, without personal data' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class ReplaceCaseDto {
  @ApiProperty({ description: 'Die zu ersetzende Prüfung / the review to replace' }) @IsUUID() reviewId!: string;

  @ApiProperty({
    description: 'Warum der Fall ungeeignet ist, ohne Personenbezug / why unsuitable, without personal data',
  })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class SamplesQueryDto {
  @ApiPropertyOptional({ example: '2026-03' }) @IsOptional() @Matches(MONTH) month?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(UNIT_ID) teamId?: string;
}
