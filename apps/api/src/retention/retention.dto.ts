import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';

export class LegalHoldDto {
  @ApiProperty({ description: 'Begründung, verschlüsselt gespeichert / reason, stored encrypted' })
  @IsString()
  @Length(1, 5000)
  reason!: string;
}

export class PurgeRunDto {
  @ApiPropertyOptional({
    description: 'Nur auflisten, was gelöscht würde / only list what would be purged (default true)',
    default: true,
  })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}
