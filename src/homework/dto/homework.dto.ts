import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsMongoId,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageLimitQuery } from '../../common/cursor-page.query';
import { LESSON_KEY_PATTERN } from '../../funnels/funnel-content';
import { REVIEW_DECISIONS, ReviewDecision, SUBMISSION_STATUSES, SubmissionStatus } from '../homework.schema';
import { CriterionScore } from '../homework.rules';

/** `${enrollmentId}:${lessonKey}` */
const HOMEWORK_ID_PATTERN = new RegExp(`^[0-9a-f]{24}:${LESSON_KEY_PATTERN.source.slice(1)}`);

export class SubmitHomeworkDto {
  @ApiProperty({ description: 'The answer (plain text; shown escaped)', maxLength: 20_000 })
  @Length(1, 20_000)
  @IsString()
  text!: string;

  @ApiPropertyOptional({ type: [String], description: 'Up to 5 http(s) links (e.g. a shared document)' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { each: true })
  @ArrayMaxSize(5)
  @IsArray()
  links?: string[];
}

export class CriterionScoreDto implements CriterionScore {
  @ApiProperty({ example: 'insight' })
  @IsString()
  key!: string;

  @ApiProperty({ example: 4 })
  @Min(0)
  @IsInt()
  score!: number;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @MaxLength(2000)
  @IsString()
  feedback?: string;
}

export class GradeHomeworkDto {
  @ApiProperty({ type: [CriterionScoreDto], description: 'A score for every rubric criterion' })
  @ValidateNested({ each: true })
  @Type(() => CriterionScoreDto)
  @ArrayMaxSize(20)
  @ArrayMinSize(1)
  @IsArray()
  scores!: CriterionScoreDto[];

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @MaxLength(5000)
  @IsString()
  feedback?: string;

  @ApiPropertyOptional({
    description: 'The grade version this regrade replaces (0 for the first grade); a mismatch is a 409',
  })
  @IsOptional()
  @Min(0)
  @IsInt()
  expectedVersion?: number;
}

export class HomeworkIdParam {
  @ApiProperty({ example: '665f1c2e9b1e8a0012345678:v1', description: '`${enrollmentId}:${lessonKey}`' })
  @Matches(HOMEWORK_ID_PATTERN, { message: 'id is not a homework id (enrollmentId:lessonKey)' })
  id!: string;
}

/** The grading queue's filters; pages in homework-id order (`after` is the last id seen). */
export class HomeworkQueueQuery extends PageLimitQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsMongoId()
  cohortId?: string;

  @ApiPropertyOptional({ example: 'v1' })
  @IsOptional()
  @Matches(LESSON_KEY_PATTERN, { message: 'lessonKey is not a lesson key' })
  lessonKey?: string;

  @ApiPropertyOptional({ enum: SUBMISSION_STATUSES })
  @IsOptional()
  @IsIn(SUBMISSION_STATUSES)
  status?: SubmissionStatus;

  @ApiPropertyOptional({ description: 'Only submissions the auto-check flagged (true) or did not (false)' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  flagged?: boolean;

  @ApiPropertyOptional({ description: 'Cursor: the id of the last item of the previous page' })
  @IsOptional()
  @Matches(HOMEWORK_ID_PATTERN, { message: 'after is not a homework id' })
  after?: string;
}

export class ReviewGradeDto {
  @ApiProperty({ example: 1, description: 'The grade version waiting for review (a mismatch is a 409)' })
  @Min(1)
  @IsInt()
  version!: number;

  @ApiProperty({ enum: REVIEW_DECISIONS, description: 'approved: the student is told; returned: back to the graders' })
  @IsIn(REVIEW_DECISIONS)
  decision!: ReviewDecision;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Why, for the grader (never shown to the student)' })
  @IsOptional()
  @MaxLength(2000)
  @IsString()
  note?: string;
}

export class GradingAssignmentDto {
  @ApiProperty({ type: [String], description: 'API token ids of the people who grade this lesson' })
  @IsMongoId({ each: true })
  @ArrayMaxSize(50)
  @IsArray()
  graders!: string[];

  @ApiPropertyOptional({ type: [String], description: 'API token ids of the people who approve grades' })
  @IsOptional()
  @IsMongoId({ each: true })
  @ArrayMaxSize(20)
  @IsArray()
  reviewers?: string[];

  @ApiPropertyOptional({
    default: false,
    description: 'Graders’ grades wait for a reviewer before the student is told',
  })
  @IsOptional()
  @IsBoolean()
  reviewRequired?: boolean;
}

/** `/:id/grading/:lessonKey` of a cohort. */
export class CohortLessonParams {
  @ApiProperty({ description: 'Cohort id' })
  @IsMongoId()
  id!: string;

  @ApiProperty({ example: 'v1' })
  @Matches(LESSON_KEY_PATTERN, { message: 'lessonKey is not a lesson key' })
  lessonKey!: string;
}
