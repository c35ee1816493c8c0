import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Locale, SUPPORTED_LOCALES } from '../../common/locale';
import { MoneyDto } from '../../common/money';
import { IsIsoDuration, IsTimeOfDay } from '../../schedule/schedule.validators';
import { FunnelContent, LESSON_PHASES, LessonPhase, LessonSpec, OfferSpec } from '../funnel-content';

export class ReleaseOffsetDto {
  @ApiProperty({ example: 'P2D', description: 'ISO-8601 duration after the cohort start (P2D, PT10M, PT30S)' })
  @IsIsoDuration()
  after!: string;

  @ApiPropertyOptional({ example: '20:00', description: 'Local time of day (HH:mm) on that day' })
  @IsOptional()
  @IsTimeOfDay()
  at?: string;
}

export class LessonDto implements LessonSpec {
  @ApiProperty({ example: 'v1' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,31}$/, { message: 'key must be 1-32 lowercase letters, digits or dashes' })
  @IsString()
  key!: string;

  @ApiProperty({ enum: LESSON_PHASES })
  @IsIn(LESSON_PHASES)
  phase!: LessonPhase;

  @ApiProperty({ example: 'Class 1: The need behind the behaviour' })
  @Length(1, 200)
  @IsString()
  title!: string;

  @ApiProperty({ description: 'Markdown with handlebars variables', example: 'Welcome, {{student.name}}!' })
  @MaxLength(20_000)
  @IsString()
  body!: string;

  @ApiProperty({ type: ReleaseOffsetDto })
  @ValidateNested()
  @Type(() => ReleaseOffsetDto)
  release!: ReleaseOffsetDto;
}

export class OfferDto implements OfferSpec {
  @ApiProperty({ example: '21-Day Parenting Coaching' })
  @Length(1, 200)
  @IsString()
  courseName!: string;

  @ApiProperty({ type: MoneyDto })
  @ValidateNested()
  @Type(() => MoneyDto)
  listPrice!: MoneyDto;

  @ApiProperty({ example: 'P2D', description: 'How long after the last closing lesson the offer stays open' })
  @IsIsoDuration()
  deadlineAfter!: string;
}

/** The full content of a funnel version; creating a funnel or a new version sends all of it. */
export class FunnelContentDto implements FunnelContent {
  @ApiProperty({ example: '3 + 4 Parenting Bootcamp' })
  @Length(1, 200)
  @IsString()
  name!: string;

  @ApiProperty({ enum: SUPPORTED_LOCALES })
  @IsIn(SUPPORTED_LOCALES)
  defaultLocale!: Locale;

  @ApiProperty({ type: [LessonDto] })
  @ValidateNested({ each: true })
  @Type(() => LessonDto)
  @ArrayMaxSize(60)
  @ArrayMinSize(1)
  @IsArray()
  lessons!: LessonDto[];

  @ApiProperty({ type: OfferDto })
  @ValidateNested()
  @Type(() => OfferDto)
  offer!: OfferDto;
}
