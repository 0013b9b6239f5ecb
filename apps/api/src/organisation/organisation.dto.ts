import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const SLUG_MESSAGE = 'Kleinbuchstaben, Ziffern, Bindestriche / lower-case letters, digits, hyphens';
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Limits that keep one request bounded; a Jobcenter has 10–50 teams (domain brief, "Scale"). */
const MAX_AREAS = 100;
const MAX_TEAMS_PER_AREA = 200;

export class PersonDto {
  @ApiProperty({ description: 'Kennung beim Identitätsanbieter (sub) / identity-provider subject', example: 'u-4711' })
  @IsString()
  @Length(1, 200)
  subject!: string;

  @ApiProperty({ description: 'Name, verschlüsselt gespeichert / name, stored encrypted', example: 'Erika Muster' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({
    description:
      'E-Mail-Adresse für die Fristen-Übersicht, verschlüsselt gespeichert / e-mail address for the deadline digest, stored encrypted',
    example: 'erika.muster@jobcenter.example',
  })
  @IsOptional()
  @IsEmail({}, { message: 'E-Mail-Adresse erwartet / an e-mail address expected' })
  @Length(3, 254)
  email?: string;
}

export class TeamFileDto {
  @ApiProperty({ example: 'team-mi-1' }) @Matches(SLUG, { message: SLUG_MESSAGE }) id!: string;
  @ApiProperty({ example: 'Team Markt & Integration 1' }) @IsString() @Length(1, 200) name!: string;
  @ApiProperty({ description: 'Kundenprozess / customer process', example: 'allgemeine-vermittlung' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  process!: string;

  @ApiProperty({ type: PersonDto, description: 'Teamleitung / team lead' })
  @IsObject()
  @ValidateNested()
  @Type(() => PersonDto)
  lead!: PersonDto;

  @ApiPropertyOptional({ type: PersonDto, nullable: true, description: 'Stellvertretung / designated deputy' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PersonDto)
  deputy?: PersonDto | null;
}

export class AreaFileDto {
  @ApiProperty({ example: 'markt-integration' }) @Matches(SLUG, { message: SLUG_MESSAGE }) id!: string;
  @ApiProperty({ example: 'Markt & Integration' }) @IsString() @Length(1, 200) name!: string;

  @ApiProperty({ type: [TeamFileDto] })
  @IsArray()
  @ArrayMaxSize(MAX_TEAMS_PER_AREA)
  @ValidateNested({ each: true })
  @Type(() => TeamFileDto)
  teams!: TeamFileDto[];
}

/** The organisation file: the wanted structure. Loading it appends only what differs from the current one. */
export class OrganisationFileDto {
  @ApiProperty({ type: [AreaFileDto] })
  @IsArray()
  @ArrayMaxSize(MAX_AREAS)
  @ValidateNested({ each: true })
  @Type(() => AreaFileDto)
  areas!: AreaFileDto[];
}

export class PeriodDto {
  @ApiProperty({ example: '2026-03-09', description: 'erster Tag (Ortszeit) / first day (local date)' })
  @IsISO8601({ strict: true })
  @Matches(LOCAL_DATE)
  from!: string;

  @ApiProperty({ example: '2026-03-13', description: 'letzter Tag, einschließlich / last day, inclusive' })
  @IsISO8601({ strict: true })
  @Matches(LOCAL_DATE)
  to!: string;
}

export class RecordAbsenceDto extends PeriodDto {}

export class ApproveDelegationDto extends PeriodDto {
  @ApiProperty({ description: 'Wer vertritt (sub) / who acts (subject)', example: 'u-0815' })
  @IsString()
  @Length(1, 200)
  toSubject!: string;

  @ApiProperty({ description: 'Begründung, verschlüsselt gespeichert / reason, stored encrypted' })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}
