import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { SUPPORTED_LOCALES, Locale } from '../../common/locale';
import { IsIanaTimeZone } from '../../schedule/timezone.validator';

/** Pasted addresses often carry stray spaces; they are not part of the address. */
const trimString = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CreateStudentDto {
  @ApiProperty({ example: 'wang.fang@example.com' })
  @Transform(trimString)
  @Length(3, 254)
  @IsEmail()
  email!: string;

  @ApiProperty({ example: '王芳' })
  @Length(1, 100)
  @Matches(/\S/, { message: 'name must not be blank' })
  @IsString()
  name!: string;

  @ApiPropertyOptional({ enum: SUPPORTED_LOCALES, default: 'zh-CN' })
  @IsOptional()
  @IsIn(SUPPORTED_LOCALES)
  locale?: Locale;

  @ApiPropertyOptional({ example: 'Asia/Shanghai' })
  @IsOptional()
  @IsIanaTimeZone()
  timezone?: string;
}
