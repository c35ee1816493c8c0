import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIsoInstant } from '../../common/iso-instant';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  Matches,
  IsIn,
  IsInt,
  IsMongoId,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { AttendancePolicy } from '../cohort-policies';
import { CompletionRule } from '../cohort-policies';
import { IsIanaTimeZone } from '../../schedule/timezone.validator';
import { RELEASE_CLOCKS, ReleaseClock } from '../cohort.rules';
import { TERRITORY_PATTERN } from '../../common/territory';

export class AttendancePolicyDto implements Partial<AttendancePolicy> {
  @ApiPropertyOptional({ example: 15, description: 'Check-in opens this many minutes before the class starts' })
  @IsOptional()
  @Min(0)
  @Max(1440)
  @IsInt()
  checkInOpensBeforeMinutes?: number;

  @ApiPropertyOptional({ example: 15, description: 'Arriving later than this after the start counts as late' })
  @IsOptional()
  @Min(0)
  @Max(10_080)
  @IsInt()
  lateAfterMinutes?: number;

  @ApiPropertyOptional({ example: 1440, description: 'With nothing recorded by then, the student was absent' })
  @IsOptional()
  @Min(1)
  @Max(43_200)
  @IsInt()
  closeAfterMinutes?: number;

  @ApiPropertyOptional({ example: true, description: 'Mail students who missed a class once its window closes' })
  @IsOptional()
  @IsBoolean()
  nudgeAbsent?: boolean;
}

export class CompletionRuleDto implements Partial<CompletionRule> {
  @ApiPropertyOptional({ example: 5, description: 'Classes attended (present or late) to complete' })
  @IsOptional()
  @Min(0)
  @Max(60)
  @IsInt()
  minAttended?: number;

  @ApiPropertyOptional({ example: 2, description: 'Homework passed to complete' })
  @IsOptional()
  @Min(0)
  @Max(60)
  @IsInt()
  minHomeworkPassed?: number;
}

/** Whether a start with classes already due is meant (moving a group that is already running). */
export class OpenCohortDto {
  @ApiPropertyOptional({
    default: false,
    description:
      'Allow a start in the past (a group that is already running): the classes already due are then released at once',
  })
  @IsOptional()
  @IsBoolean()
  catchUp?: boolean;
}

export class CreateCohortDto extends OpenCohortDto {
  @ApiProperty()
  @IsMongoId()
  funnelId!: string;

  @ApiPropertyOptional({ description: 'Funnel version to pin; the latest when omitted', example: 1 })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @IsInt()
  funnelVersion?: number;

  @ApiProperty({ example: 'March 2026 cohort (Shanghai)' })
  @Length(1, 200)
  @IsString()
  name!: string;

  @ApiPropertyOptional({
    default: false,
    description: 'Always open; each student starts on day 0 when they confirm (the "days after sign-up" drip)',
  })
  @IsOptional()
  @IsBoolean()
  evergreen?: boolean;

  @ApiPropertyOptional({
    example: '2026-03-01T00:00:00+08:00',
    description: 'Cohort day 0 (ISO-8601 with offset); not for evergreen',
  })
  @ValidateIf((dto: CreateCohortDto) => !dto.evergreen || dto.startAt !== undefined)
  @IsIsoInstant()
  startAt?: Date;

  @ApiProperty({ example: 'Asia/Shanghai' })
  @IsIanaTimeZone()
  timezone!: string;

  @ApiPropertyOptional({ enum: RELEASE_CLOCKS, default: 'cohort' })
  @IsOptional()
  @IsIn(RELEASE_CLOCKS)
  releaseClock?: ReleaseClock;

  @ApiProperty({ example: 500 })
  @Type(() => Number)
  @Min(1)
  @Max(1_000_000)
  @IsInt()
  capacity!: number;

  @ApiPropertyOptional({ example: 30, description: 'Remind students this many minutes before each free class' })
  @IsOptional()
  @Type(() => Number)
  @Min(5)
  @Max(1440)
  @IsInt()
  reminderMinutesBefore?: number;

  @ApiPropertyOptional({ description: 'When sign-ups open (default: when the cohort is opened)' })
  @IsOptional()
  @IsIsoInstant()
  enrollmentOpensAt?: Date;

  @ApiPropertyOptional({ description: 'When sign-ups close (default: the cohort start)' })
  @IsOptional()
  @IsIsoInstant()
  enrollmentClosesAt?: Date;

  @ApiPropertyOptional({ type: AttendancePolicyDto, description: 'Defaults: 15, 15 and 1440 minutes' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AttendancePolicyDto)
  attendance?: AttendancePolicyDto;

  @ApiPropertyOptional({ type: CompletionRuleDto, description: 'Defaults: 5 classes attended, 0 homework' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CompletionRuleDto)
  completion?: CompletionRuleDto;

  @ApiPropertyOptional({ description: 'The paid course cohort that buyers of the offer are enrolled in' })
  @IsOptional()
  @IsMongoId()
  paidCohortId?: string;

  @ApiPropertyOptional({
    example: 'CN/44/4403',
    description: "Where a partner's cohort runs: within its license's territory (default: the whole of it)",
  })
  @IsOptional()
  @Matches(TERRITORY_PATTERN, { message: 'territory must be codes separated by /, e.g. CN/44/4403' })
  territory?: string;
}

export class RescheduleCohortDto extends OpenCohortDto {
  @ApiProperty({ example: '2026-03-08T00:00:00+08:00' })
  @IsIsoInstant()
  startAt!: Date;
}
