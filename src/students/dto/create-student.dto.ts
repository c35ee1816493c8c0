import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { SUPPORTED_LOCALES, Locale } from '../../common/locale';
import { IsIanaTimeZone } from '../../common/timezone.validator';

export class CreateStudentDto {
  @ApiProperty({ example: 'wang.fang@example.com' })
  @IsEmail()
  @Length(3, 254)
  email!: string;

  @ApiProperty({ example: '王芳' })
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'name must not be blank' })
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
