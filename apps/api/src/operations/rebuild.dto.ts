import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

export class RebuildProjectionDto {
  @ApiPropertyOptional({
    description:
      'Einen unterbrochenen Aufbau verwerfen statt fortsetzen / discard an interrupted build instead of resuming it',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  fresh?: boolean;

  @ApiPropertyOptional({
    description:
      'Die alte Sammlung gleich nach dem Umschalten löschen (statt sie bis zur Bestätigung zu behalten) / ' +
      'drop the old collection right after the switch (instead of keeping it until confirmed)',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  dropOld?: boolean;
}
