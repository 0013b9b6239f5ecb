import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import type { ChainFindingKind } from '@pruefpfad/composition';

/** Events listed per request when no `limit` is given: bounds one answer on a large store. */
export const DEFAULT_CHAIN_CHECK_LIMIT = 20_000;
export const MAX_CHAIN_CHECK_LIMIT = 200_000;

export class ChainVerificationQueryDto {
  @ApiPropertyOptional({ description: 'Nur diesen Stream prüfen / check this stream only' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  stream?: string;

  @ApiPropertyOptional({
    minimum: 0,
    description: 'Fortsetzung: `next` der vorigen Antwort / continuation: `next` of the previous answer',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_CHAIN_CHECK_LIMIT,
    default: DEFAULT_CHAIN_CHECK_LIMIT,
    description: 'Ereignisse je Teilprüfung / events listed per part',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_CHAIN_CHECK_LIMIT)
  limit?: number;
}

export class ChainFindingView {
  @ApiProperty() streamId!: string;
  @ApiProperty({ nullable: true, type: String }) tenant!: string | null;
  @ApiProperty({ enum: ['chain-broken', 'truncated', 'sealed-head-changed', 'stream-missing', 'seal-invalid'] })
  kind!: ChainFindingKind;
  @ApiProperty({ nullable: true, type: Number }) revision!: number | null;
  @ApiProperty({ nullable: true, type: Number }) position!: number | null;
  @ApiProperty() reason!: string;
}

export class ChainSealSummaryView {
  @ApiProperty() count!: number;
  @ApiProperty({ nullable: true, type: Number }) lastSealNumber!: number | null;
  @ApiProperty({ nullable: true, type: Number }) sealedThrough!: number | null;
  @ApiProperty({ nullable: true, type: String }) lastSealedAt!: string | null;
}

export class ChainVerificationView {
  @ApiProperty() clean!: boolean;
  @ApiProperty() streamsChecked!: number;
  @ApiProperty() eventsChecked!: number;
  @ApiProperty({ type: ChainSealSummaryView }) seals!: ChainSealSummaryView;
  @ApiProperty({ type: [ChainFindingView] }) findings!: ChainFindingView[];
  @ApiProperty({
    description:
      'Versiegelte Streams, die eine Löschung nach Aufbewahrungsfrist entfernt hat (laut Löschprotokoll) / sealed streams a retention purge deleted (named by a purge record)',
  })
  streamsPurged!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Fortsetzung / continuation (`after`)' })
  next!: number | null;
}
