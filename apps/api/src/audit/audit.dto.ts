import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import type { AsOfCut } from '@pruefpfad/domain';
import { RequestValidationError } from '../errors/validation.js';

/** A full instant with its offset: without one, the same text would mean different instants on different machines. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class AsOfQueryDto {
  @ApiPropertyOptional({
    example: '2026-03-10T10:00:00+01:00',
    description: 'Zeitpunkt mit Zeitzone (nach occurredAt) / instant with offset (compared with occurredAt)',
  })
  @IsOptional()
  @Matches(INSTANT, { message: 'Zeitpunkt mit Zeitzone, z. B. 2026-03-10T10:00:00+01:00 / instant with offset' })
  at?: string;

  @ApiPropertyOptional({ example: 3, description: 'Revision des Stroms (erstes Ereignis: 0) / stream revision' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  revision?: number;
}

/** Exactly one of `at` and `revision`, as a cut for the fold. */
export function asOfCut(query: AsOfQueryDto): AsOfCut {
  const both = query.at !== undefined && query.revision !== undefined;
  const neither = query.at === undefined && query.revision === undefined;
  if (both || neither)
    throw new RequestValidationError([
      { field: 'at', message: 'genau eines von at und revision / exactly one of at and revision' },
      { field: 'revision', message: 'genau eines von at und revision / exactly one of at and revision' },
    ]);
  if (query.revision !== undefined) return { kind: 'revision', revision: query.revision };
  const instant = new Date(query.at!);
  if (Number.isNaN(instant.getTime()))
    throw new RequestValidationError([{ field: 'at', message: 'kein gültiger Zeitpunkt / not a valid instant' }]);
  return { kind: 'time', at: instant.toISOString() };
}

export class AuditSamplesQueryDto {
  @ApiProperty({ example: '2026-03', description: 'Monat der Stichproben / sample month (yyyy-mm)' })
  @Matches(MONTH, { message: 'yyyy-mm' })
  month!: string;
}
