import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';
import { SUPPORTED_LOCALES, Locale } from '../../common/locale';
import { IsIanaTimeZone } from '../../schedule/timezone.validator';

/** What a student may change about themselves through their link. */
export class UpdateProfileDto {
  @ApiPropertyOptional({ example: '王芳' })
  @IsOptional()
  @Length(1, 100)
  @Matches(/\S/, { message: 'name must not be blank' })
  @IsString()
  name?: string;

  @ApiPropertyOptional({ enum: SUPPORTED_LOCALES })
  @IsOptional()
  @IsIn(SUPPORTED_LOCALES)
  locale?: Locale;

  @ApiPropertyOptional({ example: 'Europe/Berlin', nullable: true, description: 'null to follow the cohort timezone' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsIanaTimeZone()
  timezone?: string | null;
}
