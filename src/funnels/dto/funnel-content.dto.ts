import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PriceTier } from '../price-ladder';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
  IsObject,
} from 'class-validator';
import { Locale, SUPPORTED_LOCALES } from '../../common/locale';
import { MoneyDto } from '../../common/money';
import { IsIsoDuration, IsTimeOfDay } from '../../schedule/schedule.validators';
import { LatePolicy, RubricCriterion } from '../homework-spec';
import {
  FunnelContent,
  LESSON_KEY_PATTERN,
  LESSON_PHASES,
  LessonPhase,
  LessonSpec,
  OfferSpec,
} from '../funnel-content';

export class ReleaseOffsetDto {
  @ApiProperty({ example: 'P2D', description: 'ISO-8601 duration after the cohort start (P2D, PT10M, PT30S)' })
  @IsIsoDuration()
  after!: string;

  @ApiPropertyOptional({ example: '20:00', description: 'Local time of day (HH:mm) on that day' })
  @IsOptional()
  @IsTimeOfDay()
  at?: string;
}

export class RubricCriterionDto implements RubricCriterion {
  @ApiProperty({ example: 'insight' })
  @Matches(LESSON_KEY_PATTERN, { message: 'key must be 1-32 lowercase letters, digits or dashes' })
  @IsString()
  key!: string;

  @ApiProperty({ example: 'Insight' })
  @Length(1, 100)
  @IsString()
  name!: string;

  @ApiProperty({ example: 5 })
  @Min(1)
  @Max(1000)
  @IsInt()
  points!: number;

  @ApiPropertyOptional({ example: 'Names the need behind the behaviour' })
  @IsOptional()
  @MaxLength(1000)
  @IsString()
  description?: string;
}

export class LatePolicyDto {
  @ApiProperty({ enum: ['refuse', 'penalty'], description: 'Refuse late work, or accept it with a penalty' })
  @IsIn(['refuse', 'penalty'])
  kind!: 'refuse' | 'penalty';

  @ApiPropertyOptional({ example: 10, description: 'Penalty: percent of the score taken per started day late' })
  @ValidateIf((p: LatePolicyDto) => p.kind === 'penalty')
  @Min(0)
  @Max(100)
  @IsInt()
  percentPerDay?: number;

  @ApiPropertyOptional({ example: 3, description: 'Penalty: refused after this many days late' })
  @ValidateIf((p: LatePolicyDto) => p.kind === 'penalty')
  @Min(1)
  @Max(365)
  @IsInt()
  cutoffDays?: number;
}

export class AutoCheckDto {
  @ApiPropertyOptional({ example: 50, description: 'Flag submissions shorter than this (characters)' })
  @IsOptional()
  @Min(1)
  @Max(20_000)
  @IsInt()
  minLength?: number;

  @ApiPropertyOptional({ example: ['need'], description: 'Flag submissions missing any of these words' })
  @IsOptional()
  @ArrayMaxSize(20)
  @Length(1, 50, { each: true })
  @IsString({ each: true })
  requiredKeywords?: string[];
}

export class HomeworkSpecDto {
  @ApiProperty({ example: 'Write down one moment this week when you ...' })
  @Length(1, 5000)
  @IsString()
  prompt!: string;

  @ApiProperty({ example: 'P2D', description: 'Due this long after the lesson reaches the student (ISO-8601)' })
  @IsIsoDuration()
  dueAfter!: string;

  @ApiProperty({ example: 10, description: 'The sum of the rubric points' })
  @Min(1)
  @IsInt()
  maxScore!: number;

  @ApiProperty({ example: 6, description: 'Total needed to pass (counts towards completion)' })
  @Min(0)
  @IsInt()
  passScore!: number;

  @ApiProperty({ type: [RubricCriterionDto] })
  @ValidateNested({ each: true })
  @Type(() => RubricCriterionDto)
  @ArrayMaxSize(20)
  @ArrayMinSize(1)
  @IsArray()
  rubric!: RubricCriterionDto[];

  @ApiProperty({ type: LatePolicyDto })
  @ValidateNested()
  @IsObject()
  @Type(() => LatePolicyDto)
  latePolicy!: LatePolicy;

  @ApiProperty({ description: 'Whether a student may replace their submission until it is graded' })
  @IsBoolean()
  resubmitBeforeGrading!: boolean;

  @ApiPropertyOptional({ type: AutoCheckDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AutoCheckDto)
  autoCheck?: AutoCheckDto;
}

export class LessonDto implements LessonSpec {
  @ApiProperty({ example: 'v1' })
  @Matches(LESSON_KEY_PATTERN, { message: 'key must be 1-32 lowercase letters, digits or dashes' })
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
  @IsObject()
  @Type(() => ReleaseOffsetDto)
  release!: ReleaseOffsetDto;

  @ApiPropertyOptional({ type: HomeworkSpecDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => HomeworkSpecDto)
  homework?: HomeworkSpecDto;
}

export class PriceTierDto implements PriceTier {
  @ApiProperty({ example: 3 })
  @Min(0)
  @Max(100_000)
  @IsInt()
  minReferrals!: number;

  @ApiProperty({ type: MoneyDto })
  @ValidateNested()
  @IsObject()
  @Type(() => MoneyDto)
  price!: MoneyDto;
}

export class OfferDto implements OfferSpec {
  @ApiProperty({ example: '21-Day Parenting Coaching' })
  @Length(1, 200)
  @IsString()
  courseName!: string;

  @ApiProperty({ type: MoneyDto })
  @ValidateNested()
  @IsObject()
  @Type(() => MoneyDto)
  listPrice!: MoneyDto;

  @ApiPropertyOptional({
    example: 'In 21 days, with a coach at your side, you turn what the free classes showed into habits at home.',
    description: 'What the paid course is, in Markdown; the offer page shows it (sanitised)',
  })
  @IsOptional()
  @Length(1, 10_000)
  @IsString()
  description?: string;

  @ApiPropertyOptional({
    example: 'PT2H',
    description:
      'How long after the last closing lesson starts the offer goes out (ISO-8601 duration, default PT2H, at most the deadline)',
  })
  @IsOptional()
  @IsIsoDuration()
  openAfter?: string;

  @ApiProperty({ example: 'P2D', description: 'How long after the last closing lesson the offer stays open' })
  @IsIsoDuration()
  deadlineAfter!: string;

  @ApiPropertyOptional({
    type: [PriceTierDto],
    description: 'The price ladder: from `minReferrals` qualified referrals on, the student pays `price`',
  })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => PriceTierDto)
  @ArrayMaxSize(20)
  @IsArray()
  priceTiers?: PriceTierDto[];

  @ApiPropertyOptional({
    example: 14,
    description: 'Referrals qualifying this many days after a purchase earn the buyer the difference back',
  })
  @IsOptional()
  @Min(0)
  @Max(365)
  @IsInt()
  priceProtectionDays?: number;

  @ApiPropertyOptional({ example: 1, description: 'Classes a referee attends before the referral qualifies' })
  @IsOptional()
  @Min(0)
  @Max(60)
  @IsInt()
  referralMinClassesAttended?: number;
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
  @IsObject()
  @Type(() => OfferDto)
  offer!: OfferDto;
}
