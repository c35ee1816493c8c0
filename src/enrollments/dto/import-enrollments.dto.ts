import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_IMPORT_BYTES } from '../enrollment-import.rules';

/** Students to enrol into a cohort, as a CSV file's text. */
export class ImportEnrollmentsDto {
  @ApiProperty({
    description:
      'CSV with a header row naming the columns name (姓名) and email (邮箱, e-mail), and optionally locale (语言) and timezone (时区); other columns are ignored. Commas, or tabs as cells pasted from a spreadsheet. At most 2,000 rows and 1 MB.',
    maxLength: MAX_IMPORT_BYTES,
    example:
      'name,email,locale,timezone\n王芳,wang.fang@example.com,zh-CN,Asia/Shanghai\nEmma Clark,emma.clark@example.com,en,Europe/London\n',
  })
  @MaxLength(MAX_IMPORT_BYTES)
  @IsString()
  csv!: string;

  @ApiPropertyOptional({ default: false, description: 'Report what each row would become, and write nothing' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({
    default: false,
    description:
      'The students already agreed to join: confirm their places at once, so they get the welcome (and the classes so far)',
  })
  @IsOptional()
  @IsBoolean()
  confirmed?: boolean;
}
