import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ROLES } from '@pruefpfad/domain';

/** Who to sign in as (one entry of `GET /auth/development/people`, or anyone else for tests by hand). */
export class DevelopmentLoginDto {
  @ApiProperty({ example: 'jc-demo' }) @IsString() @Length(1, 200) tenant!: string;
  @ApiProperty({ example: 'tl-mi-1' }) @IsString() @Length(1, 200) subject!: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['team_lead'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true, message: `erlaubt / allowed: ${ROLES.join(', ')}` })
  roles!: string[];

  @ApiProperty({ type: [String], example: ['team-mi-1'] })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  units!: string[];

  @ApiPropertyOptional({ example: 'rd-nrw' }) @IsOptional() @IsString() @Length(1, 200) region?: string;
}
